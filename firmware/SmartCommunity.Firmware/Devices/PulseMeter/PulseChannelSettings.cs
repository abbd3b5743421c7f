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

    /// <summary>
    /// The modulus of the meter's register in thousandths of <see cref="Unit"/>: its largest value plus one step of its
    /// last digit, the amount after which it shows zero again (an 8-digit 99999.999 kWh register counted in Wh:
    /// 100 000 kWh = 100 000 000 Wh = 100000000000). 0, the default, is a register that never wraps. With it set,
    /// the total follows the register's display; the pulses stay cumulative (hardware-docs/pulse-meter.md, "Register rollover").
    /// </summary>
    public long RolloverMilli;

    /// <summary>A gap between pulses at least this long ends a run of flow.</summary>
    public long QuietGapMs = 30L * 60 * 1000;

    /// <summary>A run of flow this long with no quiet gap raises leak-suspicion; 0 turns it off.</summary>
    public long LeakSuspicionMs;

    public bool IsFitted => Medium != MeterMedium.None;

    /// <summary>
    /// The register after <paramref name="pulses"/> (cumulative, never negative) in thousandths of the unit: the start
    /// plus pulses × constant, reduced modulo <see cref="RolloverMilli"/> when it is set. Exact with no overflow for
    /// validated settings: the modular product is built bit by bit of the constant (below 2^30), so no intermediate
    /// exceeds twice the rollover (at most 2 × 10^15), whatever the pulse count.
    /// </summary>
    public long RegisterMilli(long pulses)
    {
        long rollover = RolloverMilli;
        if (rollover <= 0)
        {
            return StartMilli + (pulses * MilliPerPulse);
        }

        long product = 0;
        long factor = pulses % rollover;
        for (int bit = 30; bit >= 0; bit--)
        {
            product = (product * 2) % rollover;
            if (((MilliPerPulse >> bit) & 1) != 0)
            {
                product = (product + factor) % rollover;
            }
        }

        return ((StartMilli % rollover) + product) % rollover;
    }

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
