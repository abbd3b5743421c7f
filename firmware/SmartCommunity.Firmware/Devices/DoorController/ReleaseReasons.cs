namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>
/// Why the door output is released; a bit set. The output is energised only when no bit is set
/// (hardware-docs/door-controller.md, "Release logic").
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

    /// <summary>An unlock command (access) is in force until its time runs out or a lock command.</summary>
    public const int TimedUnlock = 16;

    /// <summary>The highest bit, for loops over every reason.</summary>
    public const int Last = TimedUnlock;

    public const int AnyFire = FireInput | BuildingFire;

    public static string NameOf(int reason)
    {
        switch (reason)
        {
            case AwaitingFireState: return "awaiting-fire-state";
            case FireInput: return "fire-input";
            case BuildingFire: return "building-fire";
            case Command: return "command";
            case TimedUnlock: return "timed-unlock";
            default: return "unknown";
        }
    }
}
