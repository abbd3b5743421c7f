namespace SmartCommunity.Edge.Metering;

using System;
using System.Linq;

/// <summary>
/// Interval boundaries in a building's time zone (hardware-docs/metering.md, "Intervals and time zones"). Quarters
/// and hours start where the local clock shows :00/:15/:30/:45 and :00; days and months at local midnight, so a day
/// across a daylight-saving change lasts 23 or 25 hours. Boundaries are instants; every zone in use today is offset
/// from UTC by whole quarters of an hour, which is what lets quarters be found in UTC.
/// </summary>
public sealed class MeteringCalendar(TimeZoneInfo zone)
{
    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    public TimeZoneInfo Zone => zone;

    /// <summary>The start of the interval of <paramref name="kind"/> that contains <paramref name="at"/>.</summary>
    public DateTimeOffset Floor(IntervalKind kind, DateTimeOffset at)
    {
        DateTimeOffset quarter = new(at.UtcTicks - (at.UtcTicks % Quarter.Ticks), TimeSpan.Zero);
        switch (kind)
        {
            case IntervalKind.Quarter:
                return quarter;
            case IntervalKind.Hour:
                while (Local(quarter).Minute != 0)
                {
                    quarter -= Quarter;
                }

                return quarter;
            case IntervalKind.Day:
                return Midnight(DateOnly.FromDateTime(Local(at).DateTime));
            default:
                DateTime local = Local(at).DateTime;
                return Midnight(new DateOnly(local.Year, local.Month, 1));
        }
    }

    /// <summary>The start of the interval after the one starting at <paramref name="start"/>.</summary>
    public DateTimeOffset Next(IntervalKind kind, DateTimeOffset start)
    {
        switch (kind)
        {
            case IntervalKind.Quarter:
                return start + Quarter;
            case IntervalKind.Hour:
                DateTimeOffset next = start + Quarter;
                while (Local(next).Minute != 0)
                {
                    next += Quarter;
                }

                return next;
            case IntervalKind.Day:
                return Midnight(DateOnly.FromDateTime(Local(start).DateTime).AddDays(1));
            default:
                DateTime local = Local(start).DateTime;
                return Midnight(new DateOnly(local.Year, local.Month, 1).AddMonths(1));
        }
    }

    /// <summary>The instant as the building's clock shows it.</summary>
    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone);

    // Local midnight of a date as an instant. Where a clock change skips midnight the day starts at the first local
    // time that exists; where midnight happens twice, at its first occurrence.
    private DateTimeOffset Midnight(DateOnly date)
    {
        DateTime local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        TimeSpan offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
