namespace SmartCommunity.Firmware.Devices.PulseMeter;

using System;
using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

/// <summary>
/// An S0 pulse meter interface: one to four meters of a flat (cold and hot water, gas, electricity) counted on one
/// board (hardware-docs/pulse-meter.md). It reports cumulative totals, never deltas, so a lost message loses nothing;
/// the totals survive power cuts through <see cref="MeterRecordStore"/>, saved at a bounded rate and at once on a
/// power-fail warning. A run of flow with no quiet gap raises leak-suspicion; the tamper input is reported and
/// counted.
/// </summary>
public sealed class PulseMeter : IFirmwareDevice, ICommandTarget
{
    public const string Kind = "meter";
    public const string RolePulse = "pulse";

    /// <summary>Decimal places of the <c>total</c> field: totals are whole thousandths of the unit.</summary>
    public const int TotalDecimals = 3;

    private readonly PulseMeterSettings _settings;
    private readonly PulseChannel[] _byNumber = new PulseChannel[PulseMeterSettings.MaxChannels];
    private readonly PulseChannel[] _fitted;
    private readonly long[] _savedPulses = new long[PulseMeterSettings.MaxChannels];
    private readonly DebouncedInput _tamper;
    private readonly IDigitalInput _powerFail;
    private readonly MeterRecordStore _records;
    private readonly Uplink _uplink;
    private readonly CommandHandler _commands;
    private readonly Presence _presence;
    private readonly Cadence _heartbeat;
    private readonly string[] _subscriptions;

    private long _tampers;
    private bool _dirty;
    private long _lastSaveMs;
    private bool _powerFailWas;
    private long _powerFailSaves;
    private bool _stateChanged = true;

    /// <param name="tamper">Magnet or cover switch, active = tampered; null when none is fitted.</param>
    /// <param name="powerFail">Power-fail warning (brown-out detector or "power good" low), active = failing; null when none is wired.</param>
    /// <exception cref="ArgumentException">The settings fail <see cref="PulseMeterSettings.Validate"/>: the meter does not count with them.</exception>
    public PulseMeter(
        DeviceIdentity identity,
        PulseMeterSettings settings,
        IDigitalInput tamper,
        IDigitalInput powerFail,
        INonVolatileStore store,
        IClock clock,
        IMessageTransport transport,
        long boot)
    {
        string error = settings.Validate();
        if (error != null)
        {
            throw new ArgumentException(error);
        }

        long now = clock.UptimeMs;
        _settings = settings;
        _records = new MeterRecordStore(store);
        _records.Restore(settings);
        _tampers = _records.RestoredTampers;

        _fitted = new PulseChannel[settings.FittedChannels];
        int next = 0;
        for (int n = 1; n <= PulseMeterSettings.MaxChannels; n++)
        {
            PulseChannelSettings c = settings.Channel(n);
            if (c.IsFitted)
            {
                PulseChannel channel = new PulseChannel(n, c, settings, _records.RestoredPulses(n), now);
                _byNumber[n - 1] = channel;
                _fitted[next++] = channel;
            }
        }

        // Active at boot is reported once it has settled, like a change.
        _tamper = new DebouncedInput(tamper, settings.TamperDebounceMs, false);
        _powerFail = powerFail;
        _powerFailWas = powerFail != null && powerFail.IsActive();
        _lastSaveMs = now - settings.SaveEveryMs;

        _uplink = new Uplink(identity, clock, transport, boot);
        _commands = new CommandHandler(_uplink, this);
        _presence = new Presence(_uplink, transport, RolePulse);
        _heartbeat = new Cadence(settings.HeartbeatMs, now);
        _subscriptions = new string[] { identity.CommandTopic };
    }

    public DeviceIdentity Identity => _uplink.Identity;

    public string[] Subscriptions => _subscriptions;

    public PulseMeterSettings Settings => _settings;

    public MeterRecordStore Records => _records;

    public CommandHandler Commands => _commands;

    public Uplink Uplink => _uplink;

    public long Tampers => _tampers;

    public bool IsTampered => _tamper.IsActive;

    /// <summary>Saves triggered by the power-fail warning (also counted in the store's saves).</summary>
    public long PowerFailSaves => _powerFailSaves;

    /// <summary>Channel <paramref name="channel"/> (1-4), or null when it is not fitted.</summary>
    public PulseChannel Channel(int channel)
    {
        return channel < 1 || channel > PulseMeterSettings.MaxChannels ? null : _byNumber[channel - 1];
    }

    /// <summary>
    /// One edge of channel <paramref name="channel"/>'s S0 input, from the board's GPIO interrupt handler: the level
    /// read after the change and the uptime it happened at. Safe on the handler's thread; an unfitted channel ignores it.
    /// </summary>
    public void Edge(int channel, bool on, long atMs)
    {
        PulseChannel c = Channel(channel);
        if (c != null)
        {
            c.Input.Edge(on, atMs);
        }
    }

    public void Step(long nowMs)
    {
        for (int i = 0; i < _fitted.Length; i++)
        {
            if (_fitted[i].Count(nowMs))
            {
                _dirty = true;
            }
        }

        TrackTamper(nowMs);
        Persist(nowMs);
        for (int i = 0; i < _fitted.Length; i++)
        {
            TrackFlow(_fitted[i], nowMs);
        }

        if (_presence.IsStateDue(_heartbeat, nowMs))
        {
            PublishAll(nowMs);
            return;
        }

        if (_stateChanged)
        {
            PublishState();
        }

        for (int i = 0; i < _fitted.Length; i++)
        {
            PulseChannel c = _fitted[i];
            if (c.ReportDue && nowMs - c.LastReportMs >= _settings.ReportMs)
            {
                c.Reported(nowMs, PublishReading(c));
            }
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

        PublishSelfTest();
        return CommandRejection.None;
    }

    // Saves at most once per SaveEveryMs while counting, and at once when the power-fail warning starts
    // (pulse-meter.md, "Persistence"). The pulses of this step are counted before, so the save includes them.
    private void Persist(long nowMs)
    {
        bool failing = _powerFail != null && _powerFail.IsActive();
        bool warningStarted = failing && !_powerFailWas;
        _powerFailWas = failing;
        if (!_dirty)
        {
            return;
        }

        if (warningStarted)
        {
            _powerFailSaves++;
            Save(nowMs);
        }
        else if (nowMs - _lastSaveMs >= _settings.SaveEveryMs)
        {
            Save(nowMs);
        }
    }

    private void Save(long nowMs)
    {
        for (int i = 0; i < PulseMeterSettings.MaxChannels; i++)
        {
            PulseChannel c = _byNumber[i];
            _savedPulses[i] = c == null ? 0 : c.Pulses;
        }

        long failures = _records.SaveFailures;
        _records.Save(_savedPulses, _tampers, _settings);
        _lastSaveMs = nowMs;

        // A refused save keeps the counts dirty, so the next period tries again.
        _dirty = _records.SaveFailures != failures;
    }

    private void TrackTamper(long nowMs)
    {
        if (!_tamper.Update(nowMs))
        {
            return;
        }

        _stateChanged = true;
        if (_tamper.IsActive)
        {
            _tampers++;
            _dirty = true;
            PayloadWriter writer = _uplink.BeginEvent("tamper");
            writer.Property("tampers", _tampers);
            _uplink.Send(_uplink.Identity.EventTopic, 1);
        }
        else
        {
            _uplink.BeginEvent("tamper-cleared");
            _uplink.Send(_uplink.Identity.EventTopic, 1);
        }
    }

    private void TrackFlow(PulseChannel c, long nowMs)
    {
        int change = c.TrackFlow(nowMs);
        if (change == 0)
        {
            return;
        }

        _stateChanged = true;
        PayloadWriter writer = _uplink.BeginEvent(change > 0 ? "leak-suspicion" : "leak-suspicion-cleared");
        writer.Property("ch", c.Number);
        writer.Property("since", c.RunStartMs);
        writer.Property("medium", c.MediumName);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void PublishAll(long nowMs)
    {
        PublishState();
        for (int i = 0; i < _fitted.Length; i++)
        {
            PulseChannel c = _fitted[i];
            c.Reported(nowMs, PublishReading(c));
        }
    }

    /// <summary>The <c>reading</c> event: a contract the edge's aggregation relies on (pulse-meter.md, "Events").</summary>
    private bool PublishReading(PulseChannel c)
    {
        PayloadWriter writer = _uplink.BeginEvent("reading");
        writer.Property("ch", c.Number);
        writer.Property("pulses", c.Pulses);
        writer.DecimalProperty("total", c.TotalMilli, TotalDecimals);
        writer.Property("unit", c.UnitName);
        writer.Property("medium", c.MediumName);
        return _uplink.Send(_uplink.Identity.EventTopic, 1);
    }

    private void PublishState()
    {
        _stateChanged = false;
        PayloadWriter writer = _uplink.Begin();
        writer.Property("role", RolePulse);
        long overruns = 0;
        for (int i = 0; i < _fitted.Length; i++)
        {
            PulseChannel c = _fitted[i];
            writer.DecimalProperty(c.TotalKey, c.TotalMilli, TotalDecimals);
            writer.Property(c.RejectedKey, c.Input.Rejected);
            writer.Property(c.LeakKey, c.LeakSuspected);
            overruns += c.Input.Overruns;
        }

        writer.Property("tamper", _tamper.IsActive);
        writer.Property("tampers", _tampers);
        writer.Property("saves", _records.Saves);
        writer.Property("saveFailures", _records.SaveFailures);
        writer.Property("overruns", overruns);
        writer.Property("dropped", _uplink.Dropped);
        _commands.WriteCounters(writer);
        _uplink.Send(_uplink.Identity.StateTopic, 1);
    }

    private void PublishSelfTest()
    {
        bool storeOk = _records.VerifyLast() && _records.SaveFailures == 0;
        bool failing = _powerFail != null && _powerFail.IsActive();
        PayloadWriter writer = _uplink.BeginEvent("self-test-report");
        writer.Property("result", storeOk && !failing ? "pass" : "fail");
        writer.Property("store", storeOk ? "ok" : "fail");
        writer.Property("invalidRecords", _records.InvalidRecords);
        writer.Property("powerFail", failing);
        writer.Property("tamper", _tamper.IsActive);
        writer.Property("channels", _fitted.Length);
        writer.Property("powerFailSaves", _powerFailSaves);
        _uplink.Send(_uplink.Identity.EventTopic, 1);
    }
}
