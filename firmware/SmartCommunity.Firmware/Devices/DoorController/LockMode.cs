namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>
/// How the lock behaves without power (hardware-docs/door-controller.md, "Lock modes"). The controller maps its
/// door state (locked / released) onto the output through this; an egress lock and a hold-open magnet are always
/// fail-safe.
/// </summary>
public enum LockMode
{
    /// <summary>Power holds the door: energised = locked (or held open), de-energised = released.</summary>
    FailSafe = 1,

    /// <summary>Power frees the door: energised = unlocked, de-energised = locked. Needs mechanical free egress.</summary>
    FailSecure = 2,
}
