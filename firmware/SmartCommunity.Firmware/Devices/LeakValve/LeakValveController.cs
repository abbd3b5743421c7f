namespace SmartCommunity.Firmware.Devices.LeakValve;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

/// <summary>
/// A leak probe and the motorised valve it closes, or a valve alone (hardware-docs/leak-valve.md). A confirmed
/// leak closes the valve in the same <see cref="Step"/>, with no network. Nothing but a person's reset (the
/// button at the valve or a <c>reset</c> command) reopens it, and a reset is refused while the probe reads water.
/// State changes go through <see cref="Enter"/>; the motor outputs are written only in <see cref="ApplyMotor"/>,
/// which never energises both.
/// </summary>
public sealed class LeakValveController : IFirmwareDevice, ICommandTarget
{
    public const string Kind = "leak";
    public const string RoleSensorValve = "sensor-valve";
    public const string RoleValve = "valve";

    /// <summary>Values of <c>closedBy</c> and <c>by</c> (hardware-docs/leak-valve.md, "State message").</summary>
    public const string ByLeak = "leak";
    public const string ByCommand = "command";
    public const string ByLocal = "local";
    public const string ByButton = "button";
    public const string ByNobody = "";

    private readonly LeakValveSettings _settings;
    private readonly IDigitalInput _probe;
    private readonly IDigitalOutput _driveOpen;
    private readonly IDigitalOutput _driveClose;
    private readonly IDigitalInput _openSwitch;
    private readonly IDigitalInput _closedSwitch;
    private readonly DebouncedInput _resetButton;
    private readonly Uplink _uplink;
    private readonly CommandHandler _commands;
    private readonly Presence _presence;
    private readonly Cadence _heartbeat;
    private readonly string[] _subscriptions;

    private ValveState _state;
    private ValveState _target;
    private string _closedBy = ByNobody;
    private string _openedBy = ByNobody;
    private bool _stuck;
    private long _moveSinceMs;
    private long _stuckSinceMs;
    private int _closeAttempts;
    private bool _stateChanged = true;

    private bool _openEnergised;
    private bool _closeEnergised;
    private long _motorOffSinceMs;

    private ValveState _sensed;
    private ValveState _sensedCandidate;
    private long _sensedCandidateSinceMs;

    private bool _leak;
    private bool _wetRun;
    private long _wetSinceMs;
    private bool _dryRun;
    private long _drySinceMs;
    private bool _leakUnsent;
    private long _lastLeakAttemptMs;
    private long _leaks;

    private long _refusedResets;

    private long _exerciseDueFromMs;
    private bool _moved;
    private long _lastMovedMs;
    private long _exercises;
    private long _stuckMoves;

    /// <param name="leakProbe">Active = water; null for the role "valve" (no probe fitted).</param>
    /// <param name="resetButton">The button at the valve (active = pressed); null when none is fitted.</param>
    public LeakValveController(
        DeviceIdentity identity,
        LeakValveSettings settings,
        IDigitalInput leakProbe,
        IDigitalOutput driveOpen,
        IDigitalOutput driveClose,
        IDigitalInput openSwitch,
        IDigitalInput closedSwitch,
        IDigitalInput resetButton,
        IClock clock,
        IMessageTransport transport,
        long boot)
    {
        // Motor off before anything else, whatever the pins did during reset (leak-valve.md, "At boot").
        _driveOpen = driveOpen;
        _driveClose = driveClose;
        _driveOpen.Write(false);
        _driveClose.Write(false);

        _settings = settings;
        _probe = leakProbe;
        _openSwitch = openSwitch;
        _closedSwitch = closedSwitch;

        // A button held (or shorted) at power-up is not a press: it must be released first.
        _resetButton = new DebouncedInput(resetButton, settings.ButtonDebounceMs, resetButton != null && resetButton.IsActive());
        _uplink = new Uplink(identity, clock, transport, boot);
        _commands = new CommandHandler(_uplink, this);
        _presence = new Presence(_uplink, transport, RoleName);
        _subscriptions = new string[] { identity.CommandTopic };

        long now = clock.UptimeMs;
        _heartbeat = new Cadence(settings.HeartbeatMs, now);
        _motorOffSinceMs = now - settings.ReversePauseMs;
        _exerciseDueFromMs = now;

        // Never move at boot. A valve found closed may have been closed for a leak before a power cut: it stays
        // closed until a person resets it, like any other closed valve.
        _sensed = Sense();
        _sensedCandidate = _sensed;
        _sensedCandidateSinceMs = now;
        _state = _sensed;
        _target = _sensed;
        if (_sensed == ValveState.Closed)
        {
            _closedBy = ByLocal;
        }
    }

    public DeviceIdentity Identity => _uplink.Identity;

    public string[] Subscriptions => _subscriptions;

    public string RoleName => _probe == null ? RoleValve : RoleSensorValve;

    public ValveState State => _state;

    /// <summary>Where the valve is meant to be: Open, Closed, or Unknown when nothing has asked yet (boot between ends).</summary>
    public ValveState Target => _target;

    /// <summary>Why the valve is held closed until a person's reset; empty when it is not held.</summary>
    public string ClosedBy => _closedBy;

    /// <summary>A leak is confirmed and not yet cleared.</summary>
    public bool IsLeak => _leak;

    /// <summary>The last move did not reach its limit switch in time, and no move has succeeded since.</summary>
    public bool IsStuck => _stuck;

    /// <summary>Close moves started for the current close request (1 + retries at most).</summary>
    public int CloseAttempts => _closeAttempts;

    public long Leaks => _leaks;

    public long RefusedResets => _refusedResets;

    /// <summary>Successful exercises since boot.</summary>
    public long Exercises => _exercises;

    /// <summary>Moves that did not reach their limit switch in time, since boot.</summary>
    public long StuckMoves => _stuckMoves;

    public bool IsDrivingOpen => _openEnergised;

    public bool IsDrivingClose => _closeEnergised;

    public CommandHandler Commands => _commands;

    public Uplink Uplink => _uplink;

    public void Step(long nowMs)
    {
        TrackProbe(nowMs);
        TrackButton(nowMs);
        TrackMove(nowMs);
        TrackRest(nowMs);
        ApplyMotor(nowMs);

        if (_presence.IsStateDue(_heartbeat, nowMs) || _stateChanged)
        {
            PublishState(nowMs);
        }

        // A leak event that could not go out is offered again once the link is back, after the online status,
        // as the smoke detector does with its alarm (smoke-detector.md).
        if (_leakUnsent && _leak && _uplink.CanSend && nowMs - _lastLeakAttemptMs >= Uplink.RetryIntervalMs)
        {
            _lastLeakAttemptMs = nowMs;
            _leakUnsent = !PublishEvent("leak");
        }
    }

    public void HandleMessage(string topic, byte[] payload, int length, long nowMs)
    {
        if (topic == _uplink.Identity.CommandTopic)
        {
            _commands.Handle(payload, length, nowMs);
        }

        if (_stateChanged)
        {
            PublishState(nowMs);
        }
    }

    public CommandRejection Execute(Command command, long nowMs)
    {
        switch (command.Kind)
        {
            case CommandKind.Close:
                RequestClose(ByCommand, nowMs);
                return CommandRejection.None;
            case CommandKind.Reset:
                if (IsLeakActive())
                {
                    return CommandRejection.LeakActive;
                }

                Reset(ByCommand, nowMs);
                return CommandRejection.None;
            case CommandKind.SelfTest:
                PublishSelfTest();
                return CommandRejection.None;
            default:
                return CommandRejection.NotSupportedByDevice;
        }
    }

    // A confirmed leak, or water on the probe right now: either refuses a reset.
    private bool IsLeakActive()
    {
        return _leak || (_probe != null && _probe.IsActive());
    }

    private void TrackProbe(long nowMs)
    {
        if (_probe == null)
        {
            return;
        }

        if (_probe.IsActive())
        {
            _dryRun = false;
            if (_leak)
            {
                return;
            }

            if (!_wetRun)
            {
                _wetRun = true;
                _wetSinceMs = nowMs;
            }

            if (nowMs - _wetSinceMs >= _settings.LeakConfirmMs)
            {
                _wetRun = false;
                ConfirmLeak(nowMs);
            }

            return;
        }

        _wetRun = false;
        if (!_leak)
        {
            return;
        }

        if (!_dryRun)
        {
            _dryRun = true;
            _drySinceMs = nowMs;
        }

        if (nowMs - _drySinceMs >= _settings.DryConfirmMs)
        {
            // The valve stays closed: only a person reopens it.
            _dryRun = false;
            _leak = false;
            _stateChanged = true;
            PublishEvent("leak-cleared");
        }
    }

    private void ConfirmLeak(long nowMs)
    {
        _leak = true;
        _leaks++;
        _stateChanged = true;

        // The motor starts before anything is sent: the close never waits for the network.
        RequestClose(ByLeak, nowMs);
        _leakUnsent = !PublishEvent("leak");
        _lastLeakAttemptMs = nowMs;
    }

    private void TrackButton(long nowMs)
    {
        if (!_resetButton.Update(nowMs) || !_resetButton.IsActive)
        {
            return;
        }

        if (IsLeakActive())
        {
            _refusedResets++;
            PayloadWriter writer = BeginEvent("reset-refused");
            writer.Property("by", ByButton);
            writer.Property("reason", CommandNames.ReasonOf(CommandRejection.LeakActive));
            _uplink.Send(_uplink.Identity.EventTopic, 1);
            return;
        }

        Reset(ByButton, nowMs);
    }

    /// <summary>Holds the valve closed until a person's reset, and drives it there unless it is there already.</summary>
    private void RequestClose(string by, long nowMs)
    {
        bool newlyHeld = _closedBy.Length == 0;
        if (newlyHeld || by == ByLeak)
        {
            _closedBy = by;
        }

        _target = ValveState.Closed;
        _stateChanged = true;
        if (_state == ValveState.Closing)
        {
            // Already on its way: the running move keeps its travel time and counts as the first attempt.
            _closeAttempts = 1;
            return;
        }

        _closeAttempts = 0;
        if (_state == ValveState.Closed)
        {
            if (newlyHeld)
            {
                PublishArrival("valve-closed", _closedBy);
            }

            return;
        }

        StartMove(ValveState.Closing, nowMs);
    }

    private void Reset(string by, long nowMs)
    {
        _closedBy = ByNobody;
        _closeAttempts = 0;
        _target = ValveState.Open;
        _stateChanged = true;
        switch (_state)
        {
            case ValveState.Open:
            case ValveState.Opening:
            case ValveState.Exercising:
            case ValveState.Returning:
                // Open already, or an exercise that ends open anyway.
                break;
            default:
                _openedBy = by;
                StartMove(ValveState.Opening, nowMs);
                break;
        }

        PayloadWriter writer = BeginEvent("reset");
        writer.Property("by", by);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void TrackMove(long nowMs)
    {
        bool open = _openSwitch.IsActive();
        bool closed = _closedSwitch.IsActive();

        // A move ends on its own switch with the other one released; both active proves nothing, so the motor
        // runs on until the travel time and the valve is reported stuck.
        switch (_state)
        {
            case ValveState.Closing:
                if (closed && !open)
                {
                    FinishMove(ValveState.Closed, nowMs);
                    PublishArrival("valve-closed", _closedBy);
                }
                else if (nowMs - _moveSinceMs >= _settings.TravelMs)
                {
                    FailMove(nowMs);
                }

                break;
            case ValveState.Opening:
                if (open && !closed)
                {
                    FinishMove(ValveState.Open, nowMs);
                    PublishArrival("valve-opened", _openedBy);
                }
                else if (nowMs - _moveSinceMs >= _settings.TravelMs)
                {
                    FailMove(nowMs);
                }

                break;
            case ValveState.Exercising:
                if (!open)
                {
                    // It moved: that is all the first leg has to prove. Back to open.
                    StartMove(ValveState.Returning, nowMs);
                }
                else if (nowMs - _moveSinceMs >= _settings.ExerciseMs)
                {
                    FailMove(nowMs);
                }

                break;
            case ValveState.Returning:
                if (open && !closed)
                {
                    _exercises++;
                    FinishMove(ValveState.Open, nowMs);
                    PublishEvent("exercise-done");
                }
                else if (nowMs - _moveSinceMs >= _settings.TravelMs)
                {
                    FailMove(nowMs);
                }

                break;
        }
    }

    /// <summary>At rest: follows the switches (debounced), retries a stuck close, starts a due exercise.</summary>
    private void TrackRest(long nowMs)
    {
        if (IsMoving(_state))
        {
            return;
        }

        ValveState reading = Sense();
        if (reading != _sensedCandidate)
        {
            _sensedCandidate = reading;
            _sensedCandidateSinceMs = nowMs;
        }
        else if (reading != _sensed && nowMs - _sensedCandidateSinceMs >= _settings.SwitchDebounceMs)
        {
            // Moved by hand (manual override) or a switch failed: report it, never drive because of it.
            _sensed = reading;
        }

        Enter(RestState(_sensed), nowMs);

        if (_state == ValveState.Stuck && _target == ValveState.Closed && _closedBy.Length != 0
            && _closeAttempts <= _settings.CloseRetries && nowMs - _stuckSinceMs >= _settings.CloseRetryPauseMs)
        {
            StartMove(ValveState.Closing, nowMs);
        }
        else if (_state == ValveState.Open && _target == ValveState.Open && _closedBy.Length == 0
            && _settings.ExerciseIntervalMs > 0 && nowMs - _exerciseDueFromMs >= _settings.ExerciseIntervalMs
            && !IsLeakActive())
        {
            _exerciseDueFromMs = nowMs;
            StartMove(ValveState.Exercising, nowMs);
        }
    }

    private void StartMove(ValveState move, long nowMs)
    {
        if (move == ValveState.Closing)
        {
            _closeAttempts++;
        }

        _moveSinceMs = nowMs;
        Enter(move, nowMs);
    }

    private void FinishMove(ValveState position, long nowMs)
    {
        _stuck = false;
        _closeAttempts = 0;
        _moved = true;
        _lastMovedMs = nowMs;

        // A full move exercises the valve as well as an exercise does.
        _exerciseDueFromMs = nowMs;
        _sensed = position;
        _sensedCandidate = position;
        _sensedCandidateSinceMs = nowMs;
        Enter(position, nowMs);
    }

    private void FailMove(long nowMs)
    {
        ValveState failed = _state;
        bool exercise = failed == ValveState.Exercising || failed == ValveState.Returning;
        bool closing = failed == ValveState.Closing || failed == ValveState.Exercising;
        _stuck = true;
        _stuckMoves++;
        _stuckSinceMs = nowMs;
        _sensed = Sense();
        _sensedCandidate = _sensed;
        _sensedCandidateSinceMs = nowMs;
        Enter(RestState(_sensed), nowMs);

        PayloadWriter writer = BeginEvent("valve-stuck");
        writer.Property("driving", closing ? "close" : "open");
        writer.Property("exercise", exercise);
        if (failed == ValveState.Closing)
        {
            writer.Property("attempt", _closeAttempts);
            writer.Property("retriesLeft", _settings.CloseRetries + 1 - _closeAttempts);
        }

        _uplink.Send(_uplink.Identity.EventTopic, 1);
        if (exercise)
        {
            PublishEvent("exercise-failed");
        }
    }

    private ValveState RestState(ValveState sensed)
    {
        return _stuck && sensed != _target ? ValveState.Stuck : sensed;
    }

    private void Enter(ValveState next, long nowMs)
    {
        if (next != _state)
        {
            _state = next;
            _stateChanged = true;
        }

        ApplyMotor(nowMs);
    }

    // The one place the motor outputs are written. An output is switched on only when the other one is off and
    // both have been off for the reverse pause, so they are never energised together and a reversal never
    // happens under load (leak-valve.md, "Motor drive").
    private void ApplyMotor(long nowMs)
    {
        bool wantOpen = _state == ValveState.Opening || _state == ValveState.Returning;
        bool wantClose = _state == ValveState.Closing || _state == ValveState.Exercising;
        if (_openEnergised && !wantOpen)
        {
            _openEnergised = false;
            _driveOpen.Write(false);
            _motorOffSinceMs = nowMs;
        }

        if (_closeEnergised && !wantClose)
        {
            _closeEnergised = false;
            _driveClose.Write(false);
            _motorOffSinceMs = nowMs;
        }

        if (_openEnergised || _closeEnergised || nowMs - _motorOffSinceMs < _settings.ReversePauseMs)
        {
            return;
        }

        if (wantOpen)
        {
            _openEnergised = true;
            _driveOpen.Write(true);
        }
        else if (wantClose)
        {
            _closeEnergised = true;
            _driveClose.Write(true);
        }
    }

    private ValveState Sense()
    {
        bool open = _openSwitch.IsActive();
        bool closed = _closedSwitch.IsActive();
        if (open == closed)
        {
            return ValveState.Unknown;
        }

        return open ? ValveState.Open : ValveState.Closed;
    }

    private static bool IsMoving(ValveState state)
    {
        return state == ValveState.Opening || state == ValveState.Closing
            || state == ValveState.Exercising || state == ValveState.Returning;
    }

    private PayloadWriter BeginEvent(string name)
    {
        PayloadWriter writer = _uplink.BeginEvent(name);
        WriteValveFields(writer);
        return writer;
    }

    private bool PublishEvent(string name)
    {
        BeginEvent(name);
        return _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void PublishArrival(string name, string by)
    {
        PayloadWriter writer = BeginEvent(name);
        writer.Property("by", by);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void PublishState(long nowMs)
    {
        _stateChanged = false;
        PayloadWriter writer = _uplink.Begin();
        writer.Property("role", RoleName);
        WriteValveFields(writer);
        writer.Property("probe", ProbeName());
        writer.Property("exercising", _state == ValveState.Exercising || _state == ValveState.Returning);
        writer.Property("lastExerciseAgoMs", _moved ? nowMs - _lastMovedMs : -1);
        writer.Property("leaks", _leaks);
        writer.Property("dropped", _uplink.Dropped);
        _commands.WriteCounters(writer);
        _uplink.Send(_uplink.Identity.StateTopic, 1);
    }

    private void PublishSelfTest()
    {
        ValveState reading = Sense();
        bool switchesAgree = IsMoving(_state) || reading != ValveState.Unknown;
        PayloadWriter writer = BeginEvent("self-test-report");
        writer.Property("result", !_stuck && switchesAgree ? "pass" : "fail");
        writer.Property("probe", ProbeName());
        writer.Property("openSwitch", _openSwitch.IsActive());
        writer.Property("closedSwitch", _closedSwitch.IsActive());
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void WriteValveFields(PayloadWriter writer)
    {
        writer.Property("leak", _leak);
        writer.Property("valve", PositionName(_state));
        writer.Property("target", TargetName(_target));
        writer.Property("closedBy", _closedBy);
        writer.Property("fault", _stuck ? "stuck" : "");
    }

    private string ProbeName()
    {
        if (_probe == null)
        {
            return "none";
        }

        return _probe.IsActive() ? "wet" : "dry";
    }

    public static string PositionName(ValveState state)
    {
        switch (state)
        {
            case ValveState.Open: return "open";
            case ValveState.Closed: return "closed";
            case ValveState.Opening:
            case ValveState.Closing:
            case ValveState.Exercising:
            case ValveState.Returning:
                return "moving";
            case ValveState.Stuck: return "stuck";
            default: return "unknown";
        }
    }

    public static string TargetName(ValveState target)
    {
        switch (target)
        {
            case ValveState.Open: return "open";
            case ValveState.Closed: return "closed";
            default: return "";
        }
    }
}
