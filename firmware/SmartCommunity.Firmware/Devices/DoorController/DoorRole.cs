namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>
/// What the door output drives (hardware-docs/door-controller.md). In both roles "release" means de-energise:
/// an egress lock unlocks, a hold-open magnet lets the fire door close and latch (it still opens by hand).
/// </summary>
public enum DoorRole
{
    /// <summary>A fail-safe lock on an escape route: energised = locked, de-energised = unlocked.</summary>
    EgressLock = 1,

    /// <summary>A magnet holding a fire door open: energised = held open, de-energised = door closes.</summary>
    HoldOpen = 2,
}
