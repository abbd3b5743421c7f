namespace SmartCommunity.Edge.Parking;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Access;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Protocol;

/// <summary>
/// The edge's car parks (hardware-docs/parking.md): occupancy per car park and level counted from the barriers'
/// passages (never below zero), the daily recount and operators' corrections, and the answer to every entry request
/// (resident cards shared with access control, visitor passes, reserved places, full car parks; exits never refused).
/// Every decision is kept in edge.db and in the event log on channel <see cref="Channel"/> (priority lane). Evacuation
/// is not here: the fire rule opens barriers itself (hardware-docs/safety.md).
/// Thread-safe: counts change under one lock; passes and reservations one change at a time.
/// </summary>
public sealed partial class ParkingControl : IAsyncDisposable
{
    /// <summary>The event-log channel of parking's trail.</summary>
    public const string Channel = "parking";

    /// <summary>Who parking's commands come from (origin Rule).</summary>
    public const string Actor = "parking";

    public const string EntryRequestEvent = "entry-request";
    public const string PassageEvent = "passage";

    /// <summary>Alert raised when a passage would take a level below zero (the count was wrong; recount it).</summary>
    public const string BelowZeroAlert = "parking:count-below-zero";

    public const string Opened = "open";
    public const string Denied = "deny";

    // Why an entry request was answered as it was (the command's "why").
    public const string Exit = "exit";
    public const string Valid = "valid";
    public const string VisitorPassValid = "visitor-pass";
    public const string ReservedPlace = "reserved";
    public const string CarParkFull = "car-park-full";
    public const string LevelFull = "level-full";
    public const string NoCarPark = "no-car-park";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly BuildingLayout _layout;
    private readonly CommandPublisher _commands;
    private readonly AccessControl _access;
    private readonly AlertBook? _alerts;
    private readonly EventLog _log;
    private readonly ParkingStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _countGate = new();
    private readonly SemaphoreSlim _changeGate = new(1, 1);
    private readonly Dictionary<string, CarParkDefinition> _carParks;
    private readonly Dictionary<string, CarParkLane> _lanes;
    private readonly Dictionary<(string CarPark, string Level), long> _occupied;
    private readonly Dictionary<string, (DateTimeOffset? At, string? By, long Clamped)> _corrections;
    private readonly Dictionary<string, (long Boot, long Seq)> _counted;
    private readonly ConcurrentDictionary<string, VisitorPass> _passes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Card, string CarPark), Reservation> _reservations = new();
    private readonly CategoryCounts _refused = new();
    private readonly List<ITimer> _timers = [];
    private bool _disposed;

    public ParkingControl(BuildingLayout layout, CommandPublisher commands, AccessControl access, AlertBook? alerts, EventLog log, string databasePath,
        TimeProvider time, ILogger logger)
    {
        _layout = layout;
        _commands = commands;
        _access = access;
        _alerts = alerts;
        _log = log;
        _time = time;
        _logger = logger;
        _carParks = layout.CarParks.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _lanes = layout.CarParks.SelectMany(c => c.Barriers).ToDictionary(b => b.Barrier, StringComparer.Ordinal);
        _store = new ParkingStore(databasePath);
        try
        {
            Dictionary<(string, string), long> stored = _store.LoadLevels();
            _occupied = layout.CarParks.SelectMany(c => c.Levels.Select(l => (c.Id, l.Id))).ToDictionary(k => k, k => stored.GetValueOrDefault(k));
            _corrections = _store.LoadCarParks();
            _counted = _store.LoadCounted();
            foreach (VisitorPass pass in _store.LoadPasses())
            {
                _passes[pass.Code] = pass;
            }

            foreach (Reservation reservation in _store.LoadReservations())
            {
                _reservations[(reservation.Card, reservation.CarPark)] = reservation;
            }
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    public IReadOnlyList<CarParkDefinition> CarParks => _layout.CarParks;

    /// <summary>What was refused, clamped or could not be used, by category.</summary>
    public IReadOnlyDictionary<string, long> Refused => _refused.Snapshot();

    /// <summary>Starts the daily recount of every car park that has a <c>recountAt</c>.</summary>
    public void Start()
    {
        foreach (CarParkDefinition carPark in _layout.CarParks.Where(c => c.RecountAt is not null))
        {
            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                _ = RecountFromTimerAsync(carPark);
                DateTimeOffset now = _time.GetUtcNow();
                timer?.Change(NextRecount(carPark.RecountAt!.Value, now) - now, Timeout.InfiniteTimeSpan);
            }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
            DateTimeOffset start = _time.GetUtcNow();
            timer.Change(NextRecount(carPark.RecountAt!.Value, start) - start, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The next moment after <paramref name="now"/> at which the edge's local clock reads <paramref name="at"/>.</summary>
    public DateTimeOffset NextRecount(TimeOnly at, DateTimeOffset now)
    {
        TimeZoneInfo zone = _time.LocalTimeZone;
        DateTime local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        DateTime due = local.Date + at.ToTimeSpan();
        if (due <= local)
        {
            due = due.AddDays(1);
        }

        // A time skipped by a daylight-saving change happens an hour later that day.
        while (zone.IsInvalidTime(due))
        {
            due = due.AddHours(1);
        }

        return new DateTimeOffset(due, zone.GetUtcOffset(due)).ToUniversalTime();
    }

    /// <summary>Reacts to one accepted, non-duplicate device message; only barriers' passages and entry requests matter.</summary>
    public async Task OnMessageAsync(DeviceMessage message, DeviceDefinition device)
    {
        if (device.Kind != DeviceKinds.Barrier || message.Channel != Protocol.Channel.Event || _disposed)
        {
            return;
        }

        try
        {
            switch (message.EventName)
            {
                case PassageEvent:
                    await CountPassageAsync(device, message).ConfigureAwait(false);
                    break;
                case EntryRequestEvent:
                    await DecideAsync(device, message).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or ObjectDisposedException or System.IO.IOException)
        {
            // The message is in the event log already; what parking makes of it must not stop ingest.
            Count("handler-failed");
            LogHandlerFailed(_logger, message.EventName ?? message.Channel, device.Id, ex);
        }
    }

    /// <summary>Every car park's counts now.</summary>
    public IReadOnlyList<CarParkOccupancy> Occupancy() => _layout.CarParks.Select(c => Occupancy(c.Id)!).ToList();

    public CarParkOccupancy? Occupancy(string carPark)
    {
        if (!_carParks.TryGetValue(carPark, out CarParkDefinition? definition))
        {
            return null;
        }

        lock (_countGate)
        {
            var levels = definition.Levels.Select(l =>
            {
                long n = _occupied[(carPark, l.Id)];
                return new LevelOccupancy(l.Id, l.Capacity, n, n >= l.Capacity);
            }).ToList();
            long total = levels.Sum(l => l.Occupied);
            (DateTimeOffset? at, string? by, long clamped) = _corrections.GetValueOrDefault(carPark);
            return new CarParkOccupancy(carPark, definition.Name, definition.Capacity, total, total >= definition.Capacity, levels, at, by, clamped);
        }
    }

    /// <summary>Problems with a counted figure for <paramref name="carPark"/>, as sentences; empty when it can be applied.</summary>
    public IReadOnlyList<string> ValidateCorrection(string carPark, IReadOnlyDictionary<string, long> levels)
    {
        var problems = new List<string>();
        if (!_carParks.TryGetValue(carPark, out CarParkDefinition? definition))
        {
            problems.Add($"unknown car park '{carPark}'; GET /parking lists them");
            return problems;
        }

        if (levels.Count == 0)
        {
            problems.Add($"give the counted vehicles per level, e.g. {{\"levels\":{{\"{definition.Levels[0].Id}\":12}}}}");
        }

        foreach ((string level, long count) in levels)
        {
            if (definition.FindLevel(level) is null)
            {
                problems.Add($"car park '{carPark}' has no level '{level}'; its levels are {string.Join(", ", definition.Levels.Select(l => l.Id))}");
            }
            else if (count < 0 || count > CarParkReader.MaxCapacity)
            {
                problems.Add($"level '{level}': {count} is not a count of vehicles; give 0-{CarParkReader.MaxCapacity}");
            }
        }

        return problems;
    }

    /// <summary>
    /// Sets levels of a car park to counted figures (the levels not named keep theirs), audited with who did it.
    /// <paramref name="by"/> is the operator, or "recount" for the daily recount. Returns the problems instead when invalid.
    /// </summary>
    public async Task<IReadOnlyList<string>> CorrectAsync(string carPark, IReadOnlyDictionary<string, long> levels, string by)
    {
        IReadOnlyList<string> problems = ValidateCorrection(carPark, levels);
        if (problems.Count > 0)
        {
            return problems;
        }

        DateTimeOffset now = _time.GetUtcNow();
        Dictionary<string, long> before;
        lock (_countGate)
        {
            before = levels.Keys.ToDictionary(l => l, l => _occupied[(carPark, l)], StringComparer.Ordinal);
            _store.SaveCorrection(carPark, levels.Select(l => (l.Key, l.Value)), now, by);
            foreach ((string level, long count) in levels)
            {
                _occupied[(carPark, level)] = count;
            }

            _corrections[carPark] = (now, by, _corrections.GetValueOrDefault(carPark).Clamped);
        }

        LogCorrected(_logger, carPark, by);
        await _log.AppendAsync(OperatorAudit.Record(now, _layout.Site, "", "edge", "parking-count-corrected", by,
            new { carPark, before, after = levels })).ConfigureAwait(false);
        return [];
    }

    public IReadOnlyList<VisitorPass> Passes => _passes.Values.OrderBy(p => p.Code, Comparer<string>.Create(CardNumber.Compare)).ToList();

    public VisitorPass? FindPass(string code) => _passes.GetValueOrDefault(code);

    /// <summary>Problems with a pass as sentences; empty when it can be created.</summary>
    public IReadOnlyList<string> ValidatePass(VisitorPassInput input)
    {
        var problems = new List<string>();
        if (!_carParks.ContainsKey(input.CarPark ?? ""))
        {
            problems.Add(_carParks.Count == 0
                ? "the layout declares no carParks"
                : $"carPark '{input.CarPark}' is not a car park of the layout; use one of {string.Join(", ", _carParks.Keys)}");
        }

        if (input.Code is { } code)
        {
            if (!CardNumber.TryNormalize(code, out string number))
            {
                problems.Add($"code '{code}' must be 1-{CardNumber.MaxDigits} decimal digits (what the lane's reader sends), or left out for the edge to choose one");
            }
            else if (_passes.ContainsKey(number))
            {
                problems.Add($"pass {number} exists already; revoke it or choose another code");
            }
            else if (_access.FindCard(number) is not null)
            {
                problems.Add($"{number} is a resident's card; choose another code");
            }
        }

        if (string.IsNullOrWhiteSpace(input.Name) && string.IsNullOrWhiteSpace(input.Plate))
        {
            problems.Add("give the visitor's name or the vehicle's plate (or both), so the attendant knows whose pass it is");
        }

        if ((input.Name?.Length ?? 0) > 100 || (input.Plate?.Length ?? 0) > 20)
        {
            problems.Add("name is at most 100 characters and plate at most 20");
        }

        if (input.ValidTo is null)
        {
            problems.Add("validTo is required: a visitor pass always ends");
        }
        else if ((input.ValidFrom ?? _time.GetUtcNow()) >= input.ValidTo)
        {
            problems.Add($"validTo ({input.ValidTo:O}) must be after validFrom (or now, when validFrom is left out)");
        }

        return problems;
    }

    /// <summary>Creates a visitor pass for <paramref name="by"/> (audited), choosing a code when the input gives none.</summary>
    public async Task<(VisitorPass? Pass, IReadOnlyList<string> Problems)> CreatePassAsync(VisitorPassInput input, string by)
    {
        await _changeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            IReadOnlyList<string> problems = ValidatePass(input);
            if (problems.Count > 0)
            {
                return (null, problems);
            }

            DateTimeOffset now = _time.GetUtcNow();
            string code = input.Code is { } given && CardNumber.TryNormalize(given, out string number) ? number : NewCode();
            var pass = new VisitorPass(code, input.CarPark, Trimmed(input.Name), Trimmed(input.Plate), input.ValidFrom ?? now, input.ValidTo!.Value, now, by, null, null);
            _store.UpsertPass(pass);
            _passes[code] = pass;
            await _log.AppendAsync(OperatorAudit.Record(now, _layout.Site, "", "edge", "parking-pass-created", by, new { pass = PassView(pass) })).ConfigureAwait(false);
            return (pass, []);
        }
        finally
        {
            _changeGate.Release();
        }
    }

    /// <summary>Revokes a pass (audited); it then refuses every entry with <see cref="VisitorPass.Revoked"/>. Null when there is no such pass.</summary>
    public async Task<VisitorPass?> RevokePassAsync(string code, string by)
    {
        await _changeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_passes.TryGetValue(code, out VisitorPass? pass))
            {
                return null;
            }

            if (pass.RevokedAt is not null)
            {
                return pass;
            }

            DateTimeOffset now = _time.GetUtcNow();
            VisitorPass revoked = pass with { RevokedAt = now, RevokedBy = by };
            _store.UpsertPass(revoked);
            _passes[code] = revoked;
            await _log.AppendAsync(OperatorAudit.Record(now, _layout.Site, "", "edge", "parking-pass-revoked", by, new { pass = code, carPark = pass.CarPark })).ConfigureAwait(false);
            return revoked;
        }
        finally
        {
            _changeGate.Release();
        }
    }

    public IReadOnlyList<Reservation> Reservations =>
        _reservations.Values.OrderBy(r => r.CarPark, StringComparer.Ordinal).ThenBy(r => r.Card, Comparer<string>.Create(CardNumber.Compare)).ToList();

    /// <summary>Why card <paramref name="card"/> (normalised) cannot have a place in <paramref name="carPark"/>, or null.</summary>
    public string? WhyNoReservation(string card, string carPark) =>
        !_carParks.ContainsKey(carPark) ? $"unknown car park '{carPark}'; GET /parking lists them"
        : _access.FindCard(card) is null && !(_passes.TryGetValue(card, out VisitorPass? pass) && pass.CarPark == carPark)
            ? $"{card} is neither a resident's card (PUT /access/cards/{card}) nor a visitor pass for '{carPark}'"
            : null;

    /// <summary>Gives card <paramref name="card"/> a reserved place in <paramref name="carPark"/> (audited). Returns the problem instead, if any.</summary>
    public async Task<string?> ReserveAsync(string card, string carPark, string by)
    {
        if (WhyNoReservation(card, carPark) is { } problem)
        {
            return problem;
        }

        await _changeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            DateTimeOffset now = _time.GetUtcNow();
            var reservation = new Reservation(card, carPark, now, by);
            _store.UpsertReservation(reservation);
            _reservations[(card, carPark)] = reservation;
            await _log.AppendAsync(OperatorAudit.Record(now, _layout.Site, "", "edge", "parking-place-reserved", by, new { card, carPark })).ConfigureAwait(false);
            return null;
        }
        finally
        {
            _changeGate.Release();
        }
    }

    /// <summary>Takes a reserved place away (audited). False when the card had none there.</summary>
    public async Task<bool> ReleaseReservationAsync(string card, string carPark, string by)
    {
        await _changeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_reservations.TryRemove((card, carPark), out _))
            {
                return false;
            }

            _store.DeleteReservation(card, carPark);
            await _log.AppendAsync(OperatorAudit.Record(_time.GetUtcNow(), _layout.Site, "", "edge", "parking-place-released", by, new { card, carPark })).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _changeGate.Release();
        }
    }

    /// <summary>The recorded entry decisions, newest first.</summary>
    public IReadOnlyList<ParkingDecision> Decisions(int limit, string? barrier = null) => _store.RecentDecisions(Math.Clamp(limit, 1, 10_000), barrier);

    public async ValueTask DisposeAsync()
    {
        foreach (ITimer timer in _timers)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        await _changeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            lock (_countGate)
            {
                _disposed = true;
                _store.Dispose();
            }
        }
        finally
        {
            _changeGate.Release();
        }
    }

    public static object PassView(VisitorPass pass) => new
    {
        code = pass.Code,
        carPark = pass.CarPark,
        name = pass.Name,
        plate = pass.Plate,
        validFrom = pass.ValidFrom,
        validTo = pass.ValidTo,
        createdAt = pass.CreatedAt,
        createdBy = pass.CreatedBy,
        revokedAt = pass.RevokedAt,
        revokedBy = pass.RevokedBy,
    };

    private async Task RecountFromTimerAsync(CarParkDefinition carPark)
    {
        try
        {
            await CorrectAsync(carPark.Id, carPark.Levels.ToDictionary(l => l.Id, l => (long)l.RecountTo, StringComparer.Ordinal), "recount").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            Count("recount-failed");
            LogRecountFailed(_logger, carPark.Id, ex);
        }
    }

    // A passage moves one vehicle from one place to another: "in" is from -> to of the barrier's lane, "out" the reverse.
    private async Task CountPassageAsync(DeviceDefinition barrier, DeviceMessage message)
    {
        if (!_lanes.TryGetValue(barrier.Id, out CarParkLane? lane))
        {
            return;
        }

        string? direction = message.StringField("direction");
        if (direction is not (DeviceKinds.DirectionIn or DeviceKinds.DirectionOut))
        {
            Count("passage-without-direction");
            LogBadMessage(_logger, barrier.Id, PassageEvent, $"direction '{direction}' is not in or out; not counted");
            return;
        }

        (string left, string entered) = direction == DeviceKinds.DirectionIn ? (lane.From, lane.To) : (lane.To, lane.From);
        bool clamped = false;
        CarParkOccupancy after;
        lock (_countGate)
        {
            if (_disposed)
            {
                return;
            }

            // The ingest pipeline drops repeats it knows of; this catches one re-sent across an edge restart too.
            if (_counted.TryGetValue(barrier.Id, out (long Boot, long Seq) last) && (message.Boot < last.Boot || (message.Boot == last.Boot && message.Sequence <= last.Seq)))
            {
                Count("passage-repeated");
                return;
            }

            var changed = new List<(string Level, long Occupied)>();
            if (left != CarParkLane.Outside)
            {
                long n = _occupied[(lane.CarPark, left)];
                clamped = n == 0;
                changed.Add((left, Math.Max(0, n - 1)));
            }

            if (entered != CarParkLane.Outside)
            {
                changed.Add((entered, _occupied[(lane.CarPark, entered)] + 1));
            }

            (DateTimeOffset? At, string? By, long Clamped) correction = _corrections.GetValueOrDefault(lane.CarPark);
            long clampedTotal = correction.Clamped + (clamped ? 1 : 0);
            _store.SavePassage(lane.CarPark, changed, barrier.Id, message.Boot, message.Sequence, clampedTotal);
            foreach ((string level, long occupied) in changed)
            {
                _occupied[(lane.CarPark, level)] = occupied;
            }

            _corrections[lane.CarPark] = correction with { Clamped = clampedTotal };
            _counted[barrier.Id] = (message.Boot, message.Sequence);
        }

        after = Occupancy(lane.CarPark)!;
        await RecordAsync(barrier, PassageEvent, new
        {
            carPark = lane.CarPark,
            direction,
            from = left,
            to = entered,
            occupied = after.Occupied,
            levels = after.Levels.ToDictionary(l => l.Level, l => l.Occupied),
            seq = message.Sequence,
            boot = message.Boot,
        }).ConfigureAwait(false);
        if (clamped)
        {
            // A vehicle left a level the edge counted as empty: a passage was missed (loop fault, a vehicle following
            // another under the arm) or the count was set too low. Kept at zero; a recount puts it right.
            Count("count-below-zero");
            LogBelowZero(_logger, lane.CarPark, left, barrier.Id);
            string text = $"car park {lane.CarPark}: barrier {barrier.Id} saw a vehicle leave level {left}, which the edge counted as empty; kept at 0. Count the level and correct it (POST /parking/{lane.CarPark}/count)";
            await RecordAsync(barrier, "count-below-zero", new { carPark = lane.CarPark, level = left, seq = message.Sequence, boot = message.Boot }).ConfigureAwait(false);
            if (_alerts is not null)
            {
                await _alerts.RaiseAsync(BelowZeroAlert, AlertSeverity.Warning, text, barrier.Id, barrier.Building).ConfigureAwait(false);
            }
        }
    }

    private string NewCode()
    {
        // Eight digits: easy to type on a PIN pad, and far more codes than a car park has visitors.
        while (true)
        {
            string code = RandomNumberGenerator.GetInt32(10_000_000, 100_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!_passes.ContainsKey(code) && _access.FindCard(code) is null)
            {
                return code;
            }
        }
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private void Count(string what) => _refused.Count(what);

    /// <summary>One parking record in the event log (channel <see cref="Channel"/>, priority lane), from the barrier.</summary>
    private Task RecordAsync(DeviceDefinition barrier, string name, object details) =>
        _log.AppendAsync(new EventRecord(_time.GetUtcNow(), barrier.Site, barrier.Building, barrier.Id, Channel, name, 0, 0, JsonSerializer.Serialize(details, Json), EventLane.Priority));
}
