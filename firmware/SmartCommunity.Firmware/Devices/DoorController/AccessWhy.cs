namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>Why an access decision came out as it did: the access event's "why" (hardware-docs/door-controller.md, "Decisions").</summary>
public static class AccessWhy
{
    /// <summary>Granted: the card is in the local allow-list and valid now.</summary>
    public const int AllowList = 1;

    /// <summary>Granted by the edge's answer to an access request.</summary>
    public const int Edge = 2;

    /// <summary>Denied: the card is not in a complete allow-list.</summary>
    public const int UnknownCard = 3;

    /// <summary>Denied: the card's window ended.</summary>
    public const int Expired = 4;

    /// <summary>Denied: the card's window has not begun.</summary>
    public const int NotYetValid = 5;

    /// <summary>Denied by the edge's answer to an access request.</summary>
    public const int EdgeDenied = 6;

    /// <summary>Denied: the card is not in the list, and the list is incomplete (none yet, or a full list still arriving).</summary>
    public const int ListIncomplete = 7;

    /// <summary>Denied: the card has a validity window and the door has had no time reference since it was installed.</summary>
    public const int NoTime = 8;

    /// <summary>The door is released by a fire condition anyway: the read is logged; the door starts no access of its own.</summary>
    public const int FireReleased = 9;

    public static string NameOf(int why)
    {
        switch (why)
        {
            case AllowList: return "allow-list";
            case Edge: return "edge";
            case UnknownCard: return "unknown-card";
            case Expired: return "expired";
            case NotYetValid: return "not-yet-valid";
            case EdgeDenied: return "edge-denied";
            case ListIncomplete: return "list-incomplete";
            case NoTime: return "no-time";
            case FireReleased: return "fire-released";
            default: return "unknown";
        }
    }
}
