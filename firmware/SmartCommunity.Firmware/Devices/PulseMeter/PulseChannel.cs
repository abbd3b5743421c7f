namespace SmartCommunity.Firmware.Devices.PulseMeter;

/// <summary>
/// One fitted S0 channel of a <see cref="PulseMeter"/>: its input, its cumulative count, when its reading is due and
/// its flow-run tracking for leak suspicion (hardware-docs/pulse-meter.md). The names of its state fields are built
/// once here, so the loop writes them without allocating.
/// </summary>
public sealed class PulseChannel
{
    private readonly int _number;
    private readonly PulseChannelSettings _settings;
    private readonly S0PulseInput _input;
    private readonly string _mediumName;
    private readonly string _unitName;
    private long _pulses;
    private bool _reportDue;
    private long _lastReportMs;
    private bool _flowing;
    private long _runStartMs;
    private long _lastPulseAtMs;
    private bool _leakSuspected;

    public PulseChannel(int number, PulseChannelSettings settings, PulseMeterSettings meter, long restoredPulses, long startMs)
    {
        _number = number;
        _settings = settings;
        _input = new S0PulseInput(meter.MinOnMs, meter.MinOffMs, meter.BounceMs, S0PulseInput.DefaultCapacity, startMs);
        _mediumName = PulseChannelSettings.MediumName(settings.Medium);
        _unitName = PulseChannelSettings.UnitName(settings.EffectiveUnit);
        _pulses = restoredPulses;
        _reportDue = true;
        _lastReportMs = startMs - meter.ReportMs;
        string prefix = "ch" + number.ToString();
        TotalKey = prefix + "Total";
        RejectedKey = prefix + "Rejected";
        LeakKey = prefix + "Leak";
    }

    /// <summary>1-4, the <c>ch</c> of its events.</summary>
    public int Number => _number;

    public PulseChannelSettings Settings => _settings;

    /// <summary>The input the board's interrupt handler feeds with <see cref="S0PulseInput.Edge"/>.</summary>
    public S0PulseInput Input => _input;

    public string MediumName => _mediumName;

    public string UnitName => _unitName;

    /// <summary>Cumulative valid pulses: the restored count plus those counted since boot.</summary>
    public long Pulses => _pulses;

    /// <summary>
    /// The total in thousandths of the unit as the meter's register shows it: starting reading + pulses × constant,
    /// exact, modulo the channel's rollover when it has one (<see cref="PulseChannelSettings.RegisterMilli"/>).
    /// </summary>
    public long TotalMilli => _settings.RegisterMilli(_pulses);

    public bool LeakSuspected => _leakSuspected;

    /// <summary>Start of the current run of flow (uptime ms), valid while pulses keep coming.</summary>
    public long RunStartMs => _runStartMs;

    internal string TotalKey { get; }

    internal string RejectedKey { get; }

    internal string LeakKey { get; }

    internal bool ReportDue => _reportDue;

    internal long LastReportMs => _lastReportMs;

    /// <summary>Takes the new pulses; true when the count changed.</summary>
    internal bool Count(long nowMs)
    {
        int added = _input.Poll(nowMs);
        if (added == 0)
        {
            return false;
        }

        // A run of flow starts with the first pulse after a quiet gap; pulses within one poll are far closer together
        // than any quiet gap.
        if (!_flowing || _input.FirstNewPulseAtMs - _lastPulseAtMs >= _settings.QuietGapMs)
        {
            _runStartMs = _input.FirstNewPulseAtMs;
        }

        _flowing = true;
        _lastPulseAtMs = _input.LastPulseAtMs;
        _pulses += added;
        _reportDue = true;
        return true;
    }

    /// <summary>+1 when leak suspicion is raised now, -1 when it clears now, 0 otherwise.</summary>
    internal int TrackFlow(long nowMs)
    {
        if (!_flowing)
        {
            return 0;
        }

        if (nowMs - _lastPulseAtMs >= _settings.QuietGapMs)
        {
            _flowing = false;
            if (_leakSuspected)
            {
                _leakSuspected = false;
                return -1;
            }

            return 0;
        }

        if (!_leakSuspected && _settings.LeakSuspicionMs > 0 && nowMs - _runStartMs >= _settings.LeakSuspicionMs)
        {
            _leakSuspected = true;
            return 1;
        }

        return 0;
    }

    internal void Reported(long nowMs, bool sent)
    {
        _lastReportMs = nowMs;
        if (sent)
        {
            _reportDue = false;
        }
    }
}
