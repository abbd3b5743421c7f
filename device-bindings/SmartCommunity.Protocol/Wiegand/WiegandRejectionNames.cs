namespace SmartCommunity.Protocol.Wiegand;

/// <summary>
/// The "why" of a bad-frame event for a Wiegand rejection (hardware-docs/wiegand.md §5). Constant strings, so the
/// loop can publish them without allocating; enum.ToString() gives only a number on nanoFramework.
/// </summary>
public static class WiegandRejectionNames
{
    public const string Parity = "parity";
    public const string Length = "length";
    public const string Timeout = "timeout";
    public const string QueueFull = "queue-full";

    /// <summary>Overflow is reported as "length" (too many bits); None gives null.</summary>
    public static string Name(WiegandRejection rejection)
    {
        switch (rejection)
        {
            case WiegandRejection.Parity:
                return Parity;
            case WiegandRejection.Length:
            case WiegandRejection.Overflow:
                return Length;
            case WiegandRejection.Timeout:
                return Timeout;
            case WiegandRejection.QueueFull:
                return QueueFull;
            default:
                return null;
        }
    }
}
