namespace SmartCommunity.Protocol;

/// <summary>
/// One decoded command, held in buffers owned by the device so decoding allocates nothing.
/// Fields follow hardware-docs/protocol.md §4.1; counter, expiry and MAC are reserved in v1 and checked
/// once command signing lands (the security issue).
/// </summary>
public sealed class Command
{
    public readonly byte[] Id = new byte[MessageLimits.MaxIdLength];
    public int IdLength;
    public CommandKind Kind;

    /// <summary>Monotonic per-device counter set by the edge ("ctr").</summary>
    public long Counter;

    /// <summary>The device boot the expiry refers to ("boot"); 0 when the edge does not know it yet.</summary>
    public long Boot;

    /// <summary>Device uptime in ms after which the command must not run ("exp"); 0 = no expiry.</summary>
    public long ExpiresAtUptimeMs;

    /// <summary>A duration argument in ms ("ms"), e.g. how long an unlock lasts; 0 when absent.</summary>
    public long DurationMs;

    /// <summary>The emergency call a call command refers to ("call"), as the call point numbered it.</summary>
    public readonly byte[] CallId = new byte[MessageLimits.MaxIdLength];
    public int CallIdLength;

    public readonly byte[] Mac = new byte[MessageLimits.MaxMacLength];
    public int MacLength;

    public void Clear()
    {
        IdLength = 0;
        Kind = CommandKind.Unknown;
        Counter = 0;
        Boot = 0;
        ExpiresAtUptimeMs = 0;
        DurationMs = 0;
        MacLength = 0;
        CallIdLength = 0;
    }

    public bool HasSameId(byte[] id, int length)
    {
        if (length != IdLength)
        {
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            if (Id[i] != id[i])
            {
                return false;
            }
        }

        return true;
    }
}
