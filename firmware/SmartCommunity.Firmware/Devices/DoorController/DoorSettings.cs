namespace SmartCommunity.Firmware.Devices.DoorController;

using SmartCommunity.Firmware.Boot;

/// <summary>
/// Door controller parameters, from the device configuration bundle (hardware-docs/protocol.md §7); the names of
/// the bundle keys and their ranges are in hardware-docs/door-controller.md, "Parameters".
/// </summary>
public sealed class DoorSettings
{
    public DoorRole Role = DoorRole.EgressLock;

    /// <summary>Fail-safe or fail-secure; only an entry lock may be fail-secure (anything else is refused and reported).</summary>
    public LockMode LockMode = LockMode.FailSafe;

    /// <summary>Release when the edge link is lost for <see cref="LinkLostMs"/>; a perimeter door (false) stays secure.</summary>
    public bool EgressCritical;

    /// <summary>The fire input must read clear this long before a fire-input release ends (contact chatter).</summary>
    public long FireInputClearMs = 1000;

    /// <summary>The door-position contact must hold a new value this long before it counts.</summary>
    public long DoorContactDebounceMs = 50;

    /// <summary>How long an unlock command releases the lock when it names no duration.</summary>
    public long DefaultUnlockMs = 5000;

    /// <summary>The longest unlock a command or a grant may ask for; longer requests are refused as bad-argument.</summary>
    public long MaxUnlockMs = 600000;

    /// <summary>Period of the state heartbeat; the edge marks the device silent after several are missed.</summary>
    public long HeartbeatMs = 30000;

    /// <summary>How long a granted card or the request-to-exit button unlocks the door (ends early when the door closes again).</summary>
    public long UnlockMs = 5000;

    /// <summary>An open door raises door-held after this long; 0 = no held-open alarm.</summary>
    public long HeldOpenMs = 30000;

    /// <summary>The request-to-exit button must hold a new level this long before it counts.</summary>
    public long RexDebounceMs = 50;

    /// <summary>Ask the edge about every card (access-request) before deciding locally.</summary>
    public bool AskEdge;

    /// <summary>How long an access request waits for grant or deny before the door decides from its allow-list.</summary>
    public long OnlineWaitMs = 1500;

    /// <summary>Without the edge this long, the link counts as lost; 0 = never.</summary>
    public long LinkLostMs = 90000;

    /// <summary>Entries of the local allow-list (16 bytes of RAM and of store each).</summary>
    public int AllowListCapacity = 500;

    /// <summary>Access events kept while they cannot be sent; beyond this the oldest is dropped and counted.</summary>
    public int AccessBufferCapacity = 32;

    /// <summary>How often the known wall time is saved, so a reboot without the edge keeps a lower bound of it; 0 = only on sync.</summary>
    public long TimeSaveMs = 3600000;

    /// <summary>
    /// The settings for a door of <paramref name="role"/> (a layout role name) from its parameters; anything not given
    /// keeps its default. The lock mode and egress-critical flag arrive as the 0/1 parameters failSecure and
    /// egressCritical (the layout's lockMode and egressCritical keys, written into the bundle that way).
    /// </summary>
    public static DoorSettings Read(string role, IParameterSource parameters)
    {
        DoorSettings s = new DoorSettings();
        s.Role = role == DoorController.RoleHoldOpen ? DoorRole.HoldOpen : role == DoorController.RoleEntryLock ? DoorRole.EntryLock : DoorRole.EgressLock;
        s.LockMode = parameters.Parameter("failSecure", 0) != 0 ? LockMode.FailSecure : LockMode.FailSafe;
        s.EgressCritical = parameters.Parameter("egressCritical", 0) != 0;
        s.FireInputClearMs = parameters.Parameter("fireInputClearMs", s.FireInputClearMs);
        s.DoorContactDebounceMs = parameters.Parameter("doorContactDebounceMs", s.DoorContactDebounceMs);
        s.DefaultUnlockMs = parameters.Parameter("defaultUnlockMs", s.DefaultUnlockMs);
        s.MaxUnlockMs = parameters.Parameter("maxUnlockMs", s.MaxUnlockMs);
        s.HeartbeatMs = parameters.Parameter("heartbeatMs", s.HeartbeatMs);
        s.UnlockMs = parameters.Parameter("unlockMs", s.UnlockMs);
        s.HeldOpenMs = parameters.Parameter("heldOpenMs", s.HeldOpenMs);
        s.RexDebounceMs = parameters.Parameter("rexDebounceMs", s.RexDebounceMs);
        s.AskEdge = parameters.Parameter("askEdge", 0) != 0;
        s.OnlineWaitMs = parameters.Parameter("onlineWaitMs", s.OnlineWaitMs);
        s.LinkLostMs = parameters.Parameter("linkLostMs", s.LinkLostMs);
        s.AllowListCapacity = (int)parameters.Parameter("allowListCapacity", s.AllowListCapacity);
        s.AccessBufferCapacity = (int)parameters.Parameter("accessBufferCapacity", s.AccessBufferCapacity);
        s.TimeSaveMs = parameters.Parameter("timeSaveMs", s.TimeSaveMs);
        return s;
    }
}
