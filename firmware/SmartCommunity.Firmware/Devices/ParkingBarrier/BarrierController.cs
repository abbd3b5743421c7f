namespace SmartCommunity.Firmware.Devices.ParkingBarrier;

using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

/// <summary>
/// A car-park barrier with three loops, a monitored safety sensor and a two-output motor controller
/// (hardware-docs/parking-barrier.md). The motor outputs are written only in <see cref="ApplyOutputs"/>, which
/// re-reads the presence loop and the safety input itself: the close output is never energised in a step where
/// either is active, whatever the rest of the state machine decided, and a close that is blocked turns into an open.
/// </summary>
public sealed class BarrierController : IFirmwareDevice, ICommandTarget
{
    public const string Kind = "barrier";
    public const string Role = "barrier";

    /// <summary>Values of "by" in events (parking-barrier.md, "Events").</summary>
    public const string ByCommand = "command";
    public const string ByInput = "input";
    public const string ByButton = "button";
    public const string ByAuto = "auto";
    public const string ByEvacuation = "evacuation";
    public const string ByObstacle = "obstacle";
    public const string ByBoot = "boot";

    private const int LoopNone = 0;
    private const int LoopArming = 1;
    private const int LoopClosing = 2;

    private readonly BarrierSettings _settings;
    private readonly IDigitalInput _openLimit;
    private readonly IDigitalInput _closedLimit;
    private readonly IDigitalInput _armingLoop;
    private readonly IDigitalInput _presenceLoop;
    private readonly IDigitalInput _closingLoop;
    private readonly IDigitalInput _safety;
    private readonly IDigitalInput _sensorOk;
    private readonly IDigitalInput _openInput;
    private readonly IDigitalInput _closeButton;
    private readonly IDigitalOutput _driveOpen;
    private readonly IDigitalOutput _driveClose;
    private readonly ICardReader _reader;
    private readonly CardRead _read = new CardRead();
    private readonly CardPayload _card = new CardPayload();
    private readonly Uplink _uplink;
    private readonly CommandHandler _commands;
    private readonly Presence _presence;
    private readonly Cadence _heartbeat;
    private readonly FireStateDecoder _fireDecoder = new FireStateDecoder();
    private readonly string[] _subscriptions;

    private BarrierState _state;
    private long _moveSinceMs;
    private bool _stateChanged = true;
    private bool _openEnergised;
    private bool _closeEnergised;

    private bool _sensorFault;
    private long _sensorOkSinceMs;
    private bool _sensorOkRun;

    private bool _evacuating;
    private FireState _buildingFire = FireState.Unknown;

    private bool _openInputWas;
    private bool _buttonWas;
    private bool _holdToRun;

    private bool _closePending;
    private long _closeDueMs;

    private int _firstLoop;
    private bool _crossed;
    private long _vehiclesIn;
    private long _vehiclesOut;
    private long _obstacles;
    private long _faults;

    private long _requests;
    private long _pendingRequest;
    private long _pendingSinceMs;
    private long _badFrames;

    /// <param name="safety">Photo-eye or safety edge: active = something in the way.</param>
    /// <param name="sensorOk">The safety sensor's monitoring output: active = present and working (parking-barrier.md, "Sensor monitoring").</param>
    /// <param name="openInput">Card reader relay or remote receiver: a rising edge is an open request.</param>
    /// <param name="closeButton">The local hold-to-run close button: active = held.</param>
    /// <param name="reader">The card reader whose reads become entry requests to the edge; null when the barrier has none.</param>
    public BarrierController(
        DeviceIdentity identity,
        BarrierSettings settings,
        IDigitalInput openLimit,
        IDigitalInput closedLimit,
        IDigitalInput armingLoop,
        IDigitalInput presenceLoop,
        IDigitalInput closingLoop,
        IDigitalInput safety,
        IDigitalInput sensorOk,
        IDigitalInput openInput,
        IDigitalInput closeButton,
        ICardReader reader,
        IDigitalOutput driveOpen,
        IDigitalOutput driveClose,
        IClock clock,
        IMessageTransport transport,
        long boot)
    {
        // Motor off before anything else, whatever the pins did during reset.
        _driveOpen = driveOpen;
        _driveClose = driveClose;
        _driveOpen.Write(false);
        _driveClose.Write(false);

        _settings = settings;
        _openLimit = openLimit;
        _closedLimit = closedLimit;
        _armingLoop = armingLoop;
        _presenceLoop = presenceLoop;
        _closingLoop = closingLoop;
        _safety = safety;
        _sensorOk = sensorOk;
        _openInput = openInput;
        _closeButton = closeButton;
        _reader = reader;
        _uplink = new Uplink(identity, clock, transport, boot);
        _commands = new CommandHandler(_uplink, this);
        _presence = new Presence(_uplink, transport, Role);
        _subscriptions = new string[] { identity.CommandTopic, identity.FireStateTopic };

        long now = clock.UptimeMs;
        _heartbeat = new Cadence(settings.HeartbeatMs, now);

        // A sensor must prove itself healthy before the barrier closes by itself.
        _sensorFault = true;

        // Inputs held at power-up are not requests: they must be released first.
        _openInputWas = openInput.IsActive();
        _buttonWas = closeButton.IsActive();

        // Never close at boot. Between the limits the arm goes open: the position is unknown and open is safe.
        bool open = openLimit.IsActive();
        bool closed = closedLimit.IsActive();
        if (closed && !open)
        {
            _state = BarrierState.Closed;
        }
        else if (open && !closed)
        {
            _state = BarrierState.Open;
        }
        else
        {
            _state = BarrierState.Opening;
            _moveSinceMs = now;
        }

        ApplyOutputs(now);
    }

    public DeviceIdentity Identity => _uplink.Identity;

    public string[] Subscriptions => _subscriptions;

    public BarrierState State => _state;

    /// <summary>Evacuation latched (command or building fire); cleared only by a reset.</summary>
    public bool IsEvacuating => _evacuating;

    /// <summary>The safety sensor is missing or faulty: only hold-to-run closes, remote close is refused.</summary>
    public bool IsSensorFault => _sensorFault;

    /// <summary>A close is waiting for the loops and the safety sensor to clear (auto-close or close command).</summary>
    public bool IsClosePending => _closePending;

    public FireState BuildingFire => _buildingFire;

    public long VehiclesIn => _vehiclesIn;

    public long VehiclesOut => _vehiclesOut;

    public long Obstacles => _obstacles;

    public long Faults => _faults;

    /// <summary>Frames the card reader's decoder refused.</summary>
    public long BadFrames => _badFrames;

    public bool IsDrivingOpen => _openEnergised;

    public bool IsDrivingClose => _closeEnergised;

    public CommandHandler Commands => _commands;

    public Uplink Uplink => _uplink;

    public void Step(long nowMs)
    {
        TrackSensor(nowMs);
        TrackLoops(nowMs);
        TrackRequests(nowMs);
        TakeCardRead(nowMs);
        TrackMotion(nowMs);
        TrackPendingClose(nowMs);
        ApplyOutputs(nowMs);

        if (_presence.IsStateDue(_heartbeat, nowMs) || _stateChanged)
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
            FireState state = _fireDecoder.Decode(payload, length);
            if (state != FireState.Unknown)
            {
                _buildingFire = state;
                _stateChanged = true;
                if (state == FireState.Alarm)
                {
                    Evacuate(nowMs);
                }
            }
        }

        ApplyOutputs(nowMs);
        if (_stateChanged)
        {
            PublishState();
        }
    }

    public CommandRejection Execute(Command command, long nowMs)
    {
        switch (command.Kind)
        {
            case CommandKind.Open:
                if (command.Request != 0 && !AnswerEntryRequest(command.Request, true, nowMs))
                {
                    return CommandRejection.Expired;
                }

                RequestOpen(ByCommand, nowMs);
                return CommandRejection.None;
            case CommandKind.Deny:
                return AnswerEntryRequest(command.Request, false, nowMs) ? CommandRejection.None : CommandRejection.Expired;
            case CommandKind.Evacuate:
                Evacuate(nowMs);
                return CommandRejection.None;
            case CommandKind.Close:
                if (_evacuating)
                {
                    return CommandRejection.FireActive;
                }

                if (_sensorFault)
                {
                    return CommandRejection.SafetySensorFault;
                }

                RequestClose(nowMs, nowMs);
                return CommandRejection.None;
            case CommandKind.Reset:
                if (_buildingFire == FireState.Alarm)
                {
                    return CommandRejection.FireActive;
                }

                Reset(nowMs);
                return CommandRejection.None;
            case CommandKind.SelfTest:
                PublishSelfTest();
                return CommandRejection.None;
            default:
                return CommandRejection.NotSupportedByDevice;
        }
    }

    // Monitored every step: a missing or failed sensor counts at once; it must read healthy for a while to count again.
    private void TrackSensor(long nowMs)
    {
        if (!_sensorOk.IsActive())
        {
            _sensorOkRun = false;
            if (!_sensorFault)
            {
                _sensorFault = true;
                _closePending = false;
                _stateChanged = true;
                PublishEvent("sensor-fault");
            }

            return;
        }

        if (!_sensorFault)
        {
            return;
        }

        if (!_sensorOkRun)
        {
            _sensorOkRun = true;
            _sensorOkSinceMs = nowMs;
        }

        if (nowMs - _sensorOkSinceMs >= _settings.SensorRecoverMs)
        {
            _sensorOkRun = false;
            _sensorFault = false;
            _stateChanged = true;
            PublishEvent("sensor-ok");
        }
    }

    // A passage is confirmed when both the arming and the closing loop saw the vehicle and then all loops are clear;
    // its direction is the loop it reached first (parking-barrier.md, "Counting").
    private void TrackLoops(long nowMs)
    {
        bool arming = _armingLoop.IsActive();
        bool closing = _closingLoop.IsActive();
        bool under = _presenceLoop.IsActive();
        if (_firstLoop == LoopNone)
        {
            if (arming)
            {
                _firstLoop = LoopArming;
            }
            else if (closing)
            {
                _firstLoop = LoopClosing;
            }
        }

        if ((_firstLoop == LoopArming && closing) || (_firstLoop == LoopClosing && arming))
        {
            _crossed = true;
        }

        if (arming || closing || under)
        {
            return;
        }

        if (_crossed)
        {
            bool entering = _firstLoop == LoopArming;
            if (entering)
            {
                _vehiclesIn++;
            }
            else
            {
                _vehiclesOut++;
            }

            _stateChanged = true;
            PayloadWriter writer = BeginEvent("passage");
            writer.Property("direction", entering ? "in" : "out");
            _uplink.Send(_uplink.Identity.EventTopic, 1);

            // Auto-close follows the vehicle, never a timer alone.
            if (!_evacuating && !_sensorFault && (_state == BarrierState.Open || _state == BarrierState.Opening))
            {
                RequestClose(nowMs, nowMs + _settings.AutoCloseDelayMs);
            }
        }

        _firstLoop = LoopNone;
        _crossed = false;
    }

    private void TrackRequests(long nowMs)
    {
        bool open = _openInput.IsActive();
        if (open && !_openInputWas)
        {
            RequestOpen(ByInput, nowMs);
        }

        _openInputWas = open;

        bool held = _closeButton.IsActive();
        bool pressed = held && !_buttonWas;
        _buttonWas = held;
        if (_evacuating)
        {
            return;
        }

        if (_sensorFault)
        {
            // Hold-to-run: a close runs only while a person holds the button, and its release sends the arm back open.
            // Not started into an obstacle: it would only reverse at once, over and over while the button is held.
            if (held && _state == BarrierState.Open && !_presenceLoop.IsActive() && !_safety.IsActive())
            {
                _holdToRun = true;
                StartMove(BarrierState.Closing, nowMs);
            }
            else if (!held && _holdToRun && _state == BarrierState.Closing)
            {
                _holdToRun = false;
                StartMove(BarrierState.Opening, nowMs);
            }
        }
        else if (pressed)
        {
            RequestClose(nowMs, nowMs);
        }
    }

    // One read per step at most; the edge decides (parking-barrier.md, "Entry requests"). Without a link a card opens
    // nothing, and the reader says so at once rather than after a wait for an answer that cannot come.
    private void TakeCardRead(long nowMs)
    {
        if (_reader == null)
        {
            return;
        }

        _read.Clear();
        if (!_reader.TryTake(_read))
        {
            return;
        }

        if (_read.BadFrame != BadFrameReason.None)
        {
            _badFrames++;
            if (_uplink.CanSend)
            {
                PayloadWriter bad = BeginEvent("bad-frame");
                CardPayload.WriteBadFrame(bad, _read);
                bad.Property("badFrames", _badFrames);
                _uplink.Send(_uplink.Identity.EventTopic, 1);
            }

            return;
        }

        if (!_uplink.CanSend)
        {
            _reader.Signal(false);
            return;
        }

        _pendingRequest = ++_requests;
        _pendingSinceMs = nowMs;
        PayloadWriter writer = BeginEvent("entry-request");
        _card.Write(writer, _read.Card, _read.Bits, _read.Reader);
        writer.Property("req", _pendingRequest);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    // Only the answer to the newest request, and only while the car can still be waiting for it, counts.
    private bool AnswerEntryRequest(long request, bool granted, long nowMs)
    {
        if (_pendingRequest == 0 || request != _pendingRequest || nowMs - _pendingSinceMs > _settings.EntryAnswerMs)
        {
            return false;
        }

        _pendingRequest = 0;
        _reader.Signal(granted);
        return true;
    }

    private void TrackMotion(long nowMs)
    {
        bool open = _openLimit.IsActive();
        bool closed = _closedLimit.IsActive();
        switch (_state)
        {
            case BarrierState.Opening:
                if (open && !closed)
                {
                    Enter(BarrierState.Open);
                    PublishEvent("barrier-opened");
                }
                else if (nowMs - _moveSinceMs >= _settings.MotorRunMs)
                {
                    Fail("open");
                }

                break;
            case BarrierState.Closing:
                if (closed && !open)
                {
                    _holdToRun = false;
                    Enter(BarrierState.Closed);
                    PublishEvent("barrier-closed");
                }
                else if (nowMs - _moveSinceMs >= _settings.MotorRunMs)
                {
                    Fail("close");
                }

                break;
            case BarrierState.Closed:
                if (_evacuating)
                {
                    StartMove(BarrierState.Opening, nowMs);
                }

                break;
        }
    }

    private void TrackPendingClose(long nowMs)
    {
        if (!_closePending || _state != BarrierState.Open || nowMs < _closeDueMs)
        {
            return;
        }

        // Waits while anything is on a loop or in the beam: a car still moving through closes it later.
        if (_evacuating || _sensorFault || _presenceLoop.IsActive() || _safety.IsActive() || _closingLoop.IsActive())
        {
            return;
        }

        _closePending = false;
        StartMove(BarrierState.Closing, nowMs);
    }

    private void RequestOpen(string by, long nowMs)
    {
        _closePending = false;
        if (_state != BarrierState.Open && _state != BarrierState.Opening)
        {
            _holdToRun = false;
            StartMove(BarrierState.Opening, nowMs);
        }

        PayloadWriter writer = BeginEvent("open-request");
        writer.Property("by", by);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void RequestClose(long nowMs, long dueMs)
    {
        _closePending = true;
        _closeDueMs = dueMs;
        _stateChanged = true;
        TrackPendingClose(nowMs);
        ApplyOutputs(nowMs);
    }

    private void Evacuate(long nowMs)
    {
        _closePending = false;
        _holdToRun = false;
        if (!_evacuating)
        {
            _evacuating = true;
            _stateChanged = true;
            PublishEvent("evacuation");
        }

        if (_state != BarrierState.Open && _state != BarrierState.Opening)
        {
            StartMove(BarrierState.Opening, nowMs);
        }
    }

    private void Reset(long nowMs)
    {
        _evacuating = false;
        _stateChanged = true;
        if (_state == BarrierState.Fault)
        {
            StartMove(BarrierState.Opening, nowMs);
        }

        PublishEvent("reset");
    }

    private void StartMove(BarrierState move, long nowMs)
    {
        _moveSinceMs = nowMs;
        Enter(move);
        ApplyOutputs(nowMs);
    }

    private void Fail(string driving)
    {
        _faults++;
        _holdToRun = false;
        _closePending = false;
        Enter(BarrierState.Fault);
        PayloadWriter writer = BeginEvent("fault");
        writer.Property("reason", "motor-timeout");
        writer.Property("driving", driving);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void Enter(BarrierState next)
    {
        if (next != _state)
        {
            _state = next;
            _stateChanged = true;
        }
    }

    /// <summary>Whether the close output may be energised now, from live readings (parking-barrier.md, "The invariant").</summary>
    private bool CloseAllowed()
    {
        if (_evacuating || _presenceLoop.IsActive() || _safety.IsActive())
        {
            return false;
        }

        return (!_sensorFault && _sensorOk.IsActive()) || (_holdToRun && _closeButton.IsActive());
    }

    // The one place the motor outputs are written, and the one place the safety invariant is enforced: a close that
    // is not allowed right now reverses to open before any output is written, so the close output is off in the
    // same step, and the two outputs are never on together.
    private void ApplyOutputs(long nowMs)
    {
        if (_state == BarrierState.Closing && !CloseAllowed())
        {
            // The close is tried again once the way is clear (TrackPendingClose waits for the loops and the beam),
            // so a reversal does not leave the car park open; not after hold-to-run, where the person decides.
            if (!_holdToRun && !_evacuating && !_sensorFault)
            {
                _closePending = true;
                _closeDueMs = nowMs + _settings.AutoCloseDelayMs;
            }

            _obstacles++;
            _holdToRun = false;
            _moveSinceMs = nowMs;
            Enter(BarrierState.Opening);
            PayloadWriter writer = BeginEvent("obstacle");
            writer.Property("presence", _presenceLoop.IsActive());
            writer.Property("safety", _safety.IsActive());
            _uplink.Send(_uplink.Identity.EventTopic, 1);
        }

        bool wantOpen = _state == BarrierState.Opening;
        bool wantClose = _state == BarrierState.Closing;
        if (_closeEnergised && !wantClose)
        {
            _closeEnergised = false;
            _driveClose.Write(false);
        }

        if (_openEnergised && !wantOpen)
        {
            _openEnergised = false;
            _driveOpen.Write(false);
        }

        if (wantOpen && !_openEnergised)
        {
            _openEnergised = true;
            _driveOpen.Write(true);
        }
        else if (wantClose && !_closeEnergised)
        {
            _closeEnergised = true;
            _driveClose.Write(true);
        }
    }

    private PayloadWriter BeginEvent(string name)
    {
        PayloadWriter writer = _uplink.BeginEvent(name);
        writer.Property("barrier", StateName(_state));
        writer.Property("evacuating", _evacuating);
        return writer;
    }

    private void PublishEvent(string name)
    {
        BeginEvent(name);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void PublishState()
    {
        _stateChanged = false;
        PayloadWriter writer = _uplink.Begin();
        writer.Property("role", Role);
        writer.Property("barrier", StateName(_state));
        writer.Property("evacuating", _evacuating);
        writer.Property("sensorFault", _sensorFault);
        writer.Property("closePending", _closePending);
        writer.Property("fireState", FireStateNames.NameOf(_buildingFire));
        writer.Property("vehiclesIn", _vehiclesIn);
        writer.Property("vehiclesOut", _vehiclesOut);
        writer.Property("obstacles", _obstacles);
        writer.Property("faults", _faults);
        writer.Property("badFrames", _badFrames);
        writer.Property("dropped", _uplink.Dropped);
        _commands.WriteCounters(writer);
        _uplink.Send(_uplink.Identity.StateTopic, 1);
    }

    private void PublishSelfTest()
    {
        bool limitsAgree = !(_openLimit.IsActive() && _closedLimit.IsActive());
        PayloadWriter writer = BeginEvent("self-test-report");
        writer.Property("result", limitsAgree && !_sensorFault && _state != BarrierState.Fault ? "pass" : "fail");
        writer.Property("openLimit", _openLimit.IsActive());
        writer.Property("closedLimit", _closedLimit.IsActive());
        writer.Property("armingLoop", _armingLoop.IsActive());
        writer.Property("presenceLoop", _presenceLoop.IsActive());
        writer.Property("closingLoop", _closingLoop.IsActive());
        writer.Property("safety", _safety.IsActive());
        writer.Property("sensorOk", _sensorOk.IsActive());
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    public static string StateName(BarrierState state)
    {
        switch (state)
        {
            case BarrierState.Closed: return "closed";
            case BarrierState.Opening: return "opening";
            case BarrierState.Open: return "open";
            case BarrierState.Closing: return "closing";
            default: return "fault";
        }
    }
}
