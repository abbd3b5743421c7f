namespace SmartCommunity.Edge.Metering;

using System;
using System.Collections.Generic;

/// <summary>One register reading as stored: <see cref="Value"/> in the meter's unit, <see cref="Raw"/> as the source sent it.</summary>
/// <param name="Source">"pulse" or "mbus" (or what the caller names).</param>
/// <param name="Detail">Where exactly it came from, e.g. "b1-meter-1 ch 2 pulses 1234".</param>
public sealed record MeterReading(long Id, string Meter, DateTimeOffset At, decimal Value, decimal Raw, string RawUnit, string Source, string? Detail);

/// <summary>What the edge noticed in a meter's register, or a replacement an operator recorded.</summary>
/// <param name="Before">Reset, rollover: the previous reading; replacement: the old meter's final reading.</param>
/// <param name="After">Reset, rollover: the new reading; replacement: the new meter's start reading.</param>
public sealed record MeterEvent(long Id, string Meter, DateTimeOffset At, string Kind, decimal Before, decimal After, string? By, string? Note)
{
    public const string Reset = "reset";
    public const string Rollover = "rollover";
    public const string Replacement = "replacement";
}

/// <summary>The interval lengths consumption is given for.</summary>
public enum IntervalKind
{
    Quarter,
    Hour,
    Day,
    Month,
}

/// <summary>How far an interval's figure can be trusted (hardware-docs/metering.md, "Consumption").</summary>
public enum IntervalStatus
{
    /// <summary>Both boundaries fall on readings: the figure is the register's own difference.</summary>
    Measured,

    /// <summary>At least one boundary was interpolated between two readings no further apart than the meter's maximum gap.</summary>
    Estimated,

    /// <summary>A boundary has no reading close enough on one side or both: no figure (null), never zero.</summary>
    Gap,

    /// <summary>The interval has not ended, or its end boundary still waits for a reading that may yet come.</summary>
    Pending,
}

/// <summary>One meter's consumption over one interval. <see cref="Value"/> is null unless the status is measured or estimated.</summary>
public sealed record IntervalConsumption(
    DateTimeOffset Start,
    DateTimeOffset End,
    decimal? Value,
    IntervalStatus Status,
    IReadOnlyList<string> Flags,
    decimal? StartValue,
    decimal? EndValue);

public static class IntervalNames
{
    public static string NameOf(IntervalKind kind) => kind switch
    {
        IntervalKind.Quarter => "15m",
        IntervalKind.Hour => "hour",
        IntervalKind.Day => "day",
        _ => "month",
    };

    public static bool TryParse(string? text, out IntervalKind kind)
    {
        (bool ok, kind) = text switch
        {
            "15m" => (true, IntervalKind.Quarter),
            "hour" => (true, IntervalKind.Hour),
            "day" => (true, IntervalKind.Day),
            "month" => (true, IntervalKind.Month),
            _ => (false, IntervalKind.Hour),
        };
        return ok;
    }

    public static string NameOf(IntervalStatus status) => status switch
    {
        IntervalStatus.Measured => "measured",
        IntervalStatus.Estimated => "estimated",
        IntervalStatus.Gap => "gap",
        _ => "pending",
    };
}
