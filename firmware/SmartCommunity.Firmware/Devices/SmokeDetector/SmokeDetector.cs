namespace SmartCommunity.Firmware.Devices.SmokeDetector;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

/// <summary>
/// A smoke detector head read as an analog level, with a local sounder, hush and test buttons and a low-battery
/// input (hardware-docs/smoke-detector.md). Smoke and fault transitions happen in <see cref="Sample"/>, hush and
/// test in the button handlers and <see cref="TrackTimers"/>; the sounder is written only in
/// <see cref="ApplySounder"/>. No fault, hush or test can cancel or hide a real alarm, and an alarm event that could
/// not be sent is sent again until it goes out.
/// </summary>
public sealed class SmokeDetector : IFirmwareDevice, ICommandTarget
{
    public const string Kind = "smoke";
    public const string Role = "detector";

    /// <summary>One trouble chirp, and the distance between the starts of chirps in a group.</summary>
    public const long ChirpOnMs = 100;

    public const long ChirpSpacingMs = 400;

    private const int FixedPointShift = 16;

    private const int SounderOff = 0;
    private const int SounderChirp = 1;
    private const int SounderOn = 2;

    private readonly SmokeDetectorSettings _settings;
    private readonly IAnalogInput _head;
    private readonly IDigitalOutput _sounder;
    private readonly DebouncedInput _hushButton;
    private readonly DebouncedInput _testButton;
    private readonly DebouncedInput _lowBattery;
    private readonly Uplink _uplink;
    private readonly CommandHandler _commands;
    private readonly Presence _presence;
    private readonly Cadence _sampling;
    private readonly Cadence _heartbeat;
    private readonly Cadence _telemetry;
    private readonly string[] _subscriptions;

    // Effective times, clamped once (smoke-detector.md, "Settings").
    private readonly long _confirmationMs;
    private readonly long _hushMs;
    private readonly long _testMs;
    private readonly long _chirpEveryMs;
    private readonly long _baselineSamples;

    private SmokeState _state = SmokeState.Normal;
    private int _faults;
    private int _level;
    private long _smokeSinceMs;
    private bool _restoring;
    private long _restoreSinceMs;
    private bool _circuitPending;
    private long _circuitSinceMs;
    private bool _alarmUnsent;
    private long _lastAlarmAttemptMs;
    private long _alarms;

    private bool _sampled;
    private int _lastReading;
    private long _unchangedSinceMs;
    private bool _baselineSet;
    private long _baselineFixed;
    private bool _dirtyCandidate;
    private long _dirtyCandidateSinceMs;

    private bool _hushed;
    private long _hushSinceMs;
    private int _hushLevel;
    private long _hushes;
    private bool _testing;
    private long _testSinceMs;
    private long _tests;

    private bool _sounderOn;
    private bool _chirping;
    private long _chirpCycleStartMs;

    /// <summary>A detector with no sounder, buttons or battery input fitted (the head only).</summary>
    public SmokeDetector(
        DeviceIdentity identity,
        SmokeDetectorSettings settings,
        IAnalogInput head,
        IClock clock,
        IMessageTransport transport,
        long boot)
        : this(identity, settings, head, null, null, null, null, clock, transport, boot)
    {
    }

    /// <param name="sounder">The local sounder (energised = sounding); null when none is fitted.</param>
    /// <param name="hushButton">Active while the hush button is pressed; null when none is fitted.</param>
    /// <param name="testButton">Active while the test button is pressed; null when none is fitted.</param>
    /// <param name="lowBattery">Active while the battery is low; null on a mains-powered detector.</param>
    public SmokeDetector(
        DeviceIdentity identity,
        SmokeDetectorSettings settings,
        IAnalogInput head,
        IDigitalOutput sounder,
        IDigitalInput hushButton,
        IDigitalInput testButton,
        IDigitalInput lowBattery,
        IClock clock,
        IMessageTransport transport,
        long boot)
    {
        _settings = settings;
        _head = head;
        _sounder = sounder;
        if (_sounder != null)
        {
            // Known state from the first instruction: whatever the pin did during reset, the sounder is off.
            _sounder.Write(false);
        }

        // A button held down at boot is not a press; a low battery at boot is reported once it is confirmed.
        _hushButton = new DebouncedInput(hushButton, settings.ButtonDebounceMs, hushButton != null && hushButton.IsActive());
        _testButton = new DebouncedInput(testButton, settings.ButtonDebounceMs, testButton != null && testButton.IsActive());
        _lowBattery = new DebouncedInput(lowBattery, Clamp(settings.BatteryDebounceMs, 0, SmokeDetectorSettings.MaxBatteryDebounceMs), false);

        _confirmationMs = Clamp(settings.ConfirmationMs, 0, SmokeDetectorSettings.MaxConfirmationMs);
        _hushMs = Clamp(settings.HushMs, 0, SmokeDetectorSettings.MaxHushMs);
        _testMs = Clamp(settings.TestMs, 0, SmokeDetectorSettings.MaxTestMs);
        _chirpEveryMs = Clamp(settings.ChirpEveryMs, SmokeDetectorSettings.MinChirpEveryMs, SmokeDetectorSettings.MaxChirpEveryMs);
        long samples = settings.SampleIntervalMs > 0 ? settings.BaselineTimeConstantMs / settings.SampleIntervalMs : settings.BaselineTimeConstantMs;
        _baselineSamples = samples < 1 ? 1 : samples;

        _uplink = new Uplink(identity, clock, transport, boot);
        _commands = new CommandHandler(_uplink, this);
        _presence = new Presence(_uplink, transport, Role);
        long now = clock.UptimeMs;
        _sampling = new Cadence(settings.SampleIntervalMs, now - settings.SampleIntervalMs);
        _heartbeat = new Cadence(settings.HeartbeatMs, now);
        _telemetry = new Cadence(settings.TelemetryMs, now);
        _subscriptions = new string[] { identity.CommandTopic };
    }

    public DeviceIdentity Identity => _uplink.Identity;

    public string[] Subscriptions => _subscriptions;

    /// <summary>The smoke state. During a test the wire reports "alarm" with "test":true instead; see <see cref="IsTesting"/>.</summary>
    public SmokeState State => _state;

    public int Level => _level;

    /// <summary>Standing faults, a <see cref="SmokeFaults"/> bit set.</summary>
    public int Faults => _faults;

    /// <summary>The clean-air baseline in reading units, rounded; 0 until the first clear in-range reading.</summary>
    public int Baseline => (int)((_baselineFixed + (1L << (FixedPointShift - 1))) >> FixedPointShift);

    public bool IsHushed => _hushed;

    public bool IsTesting => _testing;

    public bool IsBatteryLow => _lowBattery.IsActive;

    /// <summary>What the detector last wrote to the sounder (also tracked when none is fitted).</summary>
    public bool IsSounderOn => _sounderOn;

    /// <summary>Confirmed alarms since boot (test alarms not included).</summary>
    public long Alarms => _alarms;

    /// <summary>Hushes accepted since boot.</summary>
    public long Hushes => _hushes;

    /// <summary>Tests started since boot.</summary>
    public long Tests => _tests;

    public Uplink Uplink => _uplink;

    public CommandHandler Commands => _commands;

    public void Step(long nowMs)
    {
        if (_sampling.IsDue(nowMs))
        {
            Sample(nowMs);
        }

        TrackBattery(nowMs);
        TrackHushButton(nowMs);
        TrackTestButton(nowMs);
        TrackTimers(nowMs);
        ApplySounder(nowMs);

        if (_presence.IsStateDue(_heartbeat, nowMs))
        {
            PublishState();
        }

        // An alarm that could not go out is sent again once the transport is back, after the online status.
        // No attempts while offline, and at most one a second while the transport refuses (queue full), so
        // waiting does not eat sequence numbers the edge would count as lost.
        if (_alarmUnsent && _state == SmokeState.Alarm && _uplink.CanSend && nowMs - _lastAlarmAttemptMs >= Uplink.RetryIntervalMs)
        {
            _lastAlarmAttemptMs = nowMs;
            BeginEvent("alarm");
            _alarmUnsent = !SendEvent();
        }

        if (_telemetry.IsDue(nowMs))
        {
            PayloadWriter writer = _uplink.Begin();
            writer.Property("level", _level);
            writer.Property("baseline", Baseline);
            writer.Property("test", _testing);
            _uplink.Send(_uplink.Identity.TelemetryTopic, 0);
        }
    }

    public void HandleMessage(string topic, byte[] payload, int length, long nowMs)
    {
        if (topic == _uplink.Identity.CommandTopic)
        {
            _commands.Handle(payload, length, nowMs);
        }
    }

    public CommandRejection Execute(Command command, long nowMs)
    {
        if (command.Kind != CommandKind.SelfTest)
        {
            return CommandRejection.NotSupportedByDevice;
        }

        // Pass means the head is measuring: the reading is in range and not stuck. Other troubles are listed.
        bool measuring = InRange(_level) && (_faults & SmokeFaults.SensorStuck) == 0;
        PayloadWriter writer = BeginEvent("self-test-report");
        writer.Property("result", measuring ? "pass" : "fail");
        WriteFaults(writer);
        if (_lowBattery.IsFitted)
        {
            writer.Property("battery", _lowBattery.IsActive ? "low" : "ok");
        }

        SendEvent();
        return CommandRejection.None;
    }

    private void Sample(long nowMs)
    {
        _level = _head.Read();
        bool inRange = InRange(_level);
        TrackStuck(nowMs, inRange);
        if (_hushed)
        {
            CheckHushAgainstSmoke();
        }

        if (!inRange)
        {
            // Out-of-range readings do not count towards the restore time, so an alarm ends only on clean readings.
            _restoring = false;
            TrackCircuitFault(nowMs);
            return;
        }

        _circuitPending = false;
        ClearCircuitFaults();
        TrackBaseline(nowMs);

        bool smoke = _level >= _settings.AlarmThreshold;
        switch (_state)
        {
            case SmokeState.Normal:
                if (smoke)
                {
                    _smokeSinceMs = nowMs;
                    Enter(SmokeState.PreAlarm, "pre-alarm");
                    CheckConfirmation(nowMs);
                }

                break;
            case SmokeState.PreAlarm:
                if (!smoke)
                {
                    Enter(SmokeState.Normal, "pre-alarm-cleared");
                }
                else
                {
                    CheckConfirmation(nowMs);
                }

                break;
            case SmokeState.Alarm:
                if (smoke)
                {
                    _restoring = false;
                }
                else if (!_restoring)
                {
                    _restoring = true;
                    _restoreSinceMs = nowMs;
                }
                else if (nowMs - _restoreSinceMs >= _settings.RestoreMs)
                {
                    _restoring = false;
                    if (_hushed)
                    {
                        EndHush("alarm-cleared");
                    }

                    Enter(SmokeState.Normal, "alarm-cleared");
                }

                break;
        }
    }

    private void CheckConfirmation(long nowMs)
    {
        if (nowMs - _smokeSinceMs < _confirmationMs)
        {
            return;
        }

        // A real alarm is never hidden behind a test: the test ends and the alarm goes out without the test flag.
        if (_testing)
        {
            EndTest("real-alarm");
        }

        _alarms++;
        _restoring = false;
        _alarmUnsent = !Enter(SmokeState.Alarm, "alarm");
        _lastAlarmAttemptMs = nowMs;
    }

    private void TrackCircuitFault(long nowMs)
    {
        int cause = _level < _settings.OpenCircuitBelow ? SmokeFaults.OpenCircuit : SmokeFaults.ShortCircuit;
        if ((_faults & cause) != 0)
        {
            _circuitPending = false;
            return;
        }

        if (!_circuitPending)
        {
            _circuitPending = true;
            _circuitSinceMs = nowMs;
            return;
        }

        if (nowMs - _circuitSinceMs < _settings.FaultConfirmMs)
        {
            return;
        }

        _circuitPending = false;
        int other = SmokeFaults.Circuit & ~cause;
        if ((_faults & other) != 0)
        {
            _faults &= ~other;
            PublishFault("fault-cleared", other);
        }

        // A fault during an alarm is reported but never cancels the alarm.
        _faults |= cause;
        if (_state != SmokeState.Alarm)
        {
            _state = SmokeState.Fault;
        }

        PublishFault("fault", cause);
        PublishState();
    }

    private void ClearCircuitFaults()
    {
        int standing = _faults & SmokeFaults.Circuit;
        if (standing == 0)
        {
            return;
        }

        _faults &= ~SmokeFaults.Circuit;
        if (_state == SmokeState.Fault)
        {
            _state = SmokeState.Normal;
        }

        PublishFault("fault-cleared", standing);
        PublishState();
    }

    // A live head always wobbles by a count or two; a reading frozen for the stuck time means a dead converter or
    // head. Out-of-range readings are left to the circuit faults.
    private void TrackStuck(long nowMs, bool inRange)
    {
        if (!_sampled || _level != _lastReading)
        {
            _sampled = true;
            _lastReading = _level;
            _unchangedSinceMs = nowMs;
            SetFault(SmokeFaults.SensorStuck, false);
            return;
        }

        if (inRange && nowMs - _unchangedSinceMs >= _settings.StuckAfterMs)
        {
            SetFault(SmokeFaults.SensorStuck, true);
        }
    }

    // The baseline is an exponential average of clear readings in fixed point (16 fraction bits), so one count of
    // change still moves it with a long time constant. A baseline held above the dirty level is a dirty chamber.
    private void TrackBaseline(long nowMs)
    {
        if (_level < _settings.AlarmThreshold)
        {
            long reading = (long)_level << FixedPointShift;
            if (!_baselineSet)
            {
                _baselineSet = true;
                _baselineFixed = reading;
            }
            else
            {
                _baselineFixed += (reading - _baselineFixed) / _baselineSamples;
            }
        }

        bool dirty = _baselineSet && _baselineFixed > ((long)_settings.DirtyChamberAbove << FixedPointShift);
        if (dirty != _dirtyCandidate)
        {
            _dirtyCandidate = dirty;
            _dirtyCandidateSinceMs = nowMs;
        }

        if (nowMs - _dirtyCandidateSinceMs >= _settings.DirtyChamberConfirmMs)
        {
            SetFault(SmokeFaults.DirtyChamber, _dirtyCandidate);
        }
    }

    /// <summary>Raises or clears a fault that does not change the smoke state; reports only a change.</summary>
    private void SetFault(int fault, bool present)
    {
        if (((_faults & fault) != 0) == present)
        {
            return;
        }

        _faults = present ? _faults | fault : _faults & ~fault;
        PublishFault(present ? "fault" : "fault-cleared", fault);
        PublishState();
    }

    private void TrackBattery(long nowMs)
    {
        if (_lowBattery.Update(nowMs))
        {
            BeginEvent(_lowBattery.IsActive ? "low-battery" : "battery-ok");
            SendEvent();
            PublishState();
        }
    }

    private void TrackHushButton(long nowMs)
    {
        if (!_hushButton.Update(nowMs) || !_hushButton.IsActive)
        {
            return;
        }

        // Hush is for a real alarm only; anywhere else (test, trouble chirps, no alarm) a press does nothing.
        if (_state != SmokeState.Alarm || _testing || _hushed)
        {
            return;
        }

        if (_level >= _settings.DenseSmokeLevel)
        {
            PayloadWriter refused = BeginEvent("hush-refused");
            refused.Property("why", "dense-smoke");
            SendEvent();
            return;
        }

        _hushed = true;
        _hushSinceMs = nowMs;
        _hushLevel = _level;
        _hushes++;
        BeginEvent("hushed");
        SendEvent();
        PublishState();
    }

    private void TrackTestButton(long nowMs)
    {
        if (!_testButton.Update(nowMs) || !_testButton.IsActive)
        {
            return;
        }

        // A real alarm is never turned into a test; a second press does not extend a running test.
        if (_state == SmokeState.Alarm || _testing)
        {
            return;
        }

        _testing = true;
        _testSinceMs = nowMs;
        _tests++;
        BeginEvent("test-started");
        SendEvent();
        BeginEvent("alarm");
        SendEvent();
        PublishState();
    }

    private void TrackTimers(long nowMs)
    {
        if (_hushed && nowMs - _hushSinceMs >= _hushMs)
        {
            EndHush("timeout");
            PublishState();
        }

        if (_testing && nowMs - _testSinceMs >= _testMs)
        {
            EndTest("timeout");
            PublishState();
        }
    }

    // Dense or rising smoke overrides a hush (smoke-detector.md, "Hush"). Any reading counts here, out-of-range
    // ones included: a reading at the top of the scale is the safe side.
    private void CheckHushAgainstSmoke()
    {
        if (_level >= _settings.DenseSmokeLevel)
        {
            EndHush("dense-smoke");
            PublishState();
        }
        else if (_level - _hushLevel > _settings.RisingBy)
        {
            EndHush("rising-smoke");
            PublishState();
        }
    }

    private void EndHush(string why)
    {
        _hushed = false;
        PayloadWriter writer = BeginEvent("hush-ended");
        writer.Property("why", why);
        SendEvent();
    }

    private void EndTest(string why)
    {
        _testing = false;
        PayloadWriter writer = BeginEvent("test-ended");
        writer.Property("why", why);
        SendEvent();
    }

    private int SounderMode()
    {
        if (_testing || (_state == SmokeState.Alarm && !_hushed))
        {
            return SounderOn;
        }

        // Trouble chirps go on through a hush: a hush silences the alarm tone only.
        return _lowBattery.IsActive || _faults != 0 ? SounderChirp : SounderOff;
    }

    // The one place the sounder is written. Chirp groups: one chirp for a low battery, two for a fault, three for
    // both, repeated every ChirpEveryMs from the moment chirping starts.
    private void ApplySounder(long nowMs)
    {
        int mode = SounderMode();
        bool on;
        if (mode == SounderChirp)
        {
            if (!_chirping)
            {
                _chirping = true;
                _chirpCycleStartMs = nowMs;
            }

            int chirps = (_lowBattery.IsActive ? 1 : 0) + (_faults != 0 ? 2 : 0);
            long phase = (nowMs - _chirpCycleStartMs) % _chirpEveryMs;
            on = phase < chirps * ChirpSpacingMs && phase % ChirpSpacingMs < ChirpOnMs;
        }
        else
        {
            _chirping = false;
            on = mode == SounderOn;
        }

        if (on == _sounderOn)
        {
            return;
        }

        _sounderOn = on;
        if (_sounder != null)
        {
            _sounder.Write(on);
        }
    }

    /// <summary>Changes the smoke state and reports it; returns whether the event went out.</summary>
    private bool Enter(SmokeState next, string eventName)
    {
        _state = next;
        BeginEvent(eventName);
        bool sent = SendEvent();
        PublishState();
        return sent;
    }

    private void PublishFault(string eventName, int fault)
    {
        PayloadWriter writer = BeginEvent(eventName);
        writer.Property("cause", SmokeFaults.NameOf(fault));
        SendEvent();
    }

    /// <summary>Starts an event with the fields every event carries; add more, then <see cref="SendEvent"/>.</summary>
    private PayloadWriter BeginEvent(string name)
    {
        PayloadWriter writer = _uplink.BeginEvent(name);
        writer.Property("state", ReportedStateName());
        writer.Property("level", _level);
        writer.Property("hushed", _hushed);
        writer.Property("test", _testing);
        return writer;
    }

    private bool SendEvent()
    {
        return _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void PublishState()
    {
        PayloadWriter writer = _uplink.Begin();
        writer.Property("state", ReportedStateName());
        writer.Property("level", _level);
        writer.Property("alarms", _alarms);
        writer.Property("dropped", _uplink.Dropped);
        WriteFaults(writer);
        if (_lowBattery.IsFitted)
        {
            writer.Property("battery", _lowBattery.IsActive ? "low" : "ok");
        }

        writer.Property("hushed", _hushed);
        writer.Property("test", _testing);
        writer.Property("baseline", Baseline);
        if (_sounder != null)
        {
            writer.Property("sounder", SounderName(SounderMode()));
        }

        _uplink.Send(_uplink.Identity.StateTopic, 1);
    }

    private void WriteFaults(PayloadWriter writer)
    {
        writer.BeginArray("faults");
        for (int bit = 1; bit <= SmokeFaults.Last; bit <<= 1)
        {
            if ((_faults & bit) != 0)
            {
                writer.ArrayItem(SmokeFaults.NameOf(bit));
            }
        }

        writer.EndArray();
    }

    // A test reports an alarm, flagged, so the whole chain to the edge is exercised (smoke-detector.md, "Test mode").
    private string ReportedStateName()
    {
        return _testing ? "alarm" : StateName(_state);
    }

    private bool InRange(int level)
    {
        return level >= _settings.OpenCircuitBelow && level <= _settings.ShortCircuitAbove;
    }

    private static long Clamp(long value, long min, long max)
    {
        return value < min ? min : value > max ? max : value;
    }

    private static string SounderName(int mode)
    {
        switch (mode)
        {
            case SounderOn: return "on";
            case SounderChirp: return "chirp";
            default: return "off";
        }
    }

    public static string StateName(SmokeState state)
    {
        switch (state)
        {
            case SmokeState.PreAlarm: return "pre-alarm";
            case SmokeState.Alarm: return "alarm";
            case SmokeState.Fault: return "fault";
            default: return "normal";
        }
    }
}
