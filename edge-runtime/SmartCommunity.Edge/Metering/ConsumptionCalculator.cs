namespace SmartCommunity.Edge.Metering;

using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>
/// Consumption from cumulative register readings (hardware-docs/metering.md, "How consumption is computed"). The
/// readings become one continuous, never decreasing series: a wrap of a register with a rollover adds the register's
/// modulus, a reset (any other decrease) carries the old level on so consumption resumes from the new baseline, and a
/// replacement continues the old meter's final level with the new meter's start. An interval's consumption is that
/// series at its end boundary minus at its start: exact at a reading, interpolated linearly (and estimated) between
/// two readings at most the maximum gap apart, and unknown (a gap, null) otherwise. Only differences of one series are
/// taken, so no figure is ever negative.
/// </summary>
public sealed class ConsumptionCalculator
{
    private readonly List<Point> _points;
    private readonly List<(DateTimeOffset After, DateTimeOffset Until, string Flag)> _marks = [];
    private readonly TimeSpan _maxGap;
    private readonly DateTimeOffset _now;

    /// <param name="readings">Readings of one meter, oldest first, in the meter's unit.</param>
    /// <param name="replacements">The meter's replacements in the same window.</param>
    /// <param name="boundaries">
    /// When given (sorted), only the readings within the maximum gap of a boundary are kept once the series is built:
    /// no other reading can bracket one, and a year of minute readings need not stay in memory.
    /// </param>
    public ConsumptionCalculator(MeterDefinition meter, TimeSpan maxGap, IEnumerable<(DateTimeOffset At, decimal Value)> readings, IEnumerable<MeterEvent> replacements,
        DateTimeOffset now, IReadOnlyList<DateTimeOffset>? boundaries = null)
    {
        _maxGap = maxGap;
        _now = now;
        _points = [];

        // At the same instant, readings come before a replacement: they were the old meter's.
        var readingList = readings.ToList();
        var items = readingList.Select(r => (r.At, Order: 0, Reading: (decimal?)r.Value, Replacement: (MeterEvent?)null))
            .Concat(replacements.Where(e => e.Kind == MeterEvent.Replacement).Select(e => EffectiveReplacement(e, readingList))
                .Select(e => (e.At, Order: 1, Reading: (decimal?)null, Replacement: (MeterEvent?)e)))
            .OrderBy(i => i.At).ThenBy(i => i.Order);
        bool Near(DateTimeOffset at) => boundaries is null || NearBoundary(boundaries, at, maxGap);
        decimal offset = 0;
        decimal? previous = null;
        DateTimeOffset previousAt = DateTimeOffset.MinValue;
        foreach (var item in items)
        {
            if (item.Reading is { } value)
            {
                if (previous is { } before && value < before)
                {
                    bool wrapped = IsWrap(meter, before, value);
                    offset += wrapped ? meter.Modulus!.Value : before - value;
                    _marks.Add((previousAt, item.At, wrapped ? MeterEvent.Rollover : MeterEvent.Reset));
                }

                if (Near(item.At))
                {
                    _points.Add(new Point(item.At, value + offset));
                }

                previous = value;
                previousAt = item.At;
            }
            else if (item.Replacement is { } replacement)
            {
                if (previous is { } before && replacement.Before < before)
                {
                    offset += before - replacement.Before;
                    _marks.Add((previousAt, replacement.At, MeterEvent.Reset));
                }

                decimal level = replacement.Before + offset;
                _points.Add(new Point(replacement.At, level));
                _marks.Add((replacement.At.AddTicks(-1), replacement.At, MeterEvent.Replacement));
                offset = level - replacement.After;
                previous = replacement.After;
                previousAt = replacement.At;
            }
        }
    }

    /// <summary>
    /// A replacement recorded after the new meter had already reported (the operator gave the time of the record, not
    /// of the swap): the readings since the last drop before it, rising from at least the new meter's start, were the
    /// new meter's, so the swap is placed just before the first of them. Otherwise that drop would count as a reset and
    /// the replacement would add the same step again (hardware-docs/metering.md, "Replacement").
    /// </summary>
    private static MeterEvent EffectiveReplacement(MeterEvent replacement, List<(DateTimeOffset At, decimal Value)> readings)
    {
        int last = readings.FindLastIndex(r => r.At <= replacement.At);
        int first = last;
        while (first > 0 && readings[first].Value >= replacement.After && readings[first - 1].Value <= readings[first].Value)
        {
            first--;
        }

        bool droppedToTheNewMeter = first > 0 && first <= last && readings[first].Value >= replacement.After
            && readings[first - 1].Value > readings[first].Value && readings[first].Value < replacement.Before;
        return droppedToTheNewMeter ? replacement with { At = readings[first].At.AddTicks(-1) } : replacement;
    }

    /// <summary>
    /// A decrease is a wrap only on a meter with a rollover, from the top tenth of the register to its bottom tenth;
    /// anything else (a device that lost its count, a swapped meter nobody recorded) is a reset.
    /// </summary>
    public static bool IsWrap(MeterDefinition meter, decimal before, decimal after) =>
        meter.Modulus is { } modulus && before >= modulus * 0.9m && before < modulus && after >= 0 && after < modulus * 0.1m;

    /// <summary>Consumption over [start, end).</summary>
    public IntervalConsumption Interval(DateTimeOffset start, DateTimeOffset end)
    {
        Boundary from = At(start);
        Boundary to = At(end);
        var flags = _marks.Where(m => m.After < end && m.Until > start).Select(m => m.Flag).Distinct().ToList();
        if (from.Status == IntervalStatus.Estimated || to.Status == IntervalStatus.Estimated)
        {
            flags.Insert(0, "interpolated");
        }

        IntervalStatus status = from.Status == IntervalStatus.Gap || to.Status == IntervalStatus.Gap ? IntervalStatus.Gap
            : from.Status == IntervalStatus.Pending || to.Status == IntervalStatus.Pending ? IntervalStatus.Pending
            : from.Status == IntervalStatus.Estimated || to.Status == IntervalStatus.Estimated ? IntervalStatus.Estimated
            : IntervalStatus.Measured;

        // A reset inside the interval means part of its consumption was lost with the device's count: estimated at best.
        if (status == IntervalStatus.Measured && flags.Contains(MeterEvent.Reset))
        {
            status = IntervalStatus.Estimated;
        }

        decimal? value = status is IntervalStatus.Measured or IntervalStatus.Estimated ? to.Value!.Value - from.Value!.Value : null;
        return new IntervalConsumption(start, end, value, status, flags, from.Value, to.Value);
    }

    /// <summary>The continuous series at an instant, with how it was obtained.</summary>
    public Boundary At(DateTimeOffset at)
    {
        if (at > _now)
        {
            return new Boundary(null, IntervalStatus.Pending);
        }

        int i = LastAtOrBefore(at);
        if (i < 0)
        {
            return new Boundary(null, IntervalStatus.Gap);
        }

        Point previous = _points[i];
        if (previous.At == at)
        {
            return new Boundary(previous.Level, IntervalStatus.Measured);
        }

        if (i + 1 >= _points.Count)
        {
            // No reading after the boundary yet: one may still come while the gap is within the maximum.
            return _now - previous.At <= _maxGap ? new Boundary(null, IntervalStatus.Pending) : new Boundary(null, IntervalStatus.Gap);
        }

        Point next = _points[i + 1];
        TimeSpan span = next.At - previous.At;
        if (span > _maxGap)
        {
            return new Boundary(null, IntervalStatus.Gap);
        }

        decimal share = (decimal)(at - previous.At).Ticks / span.Ticks;
        decimal level = previous.Level + ((next.Level - previous.Level) * share);

        // Rounded to the registers' own resolution; both neighbours are representable there, so the estimate stays between them.
        int scale = Math.Max(MeterValues.Scale(previous.Level), MeterValues.Scale(next.Level));
        return new Boundary(Math.Round(level, scale, MidpointRounding.ToEven), IntervalStatus.Estimated);
    }

    private static bool NearBoundary(IReadOnlyList<DateTimeOffset> boundaries, DateTimeOffset at, TimeSpan maxGap)
    {
        int low = 0, high = boundaries.Count - 1;
        while (low <= high)
        {
            int middle = (low + high) / 2;
            TimeSpan distance = boundaries[middle] - at;
            if (distance.Duration() <= maxGap)
            {
                return true;
            }

            if (distance < TimeSpan.Zero)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return false;
    }

    private int LastAtOrBefore(DateTimeOffset at)
    {
        int low = 0, high = _points.Count - 1, found = -1;
        while (low <= high)
        {
            int middle = (low + high) / 2;
            if (_points[middle].At <= at)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    public sealed record Boundary(decimal? Value, IntervalStatus Status);

    private sealed record Point(DateTimeOffset At, decimal Level);
}
