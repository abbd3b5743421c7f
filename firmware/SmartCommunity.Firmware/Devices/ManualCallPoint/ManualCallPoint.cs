namespace SmartCommunity.Firmware.Devices.ManualCallPoint;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

/// <summary>
/// A fire manual call point (break-glass) as a supplementary fire source for the edge
/// (hardware-docs/call-points.md). Operating the element is a fire at once: only contact bounce is filtered,
/// nothing verifies or delays it. It ends only when the element is reset at the point; no command restores it.
/// An optional line-monitoring signal reports wiring faults. All transitions happen in <see cref="Step"/>.
/// </summary>
public sealed class ManualCallPoint : IFirmwareDevice, ICommandTarget
{
    public const string Kind = "manual-call-point";
    public const string Role = "break-glass";

    private readonly DebouncedInput _glass;
    private readonly DebouncedInput _lineFault;
    private readonly Uplink _uplink;
    private readonly CommandHandler _commands;
    private readonly Presence _presence;
    private readonly Cadence _heartbeat;
    private readonly string[] _subscriptions;

    private ManualCallPointState _state = ManualCallPointState.Normal;
    private bool _activatedUnsent;
    private long _lastActivatedAttemptMs;
    private long _activations;

    /// <param name="glass">The break-glass element: active = operated.</param>
    /// <param name="lineFault">The line-monitoring signal (active = open or shorted line); null when not fitted.</param>
    public ManualCallPoint(
        DeviceIdentity identity,
        ManualCallPointSettings settings,
        IDigitalInput glass,
        IDigitalInput lineFault,
        IClock clock,
        IMessageTransport transport,
        long boot)
    {
        long now = clock.UptimeMs;
        _glass = new DebouncedInput(glass, settings.ContactDebounceMs, false);
        _lineFault = lineFault == null ? null : new DebouncedInput(lineFault, settings.LineFaultConfirmMs, false);
        _uplink = new Uplink(identity, clock, transport, boot);
        _commands = new CommandHandler(_uplink, this);
        _presence = new Presence(_uplink, transport, Role);
        _heartbeat = new Cadence(settings.HeartbeatMs, now);
        _subscriptions = new string[] { identity.CommandTopic };
    }

    public DeviceIdentity Identity => _uplink.Identity;

    public string[] Subscriptions => _subscriptions;

    public ManualCallPointState State => _state;

    /// <summary>Activations since boot.</summary>
    public long Activations => _activations;

    public bool IsLineMonitored => _lineFault != null;

    public Uplink Uplink => _uplink;

    public CommandHandler Commands => _commands;

    public void Step(long nowMs)
    {
        if (_glass.Update(nowMs))
        {
            if (_glass.IsActive)
            {
                _activations++;
                _activatedUnsent = !Change("activated");
                _lastActivatedAttemptMs = nowMs;
            }
            else
            {
                _activatedUnsent = false;
                Change("restored");
            }
        }

        if (_lineFault != null && _lineFault.Update(nowMs))
        {
            Change(_lineFault.IsActive ? "fault" : "fault-cleared");
        }

        if (_presence.IsStateDue(_heartbeat, nowMs))
        {
            PublishState();
        }

        // As the smoke detector's alarm: offered again once the link is back, after the online status and the
        // state, at most once a second while the transport refuses it, and only while still operated.
        if (_activatedUnsent && _glass.IsActive && _uplink.CanSend && nowMs - _lastActivatedAttemptMs >= Uplink.RetryIntervalMs)
        {
            _lastActivatedAttemptMs = nowMs;
            _activatedUnsent = !PublishEvent("activated");
        }
    }

    public void HandleMessage(string topic, byte[] payload, int length, long nowMs)
    {
        if (topic == _uplink.Identity.CommandTopic)
        {
            _commands.Handle(payload, length, nowMs);
        }
    }

    /// <summary>Self-test only. There is deliberately no remote reset: the element is reset at the point.</summary>
    public CommandRejection Execute(Command command, long nowMs)
    {
        if (command.Kind != CommandKind.SelfTest)
        {
            return CommandRejection.NotSupportedByDevice;
        }

        PayloadWriter writer = _uplink.BeginEvent("self-test-report");
        bool lineFault = _lineFault != null && _lineFault.IsActive;
        writer.Property("result", lineFault ? "fail" : "pass");
        WriteFields(writer);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
        return CommandRejection.None;
    }

    /// <summary>Recomputes the state from the settled inputs, reports the event and the state; returns whether the event went out.</summary>
    private bool Change(string eventName)
    {
        _state = _glass.IsActive ? ManualCallPointState.Activated
            : _lineFault != null && _lineFault.IsActive ? ManualCallPointState.Fault
            : ManualCallPointState.Normal;
        bool sent = PublishEvent(eventName);
        PublishState();
        return sent;
    }

    private bool PublishEvent(string name)
    {
        PayloadWriter writer = _uplink.BeginEvent(name);
        WriteFields(writer);
        return _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void PublishState()
    {
        PayloadWriter writer = _uplink.Begin();
        WriteFields(writer);
        writer.Property("activations", _activations);
        writer.Property("dropped", _uplink.Dropped);
        _uplink.Send(_uplink.Identity.StateTopic, 1);
    }

    private void WriteFields(PayloadWriter writer)
    {
        writer.Property("state", StateName(_state));
        writer.Property("glass", _glass.IsActive ? "operated" : "intact");
        if (_lineFault != null)
        {
            writer.Property("lineFault", _lineFault.IsActive);
        }
    }

    public static string StateName(ManualCallPointState state)
    {
        switch (state)
        {
            case ManualCallPointState.Activated: return "activated";
            case ManualCallPointState.Fault: return "fault";
            default: return "normal";
        }
    }
}
