namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>Door controller parameters, from the device configuration bundle (hardware-docs/protocol.md §7).</summary>
public sealed class DoorSettings
{
    public DoorRole Role = DoorRole.EgressLock;

    /// <summary>The fire input must read clear this long before a fire-input release ends (contact chatter).</summary>
    public long FireInputClearMs = 1000;

    /// <summary>The door-position contact must hold a new value this long before it counts.</summary>
    public long DoorContactDebounceMs = 50;

    /// <summary>How long an unlock command releases an egress lock when it names no duration.</summary>
    public long DefaultUnlockMs = 5000;

    /// <summary>The longest unlock a command may ask for; longer requests are refused as bad-argument.</summary>
    public long MaxUnlockMs = 600000;

    /// <summary>Period of the state heartbeat; the edge marks the device silent after several are missed.</summary>
    public long HeartbeatMs = 30000;
}
