namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>
/// One access-related event as the door keeps it until it can be sent (hardware-docs/door-controller.md, "Access
/// events"). The fields an event kind does not use stay 0.
/// </summary>
public sealed class AccessRecord
{
    // Event kinds and their wire names ("event").
    public const int KindAccess = 1;
    public const int KindDoorForced = 2;
    public const int KindDoorForcedCleared = 3;
    public const int KindDoorHeld = 4;
    public const int KindDoorHeldCleared = 5;
    public const int KindRex = 6;
    public const int KindLinkLost = 7;
    public const int KindLinkRestored = 8;
    public const int KindLockModeRefused = 9;

    public int Kind;

    /// <summary>Device uptime when it happened; sent as "at" so the edge can place an event sent late.</summary>
    public long AtMs;

    public ulong Card;
    public int Bits;
    public ReaderKind Reader;
    public bool Granted;
    public int Why;

    /// <summary>Decided without the edge (everything but the edge's own grant or deny).</summary>
    public bool Offline;

    /// <summary>The access request this decision answers; 0 when the edge was not asked.</summary>
    public long Request;

    public void Clear(int kind, long atMs)
    {
        Kind = kind;
        AtMs = atMs;
        Card = 0;
        Bits = 0;
        Reader = ReaderKind.Wiegand;
        Granted = false;
        Why = 0;
        Offline = false;
        Request = 0;
    }

    public void CopyTo(AccessRecord other)
    {
        other.Kind = Kind;
        other.AtMs = AtMs;
        other.Card = Card;
        other.Bits = Bits;
        other.Reader = Reader;
        other.Granted = Granted;
        other.Why = Why;
        other.Offline = Offline;
        other.Request = Request;
    }

    public static string NameOf(int kind)
    {
        switch (kind)
        {
            case KindAccess: return "access";
            case KindDoorForced: return "door-forced";
            case KindDoorForcedCleared: return "door-forced-cleared";
            case KindDoorHeld: return "door-held";
            case KindDoorHeldCleared: return "door-held-cleared";
            case KindRex: return "rex";
            case KindLinkLost: return "link-lost";
            case KindLinkRestored: return "link-restored";
            case KindLockModeRefused: return "lock-mode-refused";
            default: return "unknown";
        }
    }
}
