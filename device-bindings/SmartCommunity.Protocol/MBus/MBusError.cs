namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// Why an M-Bus frame or telegram was refused (hardware-docs/mbus.md §6): a stable code for counting, the byte offset
/// in the frame where the problem was found, and a sentence for people. Decoders return one of these instead of
/// throwing; null means success.
/// </summary>
public sealed class MBusError
{
    public MBusError(string code, int offset, string message)
    {
        Code = code;
        Offset = offset;
        Message = message;
    }

    /// <summary>A short kebab-case code such as "checksum" or "premature-end" (constants in <see cref="MBusErrorCodes"/>).</summary>
    public string Code { get; }

    /// <summary>Byte offset from the frame's first byte (the start byte) where the problem was found.</summary>
    public int Offset { get; }

    public string Message { get; }

    /// <summary>"checksum at byte 38: ...", the form the CLI prints.</summary>
    public override string ToString() => Code + " at byte " + Offset.ToString() + ": " + Message;
}
