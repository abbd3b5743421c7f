namespace SmartCommunity.Edge.Metering;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Protocol;

/// <summary>
/// The building's meters (hardware-docs/metering.md): takes readings from pulse meter devices (their <c>reading</c>
/// events) and from the M-Bus master (<see cref="RecordReadingAsync"/>), stores them exactly, notices wraps and
/// resets, records replacements, gives consumption per meter, flat and building, and appends each closed interval's
/// consumption to the event log on channel <see cref="Channel"/> for the relays. Thread-safe; writes go one at a time.
/// </summary>
public sealed partial class MeterBook : IAsyncDisposable
{
    /// <summary>The event-log channel of the edge's metering records (consumption, M-Bus readings, resets, rollovers).</summary>
    public const string Channel = "metering";

    public const string ReadingEvent = "reading";
    public const string ConsumptionRecord = "consumption";
    public const string PulseSource = "pulse";

    /// <summary>The interval kinds whose closed intervals are relayed; quarters stay available through the API.</summary>
    public static readonly IntervalKind[] RelayedKinds = [IntervalKind.Hour, IntervalKind.Day, IntervalKind.Month];

    /// <summary>The most intervals one consumption query may ask for.</summary>
    public const int MaxIntervals = 3000;

    private const int MaxRelayedPerPass = 500;

    private readonly BuildingLayout _layout;
    private readonly EventLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MeterStore _store;
    private readonly Dictionary<string, MeterDefinition> _meters;
    private readonly Dictionary<(string Device, int Channel), MeterDefinition> _byChannel;
    private readonly Dictionary<string, MeteringLayout> _buildings;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _closing = new(1, 1);
    private readonly ConcurrentDictionary<string, bool> _warned = new(StringComparer.Ordinal);
    private readonly CategoryCounts _refused = new();
    private ITimer? _timer;
    private long _readings;

    public MeterBook(BuildingLayout layout, EventLog log, string databasePath, TimeProvider time, ILogger logger)
    {
        _layout = layout;
        _log = log;
        _time = time;
        _logger = logger;
        _store = new MeterStore(databasePath);
        _buildings = layout.Buildings.ToDictionary(b => b.Id, b => b.Metering);
        Meters = layout.Buildings.SelectMany(b => b.Metering.Meters).ToList();
        _meters = Meters.ToDictionary(m => m.Id, StringComparer.Ordinal);
        _byChannel = Meters.Where(m => m.Source is Metering.PulseSource).ToDictionary(m => (((PulseSource)m.Source).Device, ((PulseSource)m.Source).Channel));
    }

    /// <summary>Operator alerts for resets (a device that lost its count); null leaves them to the event log alone.</summary>
    public AlertBook? Alerts { get; init; }

    public IReadOnlyList<MeterDefinition> Meters { get; }

    /// <summary>Readings stored since the edge started.</summary>
    public long ReadingsStored => Interlocked.Read(ref _readings);

    /// <summary>Readings not stored, by why: unmapped-channel, unknown-meter, wrong-unit, bad-reading.</summary>
    public IReadOnlyDictionary<string, long> Refused => _refused.Snapshot();

    public MeterDefinition? Find(string id) => _meters.GetValueOrDefault(id);

    /// <summary>The time zone days and months of this building begin in: the layout's, else the edge's local zone.</summary>
    public TimeZoneInfo ZoneOf(string building) =>
        _buildings.TryGetValue(building, out MeteringLayout? metering) && metering.TimeZone is { } zone ? zone : _time.LocalTimeZone;

    public MeteringCalendar CalendarOf(string building) => new(ZoneOf(building));

    public TimeSpan MaxGapOf(MeterDefinition meter) => meter.MaxGap ?? (_buildings.TryGetValue(meter.Building, out MeteringLayout? m) ? m.MaxGap : MeteringLayout.DefaultMaxGap);

    /// <summary>Checks every minute for intervals that have closed and relays them.</summary>
    public void Start(TimeSpan? period = null)
    {
        TimeSpan every = period ?? TimeSpan.FromMinutes(1);
        _timer ??= _time.CreateTimer(_ => _ = CloseFromTimerAsync(), null, every, every);
    }

    /// <summary>A pulse meter device's <c>reading</c> event (hardware-docs/pulse-meter.md); every other message is ignored.</summary>
    public Task OnMessageAsync(DeviceMessage message, DeviceDefinition device)
    {
        if (device.Kind != DeviceKinds.Meter || message.Channel != Protocol.Channel.Event || message.EventName != ReadingEvent)
        {
            return Task.CompletedTask;
        }

        // JsonElement.TryGetInt32/TryGetInt64 throw, not fail, on a string or null: check the kind first
        // ("ch":"1" and "pulses":"1" threw out of the ingest pipeline; found by fuzzing, hardware-docs/bad-input.md).
        JsonElement body = message.Body;
        if (!body.TryGetProperty("ch", out JsonElement ch) || ch.ValueKind != JsonValueKind.Number || !ch.TryGetInt32(out int channel)
            || !body.TryGetProperty("total", out JsonElement totalElement) || totalElement.ValueKind != JsonValueKind.Number || !totalElement.TryGetDecimal(out decimal total)
            || message.StringField("unit") is not { } unit)
        {
            return Task.FromResult(Refuse("bad-reading", device.Id, $"reading from '{device.Id}' lacks a whole \"ch\", a numeric \"total\" or a \"unit\" (hardware-docs/pulse-meter.md)"));
        }

        if (!_byChannel.TryGetValue((device.Id, channel), out MeterDefinition? meter))
        {
            return Task.FromResult(Refuse("unmapped-channel", $"{device.Id}/{channel}",
                $"channel {channel} of pulse meter '{device.Id}' feeds no meter; add a meter with pulse: {{ device: {device.Id}, channel: {channel} }} to the building's metering in the layout"));
        }

        string detail = body.TryGetProperty("pulses", out JsonElement pulses) && pulses.ValueKind == JsonValueKind.Number && pulses.TryGetInt64(out long count)
            ? $"{device.Id} ch {channel} pulses {count}"
            : $"{device.Id} ch {channel}";
        return RecordAsync(meter, _time.GetUtcNow(), total, unit, PulseSource, detail, logged: true);
    }

    /// <summary>
    /// The entry point for the M-Bus master (and anything else that reads a register): one cumulative register value of
    /// a meter of the layout, exact, in <paramref name="unit"/>, read at <paramref name="at"/>. Stored, checked for a wrap
    /// or reset, and appended to the event log on channel <see cref="Channel"/> as a <c>reading</c>. Never throws for bad input.
    /// </summary>
    /// <param name="source">What read it, e.g. "mbus".</param>
    /// <param name="detail">Where exactly, e.g. "mbus1 primary 5 VIF 0x13".</param>
    public async Task<ReadingOutcome> RecordReadingAsync(string meterId, DateTimeOffset at, decimal total, string unit, string source, string? detail = null)
    {
        if (!_meters.TryGetValue(meterId, out MeterDefinition? meter))
        {
            Refuse("unknown-meter", meterId, $"no meter '{meterId}' in the layout; the {source} reading is not stored");
            return ReadingOutcome.UnknownMeter;
        }

        return await RecordAsync(meter, at, total, unit, source, detail, logged: false).ConfigureAwait(false);
    }

    /// <summary>
    /// An operator replaced the physical meter at <paramref name="at"/>: the old one's final reading and the new one's start.
    /// Consumption continues across it (hardware-docs/metering.md, "Replacement").
    /// </summary>
    public async Task<ReplacementResult> ReplaceAsync(string meterId, DateTimeOffset at, decimal oldFinal, decimal newStart, string by, string? note)
    {
        if (!_meters.TryGetValue(meterId, out MeterDefinition? meter))
        {
            return new ReplacementResult(false, $"no meter '{meterId}' in the layout; GET /meters lists them", null);
        }

        if (oldFinal < 0 || newStart < 0)
        {
            return new ReplacementResult(false, "register readings are not negative", null);
        }

        if (at > _time.GetUtcNow())
        {
            return new ReplacementResult(false, "a replacement cannot be recorded in the future; give the time the meter was changed", null);
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_store.LatestEvent(meterId, MeterEvent.Replacement) is { } earlier && earlier.At >= at)
            {
                return new ReplacementResult(false, $"meter '{meterId}' already has a replacement at {earlier.At:O}; a later one must come after it", null);
            }

            if (_store.LatestAtOrBefore(meterId, at) is { } last && last.Value > oldFinal && !ConsumptionCalculator.IsWrap(meter, last.Value, oldFinal))
            {
                return new ReplacementResult(false,
                    $"the old meter's final reading {MeterValues.Format(oldFinal)} is below its last reading {MeterValues.Format(last.Value)} at {last.At:O}; check the figure and the time", null);
            }

            var replacement = new MeterEvent(0, meterId, at, MeterEvent.Replacement, oldFinal, newStart, by, note);
            replacement = replacement with { Id = _store.Insert(replacement) };
            LogReplaced(_logger, meterId, at, MeterValues.Format(oldFinal), MeterValues.Format(newStart), by);
            return new ReplacementResult(true, null, replacement);
        }
        finally
        {
            _gate.Release();
        }
    }

    public MeterReading? Latest(string meterId) => _store.Latest(meterId);

    public IReadOnlyList<MeterReading> Readings(string meterId, DateTimeOffset from, DateTimeOffset to, int limit) => _store.Readings(meterId, from, to, limit);

    public IReadOnlyList<MeterEvent> Events(string meterId, DateTimeOffset from, DateTimeOffset to) => _store.Events(meterId, from, to);

    /// <summary>The interval starts of <paramref name="kind"/> from the one containing <paramref name="from"/> up to (not including) <paramref name="to"/>.</summary>
    public List<DateTimeOffset> Starts(string building, IntervalKind kind, DateTimeOffset from, DateTimeOffset to, int max = MaxIntervals + 1)
    {
        MeteringCalendar calendar = CalendarOf(building);
        var starts = new List<DateTimeOffset>();
        for (DateTimeOffset start = calendar.Floor(kind, from); start < to && starts.Count < max; start = calendar.Next(kind, start))
        {
            starts.Add(start);
        }

        return starts;
    }

    /// <summary>A meter's consumption over each interval of <paramref name="kind"/> from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public IReadOnlyList<IntervalConsumption> Consumption(MeterDefinition meter, IntervalKind kind, DateTimeOffset from, DateTimeOffset to)
    {
        List<DateTimeOffset> starts = Starts(meter.Building, kind, from, to, MaxIntervals);
        if (starts.Count == 0)
        {
            return [];
        }

        MeteringCalendar calendar = CalendarOf(meter.Building);
        List<DateTimeOffset> boundaries = [.. starts, calendar.Next(kind, starts[^1])];
        ConsumptionCalculator calculator = Calculator(meter, boundaries);
        return starts.Select((s, i) => calculator.Interval(s, boundaries[i + 1])).ToList();
    }

    /// <summary>Sums per medium and unit over the meters of a flat (<paramref name="unit"/>) or of a building (null: its common meters and its flats' meters apart).</summary>
    public IReadOnlyList<ConsumptionSum> Sums(string building, string? unit, IntervalKind kind, DateTimeOffset from, DateTimeOffset to)
    {
        List<MeterDefinition> members = Meters.Where(m => m.Building == building && (unit is null || m.Unit == unit)).ToList();
        var perMeter = members.ToDictionary(m => m.Id, m => Consumption(m, kind, from, to));
        List<DateTimeOffset> starts = Starts(building, kind, from, to, MaxIntervals);
        MeteringCalendar calendar = CalendarOf(building);
        var sums = new List<ConsumptionSum>();
        foreach (var group in members.GroupBy(m => (m.Medium, m.MeasuredIn, Scope: unit is not null ? "flat" : m.Unit is null ? "common" : "flats")).OrderBy(g => g.Key.Medium).ThenBy(g => g.Key.Scope))
        {
            for (int i = 0; i < starts.Count; i++)
            {
                var parts = group.Select(m => (Meter: m.Id, Interval: perMeter[m.Id][i])).ToList();
                var missing = parts.Where(p => p.Interval.Value is null).Select(p => p.Meter).ToList();
                var estimated = parts.Where(p => p.Interval.Status == IntervalStatus.Estimated).Select(p => p.Meter).ToList();
                decimal partial = parts.Sum(p => p.Interval.Value ?? 0m);
                sums.Add(new ConsumptionSum(group.Key.Medium, group.Key.MeasuredIn, group.Key.Scope, starts[i], calendar.Next(kind, starts[i]),
                    missing.Count == 0 ? partial : null, partial, missing.Count > 0 || estimated.Count > 0, parts.Select(p => p.Meter).ToList(), missing, estimated));
            }
        }

        return sums;
    }

    /// <summary>
    /// Appends a consumption record to the event log for every interval of <see cref="RelayedKinds"/> that has closed
    /// since the last pass: ended, and with its end boundary known or known to be a gap. Returns how many it appended.
    /// </summary>
    public async Task<int> CloseIntervalsAsync()
    {
        await _closing.WaitAsync().ConfigureAwait(false);
        try
        {
            int appended = 0;
            DateTimeOffset now = _time.GetUtcNow();
            foreach (MeterDefinition meter in Meters)
            {
                foreach (IntervalKind kind in RelayedKinds)
                {
                    appended += await CloseAsync(meter, kind, now).ConfigureAwait(false);
                }
            }

            return appended;
        }
        finally
        {
            _closing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _closing.WaitAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        _store.Dispose();
    }

    private async Task<int> CloseAsync(MeterDefinition meter, IntervalKind kind, DateTimeOffset now)
    {
        MeteringCalendar calendar = CalendarOf(meter.Building);
        DateTimeOffset? next = _store.NextToRelay(meter.Id, kind);
        if (next is null)
        {
            // The first interval relayed is the first that starts at or after the meter's first reading.
            if (_store.FirstReading(meter.Id) is not { } first)
            {
                return 0;
            }

            DateTimeOffset floor = calendar.Floor(kind, first.At);
            next = floor == first.At ? floor : calendar.Next(kind, floor);
        }

        var starts = new List<DateTimeOffset>();
        for (DateTimeOffset start = next.Value; calendar.Next(kind, start) <= now && starts.Count < MaxRelayedPerPass; start = calendar.Next(kind, start))
        {
            starts.Add(start);
        }

        if (starts.Count == 0)
        {
            return 0;
        }

        ConsumptionCalculator calculator = Calculator(meter, [.. starts, calendar.Next(kind, starts[^1])]);
        var appends = new List<Task>();
        DateTimeOffset cursor = next.Value;
        foreach (DateTimeOffset start in starts)
        {
            IntervalConsumption interval = calculator.Interval(start, calendar.Next(kind, start));
            if (interval.Status == IntervalStatus.Pending)
            {
                break;
            }

            appends.Add(_log.AppendAsync(new EventRecord(now, _layout.Site, meter.Building, meter.Id, Channel, ConsumptionRecord, 0, 0,
                JsonSerializer.Serialize(MeteringViews.Record(meter, kind, interval, calendar)), EventLane.Priority)));
            cursor = interval.End;
        }

        // The cursor moves only after the records are committed: a crash in between relays an interval twice, never not at all.
        await Task.WhenAll(appends).ConfigureAwait(false);
        if (appends.Count > 0)
        {
            _store.SetNextToRelay(meter.Id, kind, cursor);
        }

        return appends.Count;
    }

    private ConsumptionCalculator Calculator(MeterDefinition meter, List<DateTimeOffset> boundaries)
    {
        // Every reading that can bracket a boundary lies within the maximum gap of it.
        TimeSpan gap = MaxGapOf(meter);
        DateTimeOffset windowFrom = boundaries[0] - gap, windowTo = boundaries[^1] + gap;
        return new ConsumptionCalculator(meter, gap, _store.Levels(meter.Id, windowFrom, windowTo),
            _store.Events(meter.Id, windowFrom, windowTo, MeterEvent.Replacement), _time.GetUtcNow(), boundaries);
    }

    private async Task<ReadingOutcome> RecordAsync(MeterDefinition meter, DateTimeOffset at, decimal total, string unit, string source, string? detail, bool logged)
    {
        if (unit != meter.SourceUnit)
        {
            Refuse("wrong-unit", meter.Id, $"meter '{meter.Id}' expects readings in {meter.SourceUnit}, {source} sent {unit}; fix the layout's measuredIn or conversion.from");
            return ReadingOutcome.WrongUnit;
        }

        if (total < 0)
        {
            Refuse("bad-reading", meter.Id, $"meter '{meter.Id}': a register never reads negative ({MeterValues.Format(total)} from {source})");
            return ReadingOutcome.Invalid;
        }

        decimal value = meter.Convert(total);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            decimal? before = _store.LatestAtOrBefore(meter.Id, at) is { } last ? last.Value : null;
            if (_store.LatestEvent(meter.Id, MeterEvent.Replacement) is { } replaced && replaced.At <= at
                && (_store.LatestAtOrBefore(meter.Id, at) is not { } lastReading || lastReading.At <= replaced.At))
            {
                before = replaced.After;
            }

            _store.Insert(new MeterReading(0, meter.Id, at, value, total, unit, source, detail));
            Interlocked.Increment(ref _readings);
            var writes = new List<Task>();
            if (!logged)
            {
                writes.Add(_log.AppendAsync(new EventRecord(at, _layout.Site, meter.Building, meter.Id, Channel, ReadingEvent, 0, 0,
                    JsonSerializer.Serialize(new { meter = meter.Id, total = value, unit = meter.MeasuredIn, raw = total, rawUnit = unit, source, detail }), EventLane.Bulk)));
            }

            if (before is { } previous && value < previous)
            {
                writes.Add(RegisterDecreasedAsync(meter, at, previous, value));
            }

            await Task.WhenAll(writes).ConfigureAwait(false);
            return ReadingOutcome.Stored;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RegisterDecreasedAsync(MeterDefinition meter, DateTimeOffset at, decimal before, decimal after)
    {
        bool wrapped = ConsumptionCalculator.IsWrap(meter, before, after);
        string kind = wrapped ? MeterEvent.Rollover : MeterEvent.Reset;
        _store.Insert(new MeterEvent(0, meter.Id, at, kind, before, after, null, null));
        await _log.AppendAsync(new EventRecord(at, _layout.Site, meter.Building, meter.Id, Channel, "meter-" + kind, 0, 0,
            JsonSerializer.Serialize(new { meter = meter.Id, before, after, unit = meter.MeasuredIn }), EventLane.Priority)).ConfigureAwait(false);
        if (wrapped)
        {
            LogRollover(_logger, meter.Id, MeterValues.Format(before), MeterValues.Format(after));
            return;
        }

        LogReset(_logger, meter.Id, MeterValues.Format(before), MeterValues.Format(after));
        if (Alerts is not null)
        {
            string? device = meter.Source is PulseSource pulse ? pulse.Device : null;
            await Alerts.RaiseAsync("meter-reset", AlertSeverity.Warning,
                $"meter {meter.Id} ({meter.Medium}{(meter.Unit is null ? "" : ", " + meter.Unit)}) went down from {MeterValues.Format(before)} to {MeterValues.Format(after)} {meter.MeasuredIn}: " +
                "its count was lost or the meter was changed; consumption resumes from the new reading. If the meter was replaced, record it with POST /meters/{id}/replacement",
                device, meter.Building).ConfigureAwait(false);
        }
    }

    private ReadingOutcome Refuse(string why, string key, string message)
    {
        _refused.Count(why);

        // Heartbeats repeat a reading every minute or so: say it once per cause and channel, count every time.
        if (_warned.TryAdd(why + "|" + key, true))
        {
            LogRefused(_logger, why, message);
        }

        return ReadingOutcome.Refused;
    }

    private async Task CloseFromTimerAsync()
    {
        try
        {
            await CloseIntervalsAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            LogCloseFailed(_logger, ex);
        }
        catch (ObjectDisposedException)
        {
            // The edge is stopping.
        }
    }
}

public enum ReadingOutcome
{
    Stored,
    Refused,
    UnknownMeter,
    WrongUnit,
    Invalid,
}

/// <param name="Error">Why it was refused, for the operator; null when recorded.</param>
public sealed record ReplacementResult(bool Recorded, string? Error, MeterEvent? Replacement);

/// <summary>
/// A sum over several meters for one interval. <see cref="Value"/> is null when any member has no figure (a gap or
/// still pending); <see cref="Partial"/> is the sum of those that have one. <see cref="Incomplete"/>: any gap or estimate.
/// </summary>
/// <param name="Scope">"flat" for a flat's meters; for a building, "common" (no flat) or "flats" (all flats' meters).</param>
public sealed record ConsumptionSum(
    string Medium,
    string MeasuredIn,
    string Scope,
    DateTimeOffset Start,
    DateTimeOffset End,
    decimal? Value,
    decimal Partial,
    bool Incomplete,
    IReadOnlyList<string> Meters,
    IReadOnlyList<string> Gaps,
    IReadOnlyList<string> Estimated);
