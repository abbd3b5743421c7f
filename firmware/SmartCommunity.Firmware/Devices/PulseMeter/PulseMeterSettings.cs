namespace SmartCommunity.Firmware.Devices.PulseMeter;

using SmartCommunity.Firmware.Boot;

/// <summary>
/// Pulse meter parameters from the device configuration bundle (hardware-docs/pulse-meter.md, "Parameters"): the
/// device-wide timing, then per channel N (1-4) the keys <c>chNMedium</c>, <c>chNUnit</c>, <c>chNMilliPerPulse</c>,
/// <c>chNStartMilli</c>, <c>chNRolloverMilli</c>, <c>chNQuietGapMs</c> and <c>chNLeakSuspicionMs</c>. <see cref="Validate"/> says what is
/// wrong with a set of them; the meter refuses to count with settings that fail it, since residents are billed
/// from these figures.
/// </summary>
public sealed class PulseMeterSettings
{
    public const int MaxChannels = 4;

    /// <summary>Bounds of the meter constant and starting reading, in thousandths of the unit.</summary>
    public const long MaxMilliPerPulse = 1000000000;

    public const long MaxStartMilli = 1000000000000000;

    /// <summary>Largest register modulus (<see cref="PulseChannelSettings.RolloverMilli"/>), in thousandths of the unit.</summary>
    public const long MaxRolloverMilli = 1000000000000000;

    /// <summary>
    /// Least pulses in one turn of a wrapping register: the rollover must be at least this many constants. The edge
    /// takes a drop as a wrap only from the register's top tenth to its bottom tenth (hardware-docs/metering.md), so a
    /// tenth of a turn (1 000 pulses) must take longer than a few readings: at the S0 rate limit (a pulse per 60 ms)
    /// that is 60 s, six report periods at the default <see cref="ReportMs"/>.
    /// </summary>
    public const long MinPulsesPerRollover = 10000;

    /// <summary>Least <see cref="SaveEveryMs"/>: the store is flash, and every save wears it (pulse-meter.md, "Persistence").</summary>
    public const long MinSaveEveryMs = 1000;

    private readonly PulseChannelSettings[] _channels = new PulseChannelSettings[MaxChannels];

    public PulseMeterSettings()
    {
        for (int i = 0; i < MaxChannels; i++)
        {
            _channels[i] = new PulseChannelSettings();
        }

        // A meter with no parameters has one cold-water channel at 1 L/pulse, as the simulator's default flat.
        _channels[0].Medium = MeterMedium.Water;
        _channels[0].LeakSuspicionMs = PulseChannelSettings.DefaultLeakSuspicionMs(MeterMedium.Water);
    }

    /// <summary>A settled ON shorter than this is noise, not a pulse (EN 62053-31: a pulse is at least 30 ms).</summary>
    public long MinOnMs = 30;

    /// <summary>The OFF before a pulse must have lasted this long, or the pulse is noise.</summary>
    public long MinOffMs = 30;

    /// <summary>A level held for less than this is contact bounce, merged into the level around it.</summary>
    public long BounceMs = 5;

    /// <summary>While counting, the total is saved at most once per this period (flash wear), and at once on a power-fail warning.</summary>
    public long SaveEveryMs = 10L * 60 * 1000;

    /// <summary>A channel whose total changed sends its reading at most once per this period.</summary>
    public long ReportMs = 10000;

    /// <summary>Period of the state heartbeat, which also repeats every channel's reading.</summary>
    public long HeartbeatMs = 30000;

    /// <summary>The tamper input must hold a new level this long before it counts.</summary>
    public long TamperDebounceMs = 200;

    /// <summary>Channel <paramref name="channel"/> (1-4).</summary>
    public PulseChannelSettings Channel(int channel)
    {
        return _channels[channel - 1];
    }

    /// <summary>The settings from a device's parameters (the bundle's "params", or the layout's); anything not given keeps its default.</summary>
    public static PulseMeterSettings Read(IParameterSource parameters)
    {
        PulseMeterSettings s = new PulseMeterSettings();
        s.MinOnMs = parameters.Parameter("minOnMs", s.MinOnMs);
        s.MinOffMs = parameters.Parameter("minOffMs", s.MinOffMs);
        s.BounceMs = parameters.Parameter("bounceMs", s.BounceMs);
        s.SaveEveryMs = parameters.Parameter("saveEveryMs", s.SaveEveryMs);
        s.ReportMs = parameters.Parameter("reportMs", s.ReportMs);
        s.HeartbeatMs = parameters.Parameter("heartbeatMs", s.HeartbeatMs);
        s.TamperDebounceMs = parameters.Parameter("tamperDebounceMs", s.TamperDebounceMs);
        for (int n = 1; n <= MaxChannels; n++)
        {
            PulseChannelSettings c = s.Channel(n);
            string prefix = "ch" + n.ToString();
            // A code out of range becomes -1 (not clamped to a valid one), so Validate reports it.
            c.Medium = (MeterMedium)(int)Code(parameters.Parameter(prefix + "Medium", (long)c.Medium));
            c.Unit = (MeterUnit)(int)Code(parameters.Parameter(prefix + "Unit", (long)c.Unit));
            c.MilliPerPulse = parameters.Parameter(prefix + "MilliPerPulse", c.MilliPerPulse);
            c.StartMilli = parameters.Parameter(prefix + "StartMilli", c.StartMilli);
            c.RolloverMilli = parameters.Parameter(prefix + "RolloverMilli", c.RolloverMilli);
            c.QuietGapMs = parameters.Parameter(prefix + "QuietGapMs", c.QuietGapMs);
            c.LeakSuspicionMs = parameters.Parameter(
                prefix + "LeakSuspicionMs", PulseChannelSettings.DefaultLeakSuspicionMs(c.Medium));
        }

        return s;
    }

    /// <summary>Channels with a medium.</summary>
    public int FittedChannels
    {
        get
        {
            int fitted = 0;
            for (int i = 0; i < MaxChannels; i++)
            {
                if (_channels[i].IsFitted)
                {
                    fitted++;
                }
            }

            return fitted;
        }
    }

    /// <summary>Null when the settings can be used; otherwise what is wrong, the key to fix and the allowed values.</summary>
    public string Validate()
    {
        if (MinOnMs < 1 || MinOnMs > 10000)
        {
            return "pulse meter: minOnMs must be 1-10000 ms (EN 62053-31 pulses are at least 30 ms)";
        }

        if (MinOffMs < 1 || MinOffMs > 60000)
        {
            return "pulse meter: minOffMs must be 1-60000 ms";
        }

        if (BounceMs < 0 || BounceMs >= MinOnMs || BounceMs >= MinOffMs)
        {
            return "pulse meter: bounceMs must be at least 0 and below both minOnMs and minOffMs";
        }

        if (SaveEveryMs < MinSaveEveryMs || SaveEveryMs > 86400000)
        {
            return "pulse meter: saveEveryMs must be 1000-86400000 ms (each save wears the flash)";
        }

        if (ReportMs < 1000 || ReportMs > 86400000)
        {
            return "pulse meter: reportMs must be 1000-86400000 ms";
        }

        if (HeartbeatMs < 1000 || HeartbeatMs > 3600000)
        {
            return "pulse meter: heartbeatMs must be 1000-3600000 ms";
        }

        if (TamperDebounceMs < 0 || TamperDebounceMs > 60000)
        {
            return "pulse meter: tamperDebounceMs must be 0-60000 ms";
        }

        for (int n = 1; n <= MaxChannels; n++)
        {
            string error = ValidateChannel(n, Channel(n));
            if (error != null)
            {
                return error;
            }
        }

        if (FittedChannels == 0)
        {
            return "pulse meter: no channel fitted; set ch1Medium (1 water, 2 hot-water, 3 gas, 4 electricity)";
        }

        return null;
    }

    private static string ValidateChannel(int n, PulseChannelSettings c)
    {
        string ch = "ch" + n.ToString();
        string key = "pulse meter: " + ch;
        if (c.Medium < MeterMedium.None || c.Medium > MeterMedium.Electricity)
        {
            return key + "Medium must be 0 (none), 1 (water), 2 (hot-water), 3 (gas) or 4 (electricity)";
        }

        if (!c.IsFitted)
        {
            return null;
        }

        if (c.Unit < MeterUnit.Default || c.Unit > MeterUnit.WattHour)
        {
            return key + "Unit must be 0 (the medium's own), 1 (L), 2 (m3) or 3 (Wh)";
        }

        MeterUnit unit = c.EffectiveUnit;
        if ((c.Medium == MeterMedium.Electricity) != (unit == MeterUnit.WattHour))
        {
            return key + "Unit: electricity is counted in Wh (3); water, hot-water and gas in L (1) or m3 (2)";
        }

        if (c.MilliPerPulse < 1 || c.MilliPerPulse > MaxMilliPerPulse)
        {
            return key + "MilliPerPulse must be 1-1000000000 thousandths of the unit per pulse (1000 = 1 L/pulse, 1250 = 1.25 Wh/pulse)";
        }

        if (c.StartMilli < 0 || c.StartMilli > MaxStartMilli)
        {
            return key + "StartMilli must be 0-1000000000000000 thousandths of the unit (the meter's register at commissioning)";
        }

        if (c.RolloverMilli != 0)
        {
            // Divided, not multiplied, so the check cannot overflow whatever the constant's bound becomes.
            if (c.RolloverMilli < 0 || c.RolloverMilli > MaxRolloverMilli || c.RolloverMilli / MinPulsesPerRollover < c.MilliPerPulse)
            {
                return key + "RolloverMilli must be 0 (the register never wraps) or the register's modulus in thousandths of the unit, "
                    + "at least 10000 x " + ch + "MilliPerPulse and at most 1000000000000000 (99999.999 kWh counted in Wh: 100000000000)";
            }

            if (c.StartMilli >= c.RolloverMilli)
            {
                return key + "StartMilli must be below " + ch + "RolloverMilli (the register shows less than its modulus)";
            }
        }

        if (c.QuietGapMs < 1000)
        {
            return key + "QuietGapMs must be at least 1000 ms";
        }

        if (c.LeakSuspicionMs != 0 && c.LeakSuspicionMs <= c.QuietGapMs)
        {
            return key + "LeakSuspicionMs must be 0 (off) or longer than " + ch + "QuietGapMs";
        }

        return null;
    }

    private static long Code(long value)
    {
        return value < -1 || value > 100 ? -1 : value;
    }
}
