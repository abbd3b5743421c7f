namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>
/// Why the door is released (unlocked, or let close for a hold-open door); a bit set. The door is secured only
/// when no bit is set (hardware-docs/door-controller.md, "Release logic").
/// </summary>
public static class ReleaseReasons
{
    /// <summary>Since boot the building's fire state has not yet been read as clear.</summary>
    public const int AwaitingFireState = 1;

    /// <summary>The local hard-wired fire input is active (or was, less than the clear time ago).</summary>
    public const int FireInput = 2;

    /// <summary>The edge's retained fire state for the building says alarm.</summary>
    public const int BuildingFire = 4;

    /// <summary>A release command is in force until a reset or lock command.</summary>
    public const int Command = 8;

    /// <summary>An unlock command is in force until its time runs out or a lock command.</summary>
    public const int TimedUnlock = 16;

    /// <summary>A card was granted (locally or by the edge): unlocked for the unlock time, or until the door closes again.</summary>
    public const int Access = 32;

    /// <summary>The request-to-exit button was pressed: unlocked for the unlock time, or until the door closes again.</summary>
    public const int Rex = 64;

    /// <summary>An egress-critical door has lost the edge link.</summary>
    public const int LinkLost = 128;

    /// <summary>The highest bit, for loops over every reason.</summary>
    public const int Last = LinkLost;

    public const int AnyFire = FireInput | BuildingFire;

    /// <summary>Reasons that last for one passage; a door held open under them raises door-held.</summary>
    public const int Passage = Access | Rex;

    public static string NameOf(int reason)
    {
        switch (reason)
        {
            case AwaitingFireState: return "awaiting-fire-state";
            case FireInput: return "fire-input";
            case BuildingFire: return "building-fire";
            case Command: return "command";
            case TimedUnlock: return "timed-unlock";
            case Access: return "access";
            case Rex: return "rex";
            case LinkLost: return "link-lost";
            default: return "unknown";
        }
    }
}
