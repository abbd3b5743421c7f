namespace SmartCommunity.Firmware.Devices.SmokeDetector;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

/// <summary>
/// A smoke detector head read as an analog level: pre-alarm, confirmed alarm, restore, circuit faults and a
/// heartbeat (hardware-docs/smoke-detector.md). All transitions happen in <see cref="Sample"/> through
/// <see cref="Enter"/>. An alarm event that could not be sent is sent again on every step until it goes out.
/// </summary>
public sealed class SmokeDetector : IFirmwareDevice, ICommandTarget
{
    public const string Kind = "smoke";
    public const string Role = "detector";

    private readonly SmokeDetectorSettings _settings;
    private readonly IAnalogInput _head;
    private readonly Uplink _uplink;
    private readonly CommandHandler _commands;
    private readonly Presence _presence;
    private readonly Cadence _sampling;
    private readonly Cadence _heartbeat;
    private readonly Cadence _telemetry;
    private readonly string[] _subscriptions;

    private SmokeState _state = SmokeState.Normal;
    private int _level;
    private long _smokeSinceMs;
    private bool _restoring;
    private long _restoreSinceMs;
    private bool _faultPending;
    private long _faultSinceMs;
    private bool _alarmUnsent;
    private long _lastAlarmAttemptMs;
    private long _alarms;

    public SmokeDetector(
        DeviceIdentity identity,
        SmokeDetectorSettings settings,
        IAnalogInput head,
        IClock clock,
        IMessageTransport transport,
        long boot)
    {
        _settings = settings;
        _head = head;
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

    public SmokeState State => _state;

    public int Level => _level;

    /// <summary>Confirmed alarms since boot.</summary>
    public long Alarms => _alarms;

    public Uplink Uplink => _uplink;

    public CommandHandler Commands => _commands;

    public void Step(long nowMs)
    {
        if (_sampling.IsDue(nowMs))
        {
            Sample(nowMs);
        }

        if (_presence.AnnounceIfNewSession(nowMs))
        {
            PublishState();
            _heartbeat.Restart(nowMs);
        }
        else if (_heartbeat.IsDue(nowMs))
        {
            PublishState();
        }

        // An alarm that could not go out is sent again once the transport is back, after the online status.
        // No attempts while offline, and at most one a second while the transport refuses (queue full), so
        // waiting does not eat sequence numbers the edge would count as lost.
        if (_alarmUnsent && _state == SmokeState.Alarm && _uplink.CanSend && nowMs - _lastAlarmAttemptMs >= Uplink.RetryIntervalMs)
        {
            _lastAlarmAttemptMs = nowMs;
            _alarmUnsent = !PublishEvent("alarm");
        }

        if (_telemetry.IsDue(nowMs))
        {
            PayloadWriter writer = _uplink.Begin();
            writer.Property("level", _level);
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

        PayloadWriter writer = _uplink.BeginEvent("self-test-report");
        bool inRange = _level >= _settings.OpenCircuitBelow && _level <= _settings.ShortCircuitAbove;
        writer.Property("result", inRange ? "pass" : "fail");
        writer.Property("level", _level);
        writer.Property("state", StateName(_state));
        _uplink.Send(_uplink.Identity.EventTopic, 1);
        return CommandRejection.None;
    }

    private void Sample(long nowMs)
    {
        _level = _head.Read();
        bool outOfRange = _level < _settings.OpenCircuitBelow || _level > _settings.ShortCircuitAbove;
        if (outOfRange)
        {
            TrackFault(nowMs);
            return;
        }

        _faultPending = false;
        if (_state == SmokeState.Fault)
        {
            Enter(SmokeState.Normal, "fault-cleared");
        }

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
                    Enter(SmokeState.Normal, "alarm-cleared");
                }

                break;
        }
    }

    private void CheckConfirmation(long nowMs)
    {
        if (nowMs - _smokeSinceMs >= _settings.ConfirmationMs)
        {
            _alarms++;
            _restoring = false;
            _alarmUnsent = !Enter(SmokeState.Alarm, "alarm");
            _lastAlarmAttemptMs = nowMs;
        }
    }

    private void TrackFault(long nowMs)
    {
        if (_state == SmokeState.Fault || _state == SmokeState.Alarm)
        {
            // A wiring fault during an alarm does not cancel the alarm; the restore timer still needs clean readings.
            _restoring = false;
            return;
        }

        if (!_faultPending)
        {
            _faultPending = true;
            _faultSinceMs = nowMs;
        }
        else if (nowMs - _faultSinceMs >= _settings.FaultConfirmMs)
        {
            _faultPending = false;
            Enter(SmokeState.Fault, "fault");
        }
    }

    /// <summary>Changes state and reports it; returns whether the event went out.</summary>
    private bool Enter(SmokeState next, string eventName)
    {
        _state = next;
        bool sent = PublishEvent(eventName);
        PublishState();
        return sent;
    }

    private bool PublishEvent(string name)
    {
        PayloadWriter writer = _uplink.BeginEvent(name);
        writer.Property("state", StateName(_state));
        writer.Property("level", _level);
        if (_state == SmokeState.Fault)
        {
            writer.Property("cause", _level < _settings.OpenCircuitBelow ? "open-circuit" : "short-circuit");
        }

        return _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void PublishState()
    {
        PayloadWriter writer = _uplink.Begin();
        writer.Property("state", StateName(_state));
        writer.Property("level", _level);
        writer.Property("alarms", _alarms);
        writer.Property("dropped", _uplink.Dropped);
        _uplink.Send(_uplink.Identity.StateTopic, 1);
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
