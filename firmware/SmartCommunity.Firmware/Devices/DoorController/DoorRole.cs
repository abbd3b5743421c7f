namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>
/// What the door output drives (hardware-docs/door-controller.md, "The roles"). For the egress lock and the
/// hold-open magnet "release" means de-energise; an entry lock may be fail-secure, where release means energise.
/// </summary>
public enum DoorRole
{
    /// <summary>A fail-safe lock on an escape route: energised = locked, de-energised = unlocked.</summary>
    EgressLock = 1,

    /// <summary>A magnet holding a fire door open: energised = held open, de-energised = door closes.</summary>
    HoldOpen = 2,

    /// <summary>
    /// A lock that controls entry only, on a door whose egress side opens mechanically (lever, panic bar): fail-safe
    /// or fail-secure (<see cref="LockMode"/>).
    /// </summary>
    EntryLock = 3,
}
