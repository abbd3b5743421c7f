namespace SmartCommunity.Firmware.Devices.DoorController;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

/// <summary>
/// Drives one door output (egress lock, entry lock or hold-open magnet) from its local fire input, the building's
/// fire state, the edge's commands, card reads and the request-to-exit button. Behaviour is specified in
/// hardware-docs/door-controller.md: the door starts released, releases at once on the fire input, and is secured
/// only when no release reason stands; every output write happens in <see cref="ApplyOutput"/>.
/// This file holds the release logic and the commands; DoorController.Access.cs the card decisions and the access
/// events; DoorController.Alarms.cs the door contact, request-to-exit, forced/held alarms and the edge link.
/// </summary>
public sealed partial class DoorController : IFirmwareDevice, ICommandTarget
{
    public const string Kind = "door";
    public const string RoleEgressLock = "egress-lock";
    public const string RoleHoldOpen = "hold-open";
    public const string RoleEntryLock = "entry-lock";
    public const string OutputEnergised = "energised";

    /// <summary>The output's off level where off is the release: egress lock, hold-open magnet, fail-safe entry lock.</summary>
    public const string OutputReleased = "released";

    /// <summary>The output's off level for a fail-secure strike, where off locks: never called "released".</summary>
    public const string OutputDeEnergised = "de-energised";

    public const string LockModeFailSafe = "fail-safe";
    public const string LockModeFailSecure = "fail-secure";

    private readonly DoorSettings _settings;
    private readonly IDigitalOutput _output;
    private readonly IDigitalInput _fireInput;
    private readonly IDigitalInput _doorClosedInput;
    private readonly IMessageTransport _transport;
    private readonly Uplink _uplink;
    private readonly CommandHandler _commands;
    private readonly Presence _presence;
    private readonly FireStateDecoder _fireStateDecoder = new FireStateDecoder();
    private readonly Cadence _heartbeat;
    private readonly string[] _subscriptions;
    private readonly bool _failSecure;
    private readonly bool _lockModeRefused;

    private int _reasons = ReleaseReasons.AwaitingFireState;
    private bool _energised;
    private bool _fireInputClearing;
    private long _fireInputClearSinceMs;
    private FireState _buildingFire = FireState.Unknown;
    private long _malformedFireStates;
    private long _unlockSinceMs;
    private long _unlockForMs;

    /// <summary>The controller as before access control: no request-to-exit button, no reader, no store.</summary>
    /// <param name="doorClosedInput">The door-position contact (active = closed); null when none is wired.</param>
    public DoorController(
        DeviceIdentity identity,
        DoorSettings settings,
        IDigitalOutput output,
        IDigitalInput fireInput,
        IDigitalInput doorClosedInput,
        IClock clock,
        IMessageTransport transport,
        long boot)
        : this(identity, settings, output, fireInput, doorClosedInput, null, null, null, clock, transport, boot)
    {
    }

    /// <param name="doorClosedInput">The door-position contact (active = closed); null when none is wired.</param>
    /// <param name="rexInput">The request-to-exit button (active = pressed); null when none is wired.</param>
    /// <param name="reader">The card reader; null when the door has none.</param>
    /// <param name="store">Keeps the allow-list and the last known time across restarts; null keeps them in RAM only.</param>
    public DoorController(
        DeviceIdentity identity,
        DoorSettings settings,
        IDigitalOutput output,
        IDigitalInput fireInput,
        IDigitalInput doorClosedInput,
        IDigitalInput rexInput,
        ICardReader reader,
        INonVolatileStore store,
        IClock clock,
        IMessageTransport transport,
        long boot)
    {
        _settings = settings;
        _output = output;
        _fireInput = fireInput;
        _doorClosedInput = doorClosedInput;
        _transport = transport;

        // Boot safe: whatever the pin did during reset, the first thing this code does is de-energise (R1).
        _energised = false;
        _output.Write(false);

        // Only an entry lock may be fail-secure: an egress lock must open without power, a magnet must let go.
        _lockModeRefused = settings.LockMode == LockMode.FailSecure && settings.Role != DoorRole.EntryLock;
        _failSecure = settings.LockMode == LockMode.FailSecure && !_lockModeRefused;
        if (_failSecure)
        {
            // The door starts released (awaiting-fire-state); a fail-secure strike is released by energising it.
            _energised = true;
            _output.Write(true);
        }

        _uplink = new Uplink(identity, clock, transport, boot);
        _commands = new CommandHandler(_uplink, this);
        _presence = new Presence(_uplink, transport, RoleName);
        long now = clock.UptimeMs;
        _heartbeat = new Cadence(settings.HeartbeatMs, now);
        _subscriptions = new string[] { identity.CommandTopic, identity.FireStateTopic };
        _reader = reader;
        _rex = new DebouncedInput(rexInput, settings.RexDebounceMs, false);
        _allowList = new AllowList(settings.AllowListCapacity, store);
        _allowList.Load();
        _wallClock = new WallClock(store);
        _wallClock.Load(now);
        _journal = new AccessJournal(settings.AccessBufferCapacity);
        _lastLinkMs = now;
        _doorContact = new DebouncedInput(
            doorClosedInput, settings.DoorContactDebounceMs, doorClosedInput != null && doorClosedInput.IsActive());
        if (doorClosedInput != null)
        {
            _heldSinceMs = now;
        }

        if (_lockModeRefused)
        {
            _scratch.Clear(AccessRecord.KindLockModeRefused, now);
            _journal.Append(_scratch);
        }
    }

    public DeviceIdentity Identity => _uplink.Identity;

    public string[] Subscriptions => _subscriptions;

    public string RoleName
    {
        get
        {
            switch (_settings.Role)
            {
                case DoorRole.HoldOpen: return RoleHoldOpen;
                case DoorRole.EntryLock: return RoleEntryLock;
                default: return RoleEgressLock;
            }
        }
    }

    /// <summary>The lock mode in force: fail-secure only for an entry lock that asked for it.</summary>
    public LockMode LockMode => _failSecure ? LockMode.FailSecure : LockMode.FailSafe;

    /// <summary>The settings asked for fail-secure on a role that must be fail-safe; the door runs fail-safe.</summary>
    public bool LockModeRefused => _lockModeRefused;

    /// <summary>True while the output is energised (physical level; what it means depends on <see cref="LockMode"/>).</summary>
    public bool IsEnergised => _energised;

    /// <summary>True while the door is secured: no release reason stands and the output is in its locked level.</summary>
    public bool IsSecured => _failSecure ? !_energised : _energised;

    public int ReleaseReasonBits => _reasons;

    public FireState BuildingFire => _buildingFire;

    public bool IsDoorClosed => _doorContact.IsActive;

    public CommandHandler Commands => _commands;

    public Uplink Uplink => _uplink;

    public long MalformedFireStates => _malformedFireStates;

    private bool IsLockRole => _settings.Role != DoorRole.HoldOpen;

    private string OffLevelName => _failSecure ? OutputDeEnergised : OutputReleased;

    public void Step(long nowMs)
    {
        // Safety first: the fire input is followed before anything else can happen in this step.
        TrackFireInput(nowMs);
        TrackLink(nowMs);
        TrackTimedReleases(nowMs);
        TrackRex(nowMs);
        ApplyOutput();
        TrackDoorContact(nowMs);
        TrackHeldOpen(nowMs);
        TrackPendingRequest(nowMs);
        TakeCardRead(nowMs);
        ApplyOutput();
        _wallClock.Step(nowMs, _settings.TimeSaveMs);

        if (_presence.IsStateDue(_heartbeat, nowMs))
        {
            PublishState();
        }

        FlushJournal(nowMs);
    }

    public void HandleMessage(string topic, byte[] payload, int length, long nowMs)
    {
        if (topic == _uplink.Identity.CommandTopic)
        {
            _commands.Handle(payload, length, nowMs);
        }
        else if (topic == _uplink.Identity.FireStateTopic)
        {
            ApplyBuildingFireState(_fireStateDecoder.Decode(payload, length));
        }

        TrackLink(nowMs);
        ApplyOutput();
        FlushJournal(nowMs);
    }

    public CommandRejection Execute(Command command, long nowMs)
    {
        switch (command.Kind)
        {
            case CommandKind.Release:
                SetReason(ReleaseReasons.Command, true);
                ApplyOutput();
                return CommandRejection.None;
            case CommandKind.Reset:
            case CommandKind.Lock:
                // No command may secure a door while a fire condition stands (domain rule R3).
                if ((_reasons & ReleaseReasons.AnyFire) != 0 || _fireInput.IsActive())
                {
                    return CommandRejection.FireActive;
                }

                SetReason(ReleaseReasons.Command, false);
                SetReason(ReleaseReasons.TimedUnlock, false);
                SetReason(ReleaseReasons.Passage, false);
                ApplyOutput();
                return CommandRejection.None;
            case CommandKind.Unlock:
                // Access through a lock; a hold-open magnet has nothing to unlock.
                if (!IsLockRole)
                {
                    return CommandRejection.NotSupportedByDevice;
                }

                long duration = command.DurationMs == 0 ? _settings.DefaultUnlockMs : command.DurationMs;
                if (duration > _settings.MaxUnlockMs)
                {
                    return CommandRejection.BadArgument;
                }

                _unlockSinceMs = nowMs;
                _unlockForMs = duration;
                SetReason(ReleaseReasons.TimedUnlock, true);
                ApplyOutput();
                return CommandRejection.None;
            case CommandKind.AllowList:
                // The edge's clock is taken from any well-formed sync, whatever its list outcome.
                _wallClock.Set(command.NowUnixSeconds, nowMs);
                return _allowList.Apply(command);
            case CommandKind.Grant:
            case CommandKind.Deny:
                return Answer(command, nowMs);
            case CommandKind.SelfTest:
                PublishSelfTest();
                return CommandRejection.None;
            default:
                return CommandRejection.NotSupportedByDevice;
        }
    }

    private void ApplyBuildingFireState(FireState state)
    {
        if (state == FireState.Unknown)
        {
            // A malformed or deleted retained message tells us nothing; keep what we knew (still released if nothing).
            _malformedFireStates++;
            return;
        }

        _buildingFire = state;
        _fireStateSession = _transport.Sessions;
        SetReason(ReleaseReasons.BuildingFire, state == FireState.Alarm);
        SetReason(ReleaseReasons.AwaitingFireState, false);
    }

    private void TrackFireInput(long nowMs)
    {
        if (_fireInput.IsActive())
        {
            _fireInputClearing = false;
            if ((_reasons & ReleaseReasons.FireInput) == 0)
            {
                SetReason(ReleaseReasons.FireInput, true);
                ApplyOutput();
                PublishEvent("fire-input-active");
            }

            return;
        }

        if ((_reasons & ReleaseReasons.FireInput) == 0)
        {
            return;
        }

        if (!_fireInputClearing)
        {
            _fireInputClearing = true;
            _fireInputClearSinceMs = nowMs;
        }
        else if (nowMs - _fireInputClearSinceMs >= _settings.FireInputClearMs)
        {
            _fireInputClearing = false;
            SetReason(ReleaseReasons.FireInput, false);
            PublishEvent("fire-input-clear");
        }
    }

    // The unlock command, a granted card and the request-to-exit button each release for a time of their own.
    private void TrackTimedReleases(long nowMs)
    {
        if ((_reasons & ReleaseReasons.TimedUnlock) != 0 && nowMs - _unlockSinceMs >= _unlockForMs)
        {
            SetReason(ReleaseReasons.TimedUnlock, false);
            PublishEvent("unlock-ended");
        }

        if ((_reasons & ReleaseReasons.Access) != 0 && nowMs - _accessSinceMs >= _accessForMs)
        {
            SetReason(ReleaseReasons.Access, false);
        }

        if ((_reasons & ReleaseReasons.Rex) != 0 && nowMs - _rexSinceMs >= _settings.UnlockMs)
        {
            SetReason(ReleaseReasons.Rex, false);
        }

        if ((_reasons & ReleaseReasons.Passage) == 0)
        {
            _openedDuringPassage = false;
        }
    }

    private void SetReason(int reason, bool active)
    {
        _reasons = active ? _reasons | reason : _reasons & ~reason;
    }

    // The one place the output is written. The fire input is read again here so that no path, whatever the
    // bookkeeping says, can secure the door while it is active. Fail-secure inverts the level: its strike is
    // released by energising it (hardware-docs/door-controller.md, "Lock modes").
    private void ApplyOutput()
    {
        bool secure = _reasons == 0 && !_fireInput.IsActive();
        bool energise = _failSecure ? !secure : secure;
        if (energise == _energised)
        {
            return;
        }

        _energised = energise;
        _output.Write(energise);
        PublishEvent(energise ? OutputEnergised : OffLevelName);
        PublishState();
    }

    private void PublishEvent(string name)
    {
        PayloadWriter writer = _uplink.BeginEvent(name);
        WriteDoorFields(writer);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void PublishState()
    {
        PayloadWriter writer = _uplink.Begin();
        WriteDoorFields(writer);
        writer.Property("fireState", FireStateNames.NameOf(_buildingFire));
        writer.Property("dropped", _uplink.Dropped);
        _commands.WriteCounters(writer);
        writer.Property("lockMode", _failSecure ? LockModeFailSecure : LockModeFailSafe);
        writer.Property("egressCritical", _settings.EgressCritical);
        writer.Property("link", _linkLost ? "lost" : "up");
        writer.Property("listVersion", _allowList.Version);
        writer.Property("listCount", _allowList.Count);
        writer.Property("listFull", _allowList.IsFull);
        writer.Property("badFrames", _badFrames);
        writer.Property("accessDropped", _journal.Dropped);
        _uplink.Send(_uplink.Identity.StateTopic, 1);
    }

    private void PublishSelfTest()
    {
        PayloadWriter writer = _uplink.BeginEvent("self-test-report");
        // The board cannot read its own output back; the report states what it can observe.
        writer.Property("result", "pass");
        WriteDoorFields(writer);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void WriteDoorFields(PayloadWriter writer)
    {
        writer.Property("role", RoleName);
        writer.Property("output", _energised ? OutputEnergised : OffLevelName);
        if (IsLockRole)
        {
            // "output" is the physical level; what it means for the door depends on the lock mode.
            writer.Property("lock", IsSecured ? "locked" : "unlocked");
        }

        writer.BeginArray("release");
        for (int bit = 1; bit <= ReleaseReasons.Last; bit <<= 1)
        {
            if ((_reasons & bit) != 0)
            {
                writer.ArrayItem(ReleaseReasons.NameOf(bit));
            }
        }

        writer.EndArray();
        writer.Property("fireInput", (_reasons & ReleaseReasons.FireInput) != 0);
        if (_doorClosedInput != null)
        {
            writer.Property("door", _doorContact.IsActive ? "closed" : "open");
        }
    }
}
