namespace SmartCommunity.Firmware.Devices.DoorController;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

/// <summary>
/// Drives one door output (egress lock or hold-open magnet) from its local fire input, the building's fire
/// state and the edge's commands. Safety behaviour is specified in hardware-docs/door-controller.md:
/// the output starts released, releases at once on the fire input, and is energised only when no release
/// reason stands; every output write happens in <see cref="ApplyOutput"/>.
/// </summary>
public sealed class DoorController : IFirmwareDevice, ICommandTarget
{
    public const string Kind = "door";
    public const string RoleEgressLock = "egress-lock";
    public const string RoleHoldOpen = "hold-open";

    private readonly DoorSettings _settings;
    private readonly IDigitalOutput _output;
    private readonly IDigitalInput _fireInput;
    private readonly IDigitalInput _doorClosedInput;
    private readonly Uplink _uplink;
    private readonly CommandHandler _commands;
    private readonly Presence _presence;
    private readonly FireStateDecoder _fireStateDecoder = new FireStateDecoder();
    private readonly Cadence _heartbeat;
    private readonly string[] _subscriptions;

    private int _reasons = ReleaseReasons.AwaitingFireState;
    private bool _energised;
    private bool _fireInputClearing;
    private long _fireInputClearSinceMs;
    private FireState _buildingFire = FireState.Unknown;
    private bool _doorClosed;
    private bool _doorCandidate;
    private long _doorCandidateSinceMs;
    private long _malformedFireStates;
    private long _unlockSinceMs;
    private long _unlockForMs;

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
    {
        _settings = settings;
        _output = output;
        _fireInput = fireInput;
        _doorClosedInput = doorClosedInput;

        // Boot safe: whatever the pin did during reset, the first thing this code does is release (R1).
        _energised = false;
        _output.Write(false);

        _uplink = new Uplink(identity, clock, transport, boot);
        _commands = new CommandHandler(_uplink, this);
        _presence = new Presence(_uplink, transport, RoleName);
        long now = clock.UptimeMs;
        _heartbeat = new Cadence(settings.HeartbeatMs, now);
        _subscriptions = new string[] { identity.CommandTopic, identity.FireStateTopic };
        if (doorClosedInput != null)
        {
            _doorClosed = doorClosedInput.IsActive();
            _doorCandidate = _doorClosed;
        }
    }

    public DeviceIdentity Identity => _uplink.Identity;

    public string[] Subscriptions => _subscriptions;

    public string RoleName => _settings.Role == DoorRole.HoldOpen ? RoleHoldOpen : RoleEgressLock;

    /// <summary>True while the output is energised (egress lock locked, hold-open door held open).</summary>
    public bool IsEnergised => _energised;

    public int ReleaseReasonBits => _reasons;

    public FireState BuildingFire => _buildingFire;

    public bool IsDoorClosed => _doorClosed;

    public CommandHandler Commands => _commands;

    public Uplink Uplink => _uplink;

    public long MalformedFireStates => _malformedFireStates;

    public void Step(long nowMs)
    {
        TrackFireInput(nowMs);
        TrackTimedUnlock(nowMs);
        TrackDoorContact(nowMs);
        ApplyOutput();

        if (_presence.AnnounceIfNewSession(nowMs))
        {
            PublishState();
            _heartbeat.Restart(nowMs);
        }
        else if (_heartbeat.IsDue(nowMs))
        {
            PublishState();
        }
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

        ApplyOutput();
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
                // No command may re-energise a door while a fire condition stands (domain rule R3).
                if ((_reasons & ReleaseReasons.AnyFire) != 0 || _fireInput.IsActive())
                {
                    return CommandRejection.FireActive;
                }

                SetReason(ReleaseReasons.Command, false);
                SetReason(ReleaseReasons.TimedUnlock, false);
                ApplyOutput();
                return CommandRejection.None;
            case CommandKind.Unlock:
                // Access through an egress lock; a hold-open magnet has nothing to unlock.
                if (_settings.Role != DoorRole.EgressLock)
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

    private void TrackTimedUnlock(long nowMs)
    {
        if ((_reasons & ReleaseReasons.TimedUnlock) != 0 && nowMs - _unlockSinceMs >= _unlockForMs)
        {
            SetReason(ReleaseReasons.TimedUnlock, false);
            PublishEvent("unlock-ended");
        }
    }

    private void TrackDoorContact(long nowMs)
    {
        if (_doorClosedInput == null)
        {
            return;
        }

        bool closed = _doorClosedInput.IsActive();
        if (closed != _doorCandidate)
        {
            _doorCandidate = closed;
            _doorCandidateSinceMs = nowMs;
            return;
        }

        if (closed != _doorClosed && nowMs - _doorCandidateSinceMs >= _settings.DoorContactDebounceMs)
        {
            _doorClosed = closed;
            PublishEvent(closed ? "door-closed" : "door-opened");
        }
    }

    private void SetReason(int reason, bool active)
    {
        _reasons = active ? _reasons | reason : _reasons & ~reason;
    }

    // The one place the output is written. The fire input is read again here so that no path, whatever the
    // bookkeeping says, can energise while it is active.
    private void ApplyOutput()
    {
        bool energise = _reasons == 0 && !_fireInput.IsActive();
        if (energise == _energised)
        {
            return;
        }

        _energised = energise;
        _output.Write(energise);
        PublishEvent(energise ? "energised" : "released");
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
        writer.Property("fireState", FireStateName(_buildingFire));
        writer.Property("dropped", _uplink.Dropped);
        writer.Property("rejectedCommands", _commands.Rejected);
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
        writer.Property("output", _energised ? "energised" : "released");
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
            writer.Property("door", _doorClosed ? "closed" : "open");
        }
    }

    private static string FireStateName(FireState state)
    {
        switch (state)
        {
            case FireState.Clear: return FireStateDecoder.Clear;
            case FireState.Alarm: return FireStateDecoder.Alarm;
            default: return "unknown";
        }
    }
}
