namespace SmartCommunity.Protocol;

/// <summary>
/// One decoded command, held in buffers owned by the device so decoding allocates nothing.
/// Fields follow hardware-docs/protocol.md §4.1; counter, expiry and MAC are checked by a device that holds a
/// command key (§4.5).
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

    /// <summary>Where the "mac" string's characters start in the payload and how many raw bytes they take; -1 when there is none.</summary>
    public int MacStart;
    public int MacRawLength;

    /// <summary>Hex characters of a wrapped 32-byte key in a rekey command.</summary>
    public const int WrappedKeyLength = 64;

    /// <summary>rekey: the new key's id ("kid").</summary>
    public long KeyId;

    /// <summary>rekey: the new key, encrypted under the current one, as hex ("key").</summary>
    public readonly byte[] WrappedKey = new byte[WrappedKeyLength];

    /// <summary>allow-list: true for "op":"full" (a list in parts), false for "op":"delta".</summary>
    public bool FullList;

    /// <summary>allow-list: the list version after applying ("ver", at least 1).</summary>
    public long ListVersion;

    /// <summary>allow-list full: this part ("part", 1..Parts) and how many parts ("parts").</summary>
    public long Part;
    public long Parts;

    /// <summary>allow-list delta: the version the delta applies to ("base").</summary>
    public long BaseVersion;

    /// <summary>allow-list: the edge's wall clock in unix seconds ("now"); the door's only time reference.</summary>
    public long NowUnixSeconds;

    /// <summary>allow-list: entries "card:from:to" separated by ';' ("add"), raw ASCII.</summary>
    public readonly byte[] Add = new byte[MessageLimits.MaxDownlinkBytes];
    public int AddLength;

    /// <summary>allow-list: card numbers separated by ';' ("remove"), raw ASCII.</summary>
    public readonly byte[] Remove = new byte[MessageLimits.MaxDownlinkBytes];
    public int RemoveLength;

    /// <summary>grant / deny, and a barrier's open or deny: the number of the access or entry request answered ("req"); 0 for an open without one.</summary>
    public long Request;

    public void Clear()
    {
        IdLength = 0;
        Kind = CommandKind.Unknown;
        Counter = 0;
        Boot = 0;
        ExpiresAtUptimeMs = 0;
        DurationMs = 0;
        MacLength = 0;
        MacStart = -1;
        MacRawLength = 0;
        KeyId = 0;
        CallIdLength = 0;
        FullList = false;
        ListVersion = 0;
        Part = 0;
        Parts = 0;
        BaseVersion = 0;
        NowUnixSeconds = 0;
        AddLength = 0;
        RemoveLength = 0;
        Request = 0;
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
