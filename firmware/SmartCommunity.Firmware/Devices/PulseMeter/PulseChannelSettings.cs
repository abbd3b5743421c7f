namespace SmartCommunity.Firmware.Devices.PulseMeter;

/// <summary>
/// One S0 channel's commissioning: what it measures, its meter constant and the meter's register when it was
/// connected (hardware-docs/pulse-meter.md, "Parameters"; bundle keys <c>chNMedium</c>, <c>chNUnit</c>, ...).
/// </summary>
public sealed class PulseChannelSettings
{
    /// <summary>None leaves the channel unfitted: no input, no readings.</summary>
    public MeterMedium Medium = MeterMedium.None;

    /// <summary>Default takes the medium's usual unit (L for water, m3 for gas, Wh for electricity).</summary>
    public MeterUnit Unit = MeterUnit.Default;

    /// <summary>
    /// The meter constant as an exact quantity per pulse in thousandths of <see cref="Unit"/>: 1000 = 1 L/pulse,
    /// 10 = 0.01 m3/pulse, 1250 = 1.25 Wh/pulse (800 imp/kWh). Totals stay exact whole numbers of thousandths.
    /// </summary>
    public long MilliPerPulse = 1000;

    /// <summary>The meter's register at commissioning, in thousandths of <see cref="Unit"/>.</summary>
    public long StartMilli;

    /// <summary>A gap between pulses at least this long ends a run of flow.</summary>
    public long QuietGapMs = 30L * 60 * 1000;

    /// <summary>A run of flow this long with no quiet gap raises leak-suspicion; 0 turns it off.</summary>
    public long LeakSuspicionMs;

    public bool IsFitted => Medium != MeterMedium.None;

    /// <summary>The unit actually used: <see cref="Unit"/>, or the medium's usual one when it is Default.</summary>
    public MeterUnit EffectiveUnit
    {
        get
        {
            if (Unit != MeterUnit.Default)
            {
                return Unit;
            }

            switch (Medium)
            {
                case MeterMedium.Gas: return MeterUnit.CubicMetre;
                case MeterMedium.Electricity: return MeterUnit.WattHour;
                default: return MeterUnit.Litre;
            }
        }
    }

    /// <summary>The leak-suspicion default of a medium: on (24 h without a 30 min pause) for water, off for gas and electricity.</summary>
    public static long DefaultLeakSuspicionMs(MeterMedium medium)
    {
        return medium == MeterMedium.Water || medium == MeterMedium.HotWater ? 24L * 60 * 60 * 1000 : 0;
    }

    /// <summary>The wire name of a medium (the reading event's <c>medium</c>).</summary>
    public static string MediumName(MeterMedium medium)
    {
        switch (medium)
        {
            case MeterMedium.Water: return "water";
            case MeterMedium.HotWater: return "hot-water";
            case MeterMedium.Gas: return "gas";
            case MeterMedium.Electricity: return "electricity";
            default: return "";
        }
    }

    /// <summary>The wire name of a unit (the reading event's <c>unit</c>).</summary>
    public static string UnitName(MeterUnit unit)
    {
        switch (unit)
        {
            case MeterUnit.Litre: return "L";
            case MeterUnit.CubicMetre: return "m3";
            case MeterUnit.WattHour: return "Wh";
            default: return "";
        }
    }
}
