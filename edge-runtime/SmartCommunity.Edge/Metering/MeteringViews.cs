namespace SmartCommunity.Edge.Metering;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

/// <summary>
/// The JSON shapes of metering, for the API and the relayed records (hardware-docs/metering.md, "API" and "Relayed
/// records"). Values are JSON numbers written from decimals, digit for digit; a missing figure is null, never 0.
/// Times are UTC; <c>local</c> gives an interval's start as the building's clock shows it.
/// </summary>
public static class MeteringViews
{
    public static object Meter(MeterDefinition m, MeterReading? latest) => new
    {
        id = m.Id,
        building = m.Building,
        unit = m.Unit,
        medium = m.Medium,
        measuredIn = m.MeasuredIn,
        source = Source(m.Source),
        rollover = m.Rollover,
        conversion = m.Conversion is { } c ? new { from = c.From, factor = c.Factor } : null,
        latest = latest is null ? null : Reading(latest),
    };

    public static object Reading(MeterReading r) => new
    {
        at = Utc(r.At),
        value = r.Value,
        raw = r.Raw,
        rawUnit = r.RawUnit,
        source = r.Source,
        detail = r.Detail,
    };

    public static object Event(MeterEvent e) => new
    {
        at = Utc(e.At),
        kind = e.Kind,
        before = e.Before,
        after = e.After,
        by = e.By,
        note = e.Note,
    };

    public static object Interval(IntervalConsumption c, MeteringCalendar calendar) => new
    {
        start = Utc(c.Start),
        end = Utc(c.End),
        local = Local(c.Start, calendar),
        value = c.Value,
        status = IntervalNames.NameOf(c.Status),
        flags = c.Flags,
        startValue = c.StartValue,
        endValue = c.EndValue,
    };

    public static object Sum(ConsumptionSum s, MeteringCalendar calendar) => new
    {
        medium = s.Medium,
        measuredIn = s.MeasuredIn,
        scope = s.Scope,
        start = Utc(s.Start),
        end = Utc(s.End),
        local = Local(s.Start, calendar),
        value = s.Value,
        partial = s.Partial,
        incomplete = s.Incomplete,
        meters = s.Meters,
        gaps = s.Gaps,
        estimated = s.Estimated,
    };

    /// <summary>The payload of a relayed consumption record (event log channel "metering", name "consumption").</summary>
    public static Dictionary<string, object?> Record(MeterDefinition m, IntervalKind kind, IntervalConsumption c, MeteringCalendar calendar) => new()
    {
        ["v"] = 1,
        ["meter"] = m.Id,
        ["unit"] = m.Unit,
        ["medium"] = m.Medium,
        ["measuredIn"] = m.MeasuredIn,
        ["interval"] = IntervalNames.NameOf(kind),
        ["start"] = Utc(c.Start),
        ["end"] = Utc(c.End),
        ["local"] = Local(c.Start, calendar),
        ["timeZone"] = calendar.Zone.Id,
        ["value"] = c.Value,
        ["status"] = IntervalNames.NameOf(c.Status),
        ["flags"] = c.Flags.ToList(),
        ["startValue"] = c.StartValue,
        ["endValue"] = c.EndValue,
    };

    private static object Source(MeterSource source) => source switch
    {
        PulseSource p => new { type = "pulse", device = (string?)p.Device, channel = (int?)p.Channel, bus = (string?)null, primary = (int?)null, secondary = (string?)null, every = (string?)null },
        MbusSource b => new { type = "mbus", device = (string?)null, channel = (int?)null, bus = (string?)b.Bus, primary = b.PrimaryAddress, secondary = b.SecondaryAddress, every = (string?)b.Every.ToString("c", CultureInfo.InvariantCulture) },
        _ => new { type = "unknown", device = (string?)null, channel = (int?)null, bus = (string?)null, primary = (int?)null, secondary = (string?)null, every = (string?)null },
    };

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Local(DateTimeOffset at, MeteringCalendar calendar) => calendar.Local(at).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
