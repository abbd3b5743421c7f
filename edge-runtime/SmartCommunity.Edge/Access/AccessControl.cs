namespace SmartCommunity.Edge.Access;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;
using SmartCommunity.Protocol;

/// <summary>
/// The edge's access control (hardware-docs/access-control.md): residents' cards, each door's allow-list kept in step
/// with its controller (versioned; a delta when the edge still knows what the controller holds, else the full list in
/// parts), online decisions for doors that ask, anti-passback per door group counted on passages the door contact
/// confirms, and the audit trail (every door decision, edge decision, passage, violation and door alarm, in the event
/// log on channel <see cref="Channel"/> and queryable by door, card and time). The controllers decide on their own from
/// their lists when the edge is away; nothing here is needed for anyone to get out.
/// Thread-safe: card changes one at a time; each door's list and sync under that door's own gate.
/// </summary>
public sealed partial class AccessControl : IAsyncDisposable
{
    /// <summary>The event-log channel of the access trail.</summary>
    public const string Channel = "access";

    /// <summary>Who access commands come from (origin Rule): the built-in access control.</summary>
    public const string Actor = "access";

    /// <summary>Alert raised when a controller's table cannot hold its list.</summary>
    public const string ListFullAlert = "access:list-full";

    /// <summary>Alert raised when a controller keeps refusing its list (old firmware, parts out of order).</summary>
    public const string SyncFailedAlert = "access:sync-failed";

    // Device events of the access contract.
    public const string AccessEvent = "access";
    public const string AccessRequestEvent = "access-request";
    public const string DoorOpenedEvent = "door-opened";

    // What the trail calls its entries besides the doors' own event names.
    public const string DecisionEntry = "decision";
    public const string PassageEntry = "passage";
    public const string AntiPassbackEntry = "anti-passback";

    public const string Granted = "granted";
    public const string Denied = "denied";

    // The door reports these and the trail keeps them with the decisions: they say who was let in or not.
    private static readonly HashSet<string> DoorAlarmEvents = new(StringComparer.Ordinal)
    {
        "door-forced", "door-forced-cleared", "door-held", "door-held-cleared", "bad-frame", "link-lost", "link-restored",
    };

    /// <summary>The last moment a validity window can name: doors hold windows as 32-bit unsigned unix seconds.</summary>
    public static readonly DateTimeOffset LatestValidityTime = DateTimeOffset.FromUnixTimeSeconds(uint.MaxValue);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly BuildingLayout _layout;
    private readonly TwinRegistry _twins;
    private readonly CommandPublisher _commands;
    private readonly AlertBook? _alerts;
    private readonly EventLog _log;
    private readonly AccessStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AccessOptions _options;
    private readonly SemaphoreSlim _cardsGate = new(1, 1);
    private readonly ConcurrentDictionary<string, AccessCard> _cards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DoorState> _doors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Group, string Card), PassbackState> _passback = new();
    private readonly CategoryCounts _refused = new();
    private ITimer? _timer;
    private bool _disposed;

    public AccessControl(BuildingLayout layout, TwinRegistry twins, CommandPublisher commands, AlertBook? alerts, EventLog log, string databasePath,
        TimeProvider time, ILogger logger, AccessOptions? options = null)
    {
        _layout = layout;
        _twins = twins;
        _commands = commands;
        _alerts = alerts;
        _log = log;
        _time = time;
        _logger = logger;
        _options = options ?? new AccessOptions();
        _store = new AccessStore(databasePath);
        try
        {
            foreach (AccessCard card in _store.LoadCards())
            {
                _cards[card.Number] = card;
            }

            foreach (PassbackState state in _store.LoadPassback())
            {
                _passback[(state.Group, state.Card)] = state;
            }

            foreach ((string door, (long version, AllowList list)) in _store.LoadLatestLists())
            {
                DoorState state = State(door);
                (state.Target, state.List) = (version, list);
            }
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    public AccessOptions Options => _options;

    /// <summary>Every card, by number.</summary>
    public IReadOnlyList<AccessCard> Cards => _cards.Values.OrderBy(c => c.Number, Comparer<string>.Create(CardNumber.Compare)).ToList();

    /// <summary>What was refused or could not be used, by category (access messages without a card or request number, ...).</summary>
    public IReadOnlyDictionary<string, long> Refused => _refused.Snapshot();

    public AccessCard? FindCard(string number) => _cards.GetValueOrDefault(number);

    /// <summary>
    /// Brings every door's list up to date with the cards (a list changed while the edge was down gets its new version)
    /// and starts the periodic refresh. Controllers get their lists when they come online or report another version.
    /// </summary>
    public async Task StartAsync()
    {
        foreach (DeviceDefinition door in Doors())
        {
            DoorState state = State(door.Id);
            if (_twins.Find(door.Id) is { } twin)
            {
                TwinSnapshot snapshot = twin.Snapshot();
                state.Reported = snapshot.ListVersion;

                // A door that kept its boot across the edge's restart still has the time it was given; one that
                // restarted meanwhile comes back with another boot and gets the time again (OnOnlineAsync).
                state.TimeGivenInBoot = snapshot.Boot;
                twin.ListTarget = state.Target == 0 ? null : state.Target;
            }
        }

        await RefreshAsync().ConfigureAwait(false);
        _timer ??= _time.CreateTimer(_ => _ = RefreshFromTimerAsync(), null, _options.RefreshInterval, _options.RefreshInterval);
    }

    /// <summary>Reacts to one accepted, non-duplicate device message; only doors' messages matter here.</summary>
    public async Task OnMessageAsync(DeviceMessage message, DeviceDefinition device)
    {
        if (!HasLock(device) || _disposed)
        {
            return;
        }

        try
        {
            switch (message.Channel)
            {
                case Protocol.Channel.Status when message.Online == true:
                    await OnOnlineAsync(device, message).ConfigureAwait(false);
                    break;
                case Protocol.Channel.State:
                    await OnStateAsync(device, message).ConfigureAwait(false);
                    break;
                case Protocol.Channel.Ack:
                    await OnAckAsync(device, message).ConfigureAwait(false);
                    break;
                case Protocol.Channel.Event when message.EventName == AccessRequestEvent:
                    await DecideAsync(device, message).ConfigureAwait(false);
                    break;
                case Protocol.Channel.Event when message.EventName == AccessEvent:
                    await RecordDoorDecisionAsync(device, message).ConfigureAwait(false);
                    break;
                case Protocol.Channel.Event when message.EventName == DoorOpenedEvent:
                    await ConfirmPassageAsync(device, message).ConfigureAwait(false);
                    break;
                case Protocol.Channel.Event when message.EventName is { } name && DoorAlarmEvents.Contains(name):
                    (DateTimeOffset at, bool approximate) = HappenedAt(message);
                    await RecordAsync(device, at, approximate, null, name, null, message.StringField("why"),
                        new { reader = message.StringField("reader"), seq = message.Sequence, boot = message.Boot }).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or ObjectDisposedException or System.IO.IOException)
        {
            // The message itself is in the event log already; what access control makes of it must not stop ingest.
            Count("handler-failed");
            LogHandlerFailed(_logger, message.EventName ?? message.Channel, device.Id, ex);
        }
    }

    /// <summary>The cards' problems as a list of sentences saying what to fix; empty when the card can be saved.</summary>
    public IReadOnlyList<string> Validate(AccessCardInput input)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 100)
        {
            problems.Add("name is required: the resident's name, 1-100 characters");
        }

        if (input.Unit is { } unit && (unit.Length is 0 or > 64))
        {
            problems.Add("unit must be 1-64 characters naming the dwelling, e.g. 'flat 12', or left out");
        }

        if (input.ValidFrom is { } from && input.ValidTo is { } to && from >= to)
        {
            problems.Add($"validFrom ({from:O}) must be before validTo ({to:O})");
        }

        foreach (DateTimeOffset time in new[] { input.ValidFrom, input.ValidTo }.OfType<DateTimeOffset>())
        {
            if (time.ToUnixTimeSeconds() < 1)
            {
                problems.Add($"{time:O} is before 1970; give validity times as ISO 8601 with an offset, e.g. 2026-01-31T00:00:00Z");
            }
            else if (time > LatestValidityTime)
            {
                // Doors keep windows as 32-bit unsigned unix seconds (hardware-docs/protocol.md §4.4).
                problems.Add($"{time:O} is after {LatestValidityTime:O}, the latest time a door can hold; leave the end out for a card without one");
            }
        }

        if (input.Doors.Count == 0 && input.Groups.Count == 0)
        {
            problems.Add("the card opens nothing: give doors (door ids) or groups (door groups of the layout), or DELETE the card");
        }

        foreach (string door in input.Doors)
        {
            if (!_layout.DevicesById.TryGetValue(door, out DeviceDefinition? device))
            {
                problems.Add($"unknown door '{door}'; GET /access/doors lists the doors");
            }
            else if (device.Kind == DeviceKinds.Barrier)
            {
                // A card names a barrier like a door; the edge decides at barriers (hardware-docs/parking.md).
            }
            else if (device.Kind != DeviceKinds.Door)
            {
                problems.Add($"'{door}' is a {device.Kind}, not a door");
            }
            else if (!HasLock(device))
            {
                problems.Add($"'{door}' is a {device.Role} door (a fire door's magnet): it has no lock for a card to open");
            }
        }

        foreach (string group in input.Groups)
        {
            if (_layout.FindDoorGroup(group) is null)
            {
                problems.Add(_layout.DoorGroups.Count == 0
                    ? $"unknown door group '{group}'; the layout declares no doorGroups"
                    : $"unknown door group '{group}'; the layout's door groups are {string.Join(", ", _layout.DoorGroups.Select(g => g.Id))}");
            }
        }

        if (input.Doors.Distinct(StringComparer.Ordinal).Count() != input.Doors.Count || input.Groups.Distinct(StringComparer.Ordinal).Count() != input.Groups.Count)
        {
            problems.Add("a door or group is listed twice");
        }

        return problems;
    }

    /// <summary>
    /// Adds or replaces card <paramref name="number"/> (already normalised) for <paramref name="by"/>: stored, audited in
    /// the event log, and every door whose list it changes gets a new version and its sync. Returns the problems instead
    /// when the input is not valid (<see cref="Validate"/>).
    /// </summary>
    public async Task<CardSaveResult> SaveCardAsync(string number, AccessCardInput input, string by)
    {
        IReadOnlyList<string> problems = Validate(input);
        if (problems.Count > 0)
        {
            return new CardSaveResult(null, false, problems);
        }

        AccessCard card;
        AccessCard? previous;
        await _cardsGate.WaitAsync().ConfigureAwait(false);
        try
        {
            DateTimeOffset now = _time.GetUtcNow();
            previous = _cards.GetValueOrDefault(number);
            card = new AccessCard(number, input.Name.Trim(), input.Unit, input.ValidFrom, input.ValidTo, input.Doors.ToList(), input.Groups.ToList(), now, by);
            _store.UpsertCard(card);
            _cards[number] = card;
            LogCardSaved(_logger, number, by);
            await _log.AppendAsync(OperatorAudit.Record(now, _layout.Site, "", "edge", previous is null ? "access-card-added" : "access-card-changed", by,
                new { card = number, after = View(card), before = previous is null ? null : View(previous) })).ConfigureAwait(false);
            await RecomputeAsync(Doors().Where(d => card.Opens(d.Id, d.Groups) || (previous?.Opens(d.Id, d.Groups) ?? false)),
                $"card {number} {(previous is null ? "added" : "changed")} by {by}").ConfigureAwait(false);
        }
        finally
        {
            _cardsGate.Release();
        }

        return new CardSaveResult(card, previous is null, []);
    }

    /// <summary>Deletes a card: audited, and removed from every door that had it. False when there is no such card.</summary>
    public async Task<bool> DeleteCardAsync(string number, string by)
    {
        await _cardsGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_cards.TryGetValue(number, out AccessCard? card))
            {
                return false;
            }

            _store.DeleteCard(number);
            _store.DeletePassback(number);
            _cards.TryRemove(number, out _);
            foreach ((string Group, string Card) key in _passback.Keys.Where(k => k.Card == number).ToList())
            {
                _passback.TryRemove(key, out _);
            }

            LogCardDeleted(_logger, number, by);
            await _log.AppendAsync(OperatorAudit.Record(_time.GetUtcNow(), _layout.Site, "", "edge", "access-card-deleted", by, new { card = number, before = View(card) }))
                .ConfigureAwait(false);
            await RecomputeAsync(Doors().Where(d => card.Opens(d.Id, d.Groups)), $"card {number} deleted by {by}").ConfigureAwait(false);
            return true;
        }
        finally
        {
            _cardsGate.Release();
        }
    }

    /// <summary>
    /// Forgets where a card stands in every anti-passback group (a resident who left without badging out is let in
    /// again); audited. Returns how many groups had a position for it.
    /// </summary>
    public async Task<int> ResetPassbackAsync(string number, string by)
    {
        int removed = 0;
        foreach ((string group, string card) in _passback.Keys.Where(k => k.Card == number).ToList())
        {
            if (_passback.TryRemove((group, card), out _))
            {
                removed++;
            }
        }

        _store.DeletePassback(number);
        await _log.AppendAsync(OperatorAudit.Record(_time.GetUtcNow(), _layout.Site, "", "edge", "access-passback-reset", by, new { card = number, groups = removed }))
            .ConfigureAwait(false);
        return removed;
    }

    /// <summary>Where a card stands in the anti-passback groups.</summary>
    public IReadOnlyList<PassbackState> Passback(string number) =>
        _passback.Values.Where(p => p.Card == number).OrderBy(p => p.Group, StringComparer.Ordinal).ToList();

    /// <summary>Every door's list and sync, by door id.</summary>
    public IReadOnlyList<DoorAccessStatus> DoorStatuses() => Doors().Select(Status).OrderBy(s => s.Door, StringComparer.Ordinal).ToList();

    public DoorAccessStatus? DoorStatus(string door) =>
        _layout.DevicesById.TryGetValue(door, out DeviceDefinition? device) && HasLock(device) ? Status(device) : null;

    /// <summary>The list the edge wants <paramref name="door"/> to hold now.</summary>
    public AllowList? CurrentList(string door) => DoorStatus(door) is null ? null : State(door).List;

    /// <summary>The audit trail, newest first.</summary>
    public IReadOnlyList<AccessAuditEntry> Audit(AccessAuditQuery query) =>
        _store.QueryAudit(query with { Limit = Math.Clamp(query.Limit, 1, AccessOptions.MaxAuditLimit) });

    /// <summary>
    /// Recomputes every door's list (cards whose window ended leave it; doors changed through the registry get theirs),
    /// retries syncs that lost their command, and trims the audit table. Runs at start and every
    /// <see cref="AccessOptions.RefreshInterval"/>.
    /// </summary>
    public async Task RefreshAsync()
    {
        await _cardsGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await RecomputeAsync(Doors(), "refresh").ConfigureAwait(false);
        }
        finally
        {
            _cardsGate.Release();
        }

        int pruned = _store.PruneAudit(_time.GetUtcNow() - _options.AuditRetention);
        if (pruned > 0)
        {
            LogAuditPruned(_logger, pruned);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _cardsGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            foreach (DoorState state in _doors.Values)
            {
                await state.Gate.WaitAsync().ConfigureAwait(false);
                state.Gate.Release();
            }

            _store.Dispose();
        }
        finally
        {
            _cardsGate.Release();
        }
    }

    private async Task RefreshFromTimerAsync()
    {
        try
        {
            await RefreshAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            LogRefreshFailed(_logger, ex);
        }
    }

    // Card changes and the refresh hold the cards gate; each door's list changes under its own gate.
    private async Task RecomputeAsync(IEnumerable<DeviceDefinition> doors, string why)
    {
        DateTimeOffset now = _time.GetUtcNow();
        List<AccessCard> cards = _cards.Values.ToList();
        foreach (DeviceDefinition door in doors.ToList())
        {
            DoorState state = State(door.Id);
            await state.Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (_disposed)
                {
                    return;
                }

                AllowList list = AllowList.For(door, cards, now);
                if (!list.Equals(state.List) || (state.Target == 0 && list.Count > 0))
                {
                    await NewVersionAsync(state, door, list, why).ConfigureAwait(false);
                }

                await SyncLockedAsync(state, door).ConfigureAwait(false);
            }
            finally
            {
                state.Gate.Release();
            }
        }
    }

    // A hold-open magnet has no lock: its controller ignores card reads (hardware-docs/door-controller.md), so it gets no list.
    private IEnumerable<DeviceDefinition> Doors() => _layout.Devices.Where(HasLock);

    private static bool HasLock(DeviceDefinition device) => device.Kind == DeviceKinds.Door && device.Role != DeviceKinds.RoleHoldOpen;

    private DoorState State(string door) => _doors.GetOrAdd(door, _ => new DoorState());

    private DoorAccessStatus Status(DeviceDefinition door)
    {
        DoorState state = State(door.Id);
        bool online = _twins.Find(door.Id)?.Online ?? false;
        Sync? session = state.Session;
        string? syncing = session is null ? null
            : session.IsFull ? $"full v{session.Version}, part {session.Next + 1} of {session.Parts.Count}"
            : $"delta v{session.BaseVersion} to v{session.Version}";
        return new DoorAccessStatus(door.Id, door.Building, door.Groups, door.Direction, online, state.Target, state.Reported, state.ListFull,
            state.List.Count, syncing, state.LastResult, state.LastResultAt);
    }

    private void Count(string what) => _refused.Count(what);

    private long NowSeconds => _time.GetUtcNow().ToUnixTimeSeconds();

    private static object View(AccessCard card) => new
    {
        name = card.Name,
        unit = card.Unit,
        validFrom = card.ValidFrom,
        validTo = card.ValidTo,
        doors = card.Doors,
        groups = card.Groups,
    };

    // An allow-list command that got no ack (expired at the edge, or withdrawn) leaves its sync waiting: the next
    // thing the door says, or the refresh, notices this and starts again. One the publisher no longer remembers at
    // all is long gone too.
    private bool IsLost(string commandId) =>
        _commands.Find(commandId) is { } record ? record.State is CommandState.Expired or CommandState.Cancelled : !_commands.IsPending(commandId);

    /// <summary>One door's list and its sync. Fields change under <see cref="Gate"/>, except <see cref="Grant"/> (under its own lock).</summary>
    private sealed class DoorState
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public readonly object GrantLock = new();

        /// <summary>The version the edge wants the door to hold (0: the door never had a list from the edge).</summary>
        public long Target;
        public AllowList List = AllowList.Empty;

        /// <summary>What the door said it holds ("listVersion" of its state), or what the last finished sync gave it.</summary>
        public long? Reported;
        public bool? ListFull;

        /// <summary>The door's boot in which it last took an allow-list command, i.e. got the time ("now").</summary>
        public long TimeGivenInBoot;
        public Sync? Session;

        /// <summary>A target version the door refused for good (table full, command unknown); retried when the list changes.</summary>
        public long Blocked;
        public int FullFailures;
        public string? LastResult;
        public DateTimeOffset? LastResultAt;
        public PendingGrant? Grant;
    }

    /// <summary>A sync in progress: the parts of a full list sent one at a time, each after the previous one's ack, or one delta.</summary>
    private sealed class Sync
    {
        public bool IsFull { get; init; }

        public long Version { get; init; }

        public long BaseVersion { get; init; }

        public IReadOnlyList<string> Parts { get; init; } = [];

        public CommandRequest? Delta { get; init; }

        public int Next { get; set; }

        public string? CommandId { get; set; }
    }

    /// <summary>A granted card waiting for its door to open.</summary>
    private sealed record PendingGrant(string Card, DateTimeOffset At, string By);
}

/// <summary>What an operator gives for a card (PUT /access/cards/{card}).</summary>
public sealed record AccessCardInput(string Name, string? Unit, DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo, IReadOnlyList<string> Doors, IReadOnlyList<string> Groups);

/// <summary>The stored card and whether it is new, or the problems that kept it from being saved.</summary>
public sealed record CardSaveResult(AccessCard? Card, bool Created, IReadOnlyList<string> Problems);
