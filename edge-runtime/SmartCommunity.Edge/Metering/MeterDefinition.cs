namespace SmartCommunity.Edge.Metering;

using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>
/// A building's meters and M-Bus buses (layout key <c>metering</c> of a building; hardware-docs/metering.md, "Layout").
/// </summary>
/// <param name="TimeZone">Where days and months begin for this building's consumption; null = the edge's local zone.</param>
/// <param name="MaxGap">The longest span between two readings across which a boundary value may be interpolated.</param>
public sealed record MeteringLayout(TimeZoneInfo? TimeZone, TimeSpan MaxGap, IReadOnlyList<MbusBus> Buses, IReadOnlyList<MeterDefinition> Meters)
{
    public static readonly TimeSpan DefaultMaxGap = TimeSpan.FromHours(2);

    public static readonly MeteringLayout Empty = new(null, DefaultMaxGap, [], []);
}

/// <summary>An M-Bus segment on one serial port of the edge box (EN 13757-2: 2400 baud 8E1 by default).</summary>
public sealed record MbusBus(string Id, string Port, int Baud)
{
    public const int DefaultBaud = 2400;

    public static readonly int[] Bauds = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400];
}

/// <summary>
/// One measuring point: a water, gas, heat or electricity meter of a flat (<see cref="Unit"/>) or of the building's
/// common supply (<see cref="Unit"/> null). Its id stays when the physical meter is replaced (hardware-docs/metering.md).
/// </summary>
/// <param name="MeasuredIn">The quantity unit the edge stores and sums the meter's register in.</param>
public sealed record MeterDefinition(string Id, string Building, string? Unit, string Medium, string MeasuredIn, MeterSource Source)
{
    /// <summary>The register's largest value (e.g. 99999.999); it wraps to zero after it. Null: it never wraps.</summary>
    public decimal? Rollover { get; init; }

    /// <summary>What the source's figure is multiplied by to give <see cref="MeasuredIn"/>; null when the source already reports in it.</summary>
    public MeterConversion? Conversion { get; init; }

    /// <summary>Overrides the building's <see cref="MeteringLayout.MaxGap"/> for this meter.</summary>
    public TimeSpan? MaxGap { get; init; }

    /// <summary>The unit the source reports in: the conversion's <c>from</c>, else <see cref="MeasuredIn"/>.</summary>
    public string SourceUnit => Conversion?.From ?? MeasuredIn;

    /// <summary>The register value after which it reads zero again: the maximum plus one step of its last digit (99999.999 → 100000.000).</summary>
    public decimal? Modulus => Rollover is { } max ? max + Step(max) : null;

    /// <summary>A source figure in <see cref="MeasuredIn"/>, exactly (decimal arithmetic).</summary>
    public decimal Convert(decimal sourceValue) => Conversion is { } c ? sourceValue * c.Factor : sourceValue;

    private static decimal Step(decimal value)
    {
        int scale = (decimal.GetBits(value)[3] >> 16) & 0xFF;
        decimal step = 1m;
        for (int i = 0; i < scale; i++)
        {
            step /= 10m;
        }

        return step;
    }
}

/// <summary>Where a meter's register comes from.</summary>
public abstract record MeterSource
{
    public abstract string Describe();
}

/// <summary>A channel (1-4) of a pulse meter device (kind <c>meter</c>, role <c>pulse</c>).</summary>
public sealed record PulseSource(string Device, int Channel) : MeterSource
{
    public override string Describe() => $"pulse {Device} ch {Channel}";
}

/// <summary>A wired M-Bus meter: polled by the edge's master on <see cref="Bus"/>, by primary or secondary address.</summary>
public sealed record MbusSource(string Bus, int? PrimaryAddress, string? SecondaryAddress, TimeSpan Every) : MeterSource
{
    public override string Describe() => PrimaryAddress is { } primary ? $"mbus {Bus} primary {primary}" : $"mbus {Bus} secondary {SecondaryAddress}";
}

/// <param name="From">The unit the source reports in (e.g. L).</param>
/// <param name="Factor">Multiplies the source's figure into the meter's unit (e.g. 0.001 for L to m3).</param>
public sealed record MeterConversion(string From, decimal Factor);

/// <summary>Media and quantity units a meter may have.</summary>
public static class MeterMedia
{
    public const string Water = "water";
    public const string HotWater = "hot-water";
    public const string Gas = "gas";
    public const string Electricity = "electricity";
    public const string Heat = "heat";
    public const string Cooling = "cooling";

    public static readonly string[] VolumeUnits = ["L", "m3"];

    public static readonly string[] EnergyUnits = ["Wh", "kWh", "MWh", "J", "kJ", "MJ", "GJ"];

    public static readonly string[] MassUnits = ["kg", "t"];

    /// <summary>The units each medium may be measured in (a gas meter counts volume; heat is energy).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> UnitsByMedium = new Dictionary<string, string[]>
    {
        [Water] = VolumeUnits,
        [HotWater] = VolumeUnits,
        [Gas] = [.. VolumeUnits, .. EnergyUnits],
        [Electricity] = EnergyUnits,
        [Heat] = [.. EnergyUnits, .. VolumeUnits, .. MassUnits],
        [Cooling] = [.. EnergyUnits, .. VolumeUnits],
    };

    public static IEnumerable<string> AllUnits => VolumeUnits.Concat(EnergyUnits).Concat(MassUnits);
}
