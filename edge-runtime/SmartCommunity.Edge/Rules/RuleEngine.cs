namespace SmartCommunity.Edge.Rules;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;
using SmartCommunity.Protocol;

/// <summary>
/// Runs the rules of the rules file (hardware-docs/rules.md) beside the built-in fire rule, which it neither
/// replaces nor can switch off. It sees every accepted device message, keeps the timers of held conditions,
/// absence windows and counting windows on the monotonic clock and in the edge database (so they resume after a
/// restart), and acts only through the <see cref="CommandPublisher"/>'s safety gates, the <see cref="AlertBook"/>
/// and the event log. A file that does not load leaves the running rules as they are; the file is reloaded when it
/// changes. Nothing a rule does can throw into ingest: failures are logged and shown on the rule's status.
/// </summary>
public sealed partial class RuleEngine : IAsyncDisposable
{
    public const string RecordChannel = "rule";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly RuleStore _store;
    private readonly Func<IEnumerable<DeviceDefinition>> _devices;
    private readonly string _site;
    private readonly CommandPublisher _commands;
    private readonly AlertBook _alerts;
    private readonly EventLog _log;
    private readonly TwinRegistry _twins;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RuleEngineOptions _options;
    private readonly ConcurrentDictionary<string, RuleStats> _stats = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _presence = new(StringComparer.Ordinal);
    private readonly object _applyGate = new();

    // Timer rows waiting to be written: single (rule, kind, key) entries, and whole rules to drop first.
    private readonly object _dirtyGate = new();
    private HashSet<(string Rule, TriggerType Type, string Key)> _dirty = [];
    private List<string> _deletedRules = [];
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private long _lastFlush;

    // One pass over the timers at a time; one load of the file at a time.
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly SemaphoreSlim _reloadGate = new(1, 1);

    private volatile RuntimeSet _current = RuntimeSet.Empty;
    private ITimer? _tick;
    private ITimer? _changeCheck;
    private ITimer? _debounce;
    private FileSystemWatcher? _watcher;
    private string? _path;
    private string? _lastSeenHash;
    private volatile FileState _file = new(null, null, false, null);
    private int _reloadPending;
    private volatile bool _disposed;
    private volatile bool _closed;

    /// <param name="databasePath">The edge database (edge.db); the engine keeps its own tables there.</param>
    /// <param name="devices">The devices the edge knows, asked afresh whenever a selector or a scope is resolved.</param>
    /// <param name="twins">For the last reported state of a device when a held-for timer resumes after a restart.</param>
    public RuleEngine(string databasePath, Func<IEnumerable<DeviceDefinition>> devices, string site, CommandPublisher commands, AlertBook alerts, EventLog log,
        TwinRegistry twins, TimeProvider time, ILogger logger, RuleEngineOptions? options = null)
    {
        _store = RuleStore.Open(databasePath);
        _devices = devices;
        _site = site;
        _commands = commands;
        _alerts = alerts;
        _log = log;
        _twins = twins;
        _time = time;
        _logger = logger;
        _options = options ?? new RuleEngineOptions();
        _lastFlush = time.GetTimestamp();
    }

    /// <summary>The rules running now.</summary>
    public RuleSet Rules => _current.Source;

    /// <summary>
    /// Loads <paramref name="rulesPath"/> (null: no rules file), resumes the timers saved before the last stop, fires
    /// what ran out meanwhile, and starts watching the file. A file that does not load is reported in the status;
    /// the last version that loaded (kept in the database) runs instead.
    /// </summary>
    public async Task StartAsync(string? rulesPath)
    {
        // Read before the first load: loading opens fresh absence windows and saves them over the old rows.
        IReadOnlyList<StoredTimer> saved = _store.ReadTimers();
        _path = rulesPath;
        if (_path is not null)
        {
            await LoadFileAsync(startup: true, onlyIfChanged: false).ConfigureAwait(false);
        }

        Restore(saved);
        Reconcile(_current);
        await FlushAsync().ConfigureAwait(false);
        _tick = _time.CreateTimer(_ => _ = TickAsync(), null, _options.TickInterval, _options.TickInterval);
        if (_path is not null)
        {
            _debounce = _time.CreateTimer(_ => _ = DebouncedReloadAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _changeCheck = _time.CreateTimer(_ => _ = CheckForChangesAsync(), null, _options.ChangeCheckInterval, _options.ChangeCheckInterval);
            Watch(_path);
        }

        // An absence window that may have run out while the edge was down fires now, not a whole window later.
        await EvaluateDueAsync().ConfigureAwait(false);
    }

    /// <summary>Reads the rules file again if its content changed (and picks up devices added to the registry).</summary>
    public async Task<bool> CheckForChangesAsync()
    {
        try
        {
            bool loaded = _path is not null && await LoadFileAsync(startup: false, onlyIfChanged: true).ConfigureAwait(false);
            Reconcile(_current);
            return loaded;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogEngineFailed(_logger, "checking the rules file", ex);
            return false;
        }
    }

    /// <summary>Reads the rules file now, changed or not. True when it loaded; otherwise the running rules stay.</summary>
    public Task<bool> ReloadAsync() => _path is null ? Task.FromResult(false) : LoadFileAsync(startup: false, onlyIfChanged: false);

    /// <summary>
    /// Runs the rules on one accepted, non-duplicate device message. Cheap when nothing matches; when something fires,
    /// completes after the rule's commands went out and its records are committed.
    /// </summary>
    public Task OnMessageAsync(DeviceMessage message, DeviceDefinition device)
    {
        bool online = message.Channel != Channel.Status || message.Online != false;
        Presence? transition = PresenceChange(device.Id, online);
        return Observe(message, device, transition);
    }

    /// <summary>
    /// A presence change the twins concluded without a message (e.g. a heartbeat timeout). The Last Will arrives as a
    /// message; both are folded into one presence per device, so a change is seen once whichever source says it first.
    /// </summary>
    public Task OnPresenceChangedAsync(DeviceDefinition device, bool online) =>
        PresenceChange(device.Id, online) is { } transition ? Observe(null, device, transition) : Task.CompletedTask;

    /// <summary>Fires what is due: held conditions, absence windows; ages counting windows. The timer calls it every tick.</summary>
    public async Task EvaluateDueAsync()
    {
        await _pass.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_disposed)
            {
                await EvaluateDueCoreAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    public RuleEngineStatus Status()
    {
        RuntimeSet set = _current;
        var rules = new List<RuleStatus>();
        int pending = 0;
        foreach (RuleRuntime rule in set.Rules)
        {
            int timers;
            lock (rule.State.Gate)
            {
                timers = rule.State.PendingTimers();
            }

            pending += timers;
            RuleDefinition d = rule.Definition;
            (DateTimeOffset? at, string? by, RefusedCommand? refusal, string? error) = rule.Stats.Last();
            rules.Add(new RuleStatus(d.Name, d.Description, d.Trigger.Type.ToString().ToLowerInvariant(), d.Trigger.Describe(), d.Enabled, rule.Stats.Firings, at, by,
                rule.Stats.Suppressed, rule.Stats.CommandsSent, rule.Stats.CommandsRefused, refusal, rule.Stats.ActionErrors, error, timers));
        }

        FileState file = _file;
        return new RuleEngineStatus(_path, file.LoadedAt, file.Hash, file.RunningLastGood, set.Rules.Count, file.LastError, Volatile.Read(ref _reloadPending) == 1, pending, rules);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _watcher?.Dispose();
        foreach (ITimer? timer in new[] { _tick, _changeCheck, _debounce })
        {
            if (timer is not null)
            {
                await timer.DisposeAsync().ConfigureAwait(false);
            }
        }

        // Wait for a running load and timer pass; later ones see _disposed and do nothing.
        await _reloadGate.WaitAsync().ConfigureAwait(false);
        _reloadGate.Release();
        await _pass.WaitAsync().ConfigureAwait(false);
        _pass.Release();

        // Every timer is saved with the time it has left now, so the next start does not need the wall clock to know
        // how long this run lasted since the last save (only the downtime is estimated from it).
        MarkAllDirty();
        await FlushAsync().ConfigureAwait(false);
        await _flushGate.WaitAsync().ConfigureAwait(false);
        _closed = true;
        _store.Dispose();
        _flushGate.Release();
    }

    private Presence? PresenceChange(string deviceId, bool online)
    {
        bool known = _presence.TryGetValue(deviceId, out bool before);
        if (known && before == online)
        {
            return null;
        }

        _presence[deviceId] = online;

        // Seeing a device for the first time is not "coming online" (every device would, after an edge restart);
        // its Will is "going offline" even when the edge never saw it online.
        return !online ? Presence.Offline : known ? Presence.Online : null;
    }

    private Task Observe(DeviceMessage? message, DeviceDefinition device, Presence? transition)
    {
        RuntimeSet set = _current;
        if (set.Rules.Count == 0)
        {
            return Task.CompletedTask;
        }

        List<Firing>? firings = null;
        bool urgent = false;
        long now = _time.GetTimestamp();
        foreach (RuleRuntime rule in set.Rules)
        {
            if (!rule.Definition.Enabled || !rule.Definition.Trigger.Devices.Matches(device))
            {
                continue;
            }

            try
            {
                urgent |= rule.Definition.Trigger switch
                {
                    EventTrigger e => ObserveEvent(rule, e, message, device, transition, now, ref firings),
                    HeldTrigger h => ObserveHeld(rule, h, message, device, now, ref firings),
                    AbsenceTrigger a => ObserveAbsence(rule, a, message, device, now),
                    CountTrigger c => ObserveCount(rule, c, message, device, transition, now, ref firings),
                    _ => false,
                };
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                rule.Stats.Failed($"evaluating a message from {device.Id}: {ex.Message}");
                LogRuleFailed(_logger, rule.Definition.Name, ex);
            }
        }

        return firings is null && !urgent ? Task.CompletedTask : AfterObserveAsync(firings, urgent);
    }

    private async Task AfterObserveAsync(List<Firing>? firings, bool urgent)
    {
        try
        {
            foreach (Firing firing in firings ?? [])
            {
                await FireAsync(firing).ConfigureAwait(false);
            }

            // Held and count timers are on disk before the device's message is acknowledged.
            if (urgent)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogEngineFailed(_logger, "running rule actions", ex);
        }
    }

    private bool ObserveEvent(RuleRuntime rule, EventTrigger trigger, DeviceMessage? message, DeviceDefinition device, Presence? transition, long now, ref List<Firing>? firings)
    {
        if (!Matched(rule, trigger.Match, message, device, transition))
        {
            return false;
        }

        lock (rule.State.Gate)
        {
            TryFire(rule, ScopeInstance.Of(device, trigger.Scope), device, message, Why(trigger.Match, device, message, transition), 1, now, ref firings);
        }

        return false;
    }

    private bool ObserveHeld(RuleRuntime rule, HeldTrigger trigger, DeviceMessage? message, DeviceDefinition device, long now, ref List<Firing>? firings)
    {
        if (message is null || message.Channel is Channel.Status or Channel.Ack)
        {
            return false;
        }

        MatchResult result = FieldCondition.EvaluateAll(trigger.Conditions, message.Body);
        if (result == MatchResult.NotApplicable)
        {
            return false;
        }

        lock (rule.State.Gate)
        {
            Dictionary<string, HeldTimer> held = rule.State.Held;
            if (result == MatchResult.NoMatch)
            {
                if (!held.Remove(device.Id))
                {
                    return false;
                }

                MarkDirty(rule, TriggerType.Held, device.Id);
                return true;
            }

            if (!held.TryGetValue(device.Id, out HeldTimer? timer))
            {
                held[device.Id] = new HeldTimer(device, HeldPhase.Pending, now + Ticks(trigger.For), message);
                MarkDirty(rule, TriggerType.Held, device.Id);
                return true;
            }

            if (timer.Phase != HeldPhase.Unconfirmed)
            {
                return false;
            }

            // Resumed after a restart without knowing the state: this report confirms it still holds.
            timer.Message = message;
            timer.Phase = HeldPhase.Pending;
            if (timer.Deadline <= now)
            {
                timer.Phase = HeldPhase.Fired;
                TryFire(rule, ScopeInstance.Of(device, RuleScope.Device), device, message, trigger.Describe(), 1, now, ref firings);
            }

            MarkDirty(rule, TriggerType.Held, device.Id);
            return true;
        }
    }

    private bool ObserveAbsence(RuleRuntime rule, AbsenceTrigger trigger, DeviceMessage? message, DeviceDefinition device, long now)
    {
        // Data is any message but the Last Will; a presence change without a message is not data.
        if (message is null || (message.Channel == Channel.Status && message.Online == false))
        {
            return false;
        }

        lock (rule.State.Gate)
        {
            ScopeInstance scope = rule.State.ScopeOf(device, trigger.Scope);
            string key = scope.Key;
            bool wasFired = false;
            if (rule.State.Absence.TryGetValue(key, out AbsenceWindow? window))
            {
                wasFired = window.Fired;
                window.LastData = now;
                window.Fired = false;
                window.Device = device;
            }
            else
            {
                rule.State.Absence[key] = new AbsenceWindow(scope, device, now);
            }

            MarkDirty(rule, TriggerType.Absence, key);
            return wasFired;
        }
    }

    private bool ObserveCount(RuleRuntime rule, CountTrigger trigger, DeviceMessage? message, DeviceDefinition device, Presence? transition, long now, ref List<Firing>? firings)
    {
        if (!Matched(rule, trigger.Match, message, device, transition))
        {
            return false;
        }

        lock (rule.State.Gate)
        {
            ScopeInstance scope = rule.State.ScopeOf(device, trigger.Scope);
            if (!rule.State.Counts.TryGetValue(scope.Key, out CountWindow? window))
            {
                window = new CountWindow(scope, device);
                rule.State.Counts[scope.Key] = window;
            }

            window.Entries.RemoveAll(e => e.Expires <= now);
            window.Entries.Add((device.Id, now + Ticks(trigger.Within)));
            window.Device = device;
            int count = trigger.Distinct ? window.Entries.Select(e => e.Device).Distinct().Count() : window.Entries.Count;
            if (count >= trigger.AtLeast)
            {
                // A full window fires once and starts again empty.
                rule.State.Counts.Remove(scope.Key);
                TryFire(rule, scope, device, message, $"{count} x {Why(trigger.Match, device, message, transition)} in {scope.Display} within {Durations.Format(trigger.Within)}", count, now, ref firings);
            }

            MarkDirty(rule, TriggerType.Count, scope.Key);
            return true;
        }
    }

    // Event-name and presence matches fire on every occurrence; state and field conditions when they become true.
    private static bool Matched(RuleRuntime rule, MessageMatch match, DeviceMessage? message, DeviceDefinition device, Presence? transition)
    {
        if (match.Presence is { } presence)
        {
            return transition == presence;
        }

        if (message is null)
        {
            return false;
        }

        MatchResult result = match.Evaluate(message);
        if (!match.EdgeTriggered || result == MatchResult.NotApplicable)
        {
            return result == MatchResult.Match;
        }

        lock (rule.State.Gate)
        {
            bool before = rule.State.LastMatch.TryGetValue(device.Id, out bool matched) && matched;
            rule.State.LastMatch[device.Id] = result == MatchResult.Match;
            return result == MatchResult.Match && !before;
        }
    }

    private static string Why(MessageMatch match, DeviceDefinition device, DeviceMessage? message, Presence? transition) =>
        match.Presence is not null && transition is { } t ? $"{device.Id} went {(t == Presence.Online ? "online" : "offline")}"
        : message?.EventName is { } name ? $"{name} at {device.Id}"
        : $"{match.Describe()} at {device.Id}";

    // Call with the rule's gate held.
    private void TryFire(RuleRuntime rule, ScopeInstance scope, DeviceDefinition? device, DeviceMessage? message, string why, int count, long now, ref List<Firing>? firings)
    {
        TimeSpan cooldown = rule.Definition.Cooldown;
        if (cooldown > TimeSpan.Zero && rule.State.LastFired.TryGetValue(scope.Key, out long last) && now - last < Ticks(cooldown))
        {
            rule.Stats.Suppress();
            return;
        }

        rule.State.LastFired[scope.Key] = now;
        (firings ??= []).Add(new Firing(rule, scope, device, message, why, count));
    }

    private async Task TickAsync()
    {
        // A tick that finds the previous pass still running skips; the next one comes soon.
        if (_disposed || !_pass.Wait(0))
        {
            return;
        }

        try
        {
            await EvaluateDueCoreAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogEngineFailed(_logger, "checking rule timers", ex);
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task EvaluateDueCoreAsync()
    {
        long now = _time.GetTimestamp();
        List<Firing>? firings = null;
        bool changed = false;
        foreach (RuleRuntime rule in _current.Rules)
        {
            if (!rule.Definition.Enabled)
            {
                continue;
            }

            lock (rule.State.Gate)
            {
                switch (rule.Definition.Trigger)
                {
                    case HeldTrigger held:
                        foreach ((string key, HeldTimer timer) in rule.State.Held)
                        {
                            if (timer.Phase == HeldPhase.Pending && timer.Deadline <= now)
                            {
                                timer.Phase = HeldPhase.Fired;
                                MarkDirty(rule, TriggerType.Held, key);
                                changed = true;
                                TryFire(rule, ScopeInstance.Of(timer.Device, RuleScope.Device), timer.Device, timer.Message, held.Describe(), 1, now, ref firings);
                            }
                        }

                        break;
                    case AbsenceTrigger absence:
                        foreach ((string key, AbsenceWindow window) in rule.State.Absence)
                        {
                            if (!window.Fired && window.LastData + Ticks(absence.For) <= now)
                            {
                                window.Fired = true;
                                MarkDirty(rule, TriggerType.Absence, key);
                                changed = true;
                                DeviceDefinition? device = absence.Scope == RuleScope.Device ? window.Device : null;
                                TryFire(rule, window.Scope, device, null, $"no data for {Durations.Format(absence.For)} from {(device?.Id ?? $"{absence.Devices.Describe()} in {window.Scope.Display}")}", 0, now, ref firings);
                            }
                        }

                        break;
                    case CountTrigger:
                        foreach ((string key, CountWindow window) in rule.State.Counts.ToList())
                        {
                            if (window.Entries.RemoveAll(e => e.Expires <= now) > 0)
                            {
                                if (window.Entries.Count == 0)
                                {
                                    rule.State.Counts.Remove(key);
                                }

                                MarkDirty(rule, TriggerType.Count, key);
                            }
                        }

                        break;
                }
            }
        }

        foreach (Firing firing in firings ?? [])
        {
            await FireAsync(firing).ConfigureAwait(false);
        }

        if (changed || _time.GetElapsedTime(Interlocked.Read(ref _lastFlush)) >= _options.PersistInterval)
        {
            await FlushAsync().ConfigureAwait(false);
        }
    }

    private async Task FireAsync(Firing firing)
    {
        RuleDefinition rule = firing.Rule.Definition;
        RuleStats stats = firing.Rule.Stats;
        DateTimeOffset at = _time.GetUtcNow();
        stats.Fired(at, firing.Device?.Id ?? firing.Scope.Display);
        LogRuleFired(_logger, rule.Name, firing.Why);
        string building = firing.Scope.Building ?? firing.Device?.Building ?? "";
        Task fired = _log.AppendAsync(Record(building, "rule-fired", new { rule = rule.Name, trigger = rule.Trigger.Type.ToString().ToLowerInvariant(), why = firing.Why, device = firing.Device?.Id, scope = firing.Scope.Display }));
        foreach (RuleAction action in rule.Actions)
        {
            try
            {
                switch (action)
                {
                    case CommandAction command:
                        await SendAsync(firing, command).ConfigureAwait(false);
                        break;
                    case AlertAction alert:
                        await _alerts.RaiseAsync(rule.Name, alert.Severity, alert.Text.Render(name => Placeholder(firing, name)), firing.Device?.Id, firing.Scope.Building).ConfigureAwait(false);
                        break;
                    case RelayAction relay:
                        await _log.AppendAsync(Record(building, "relay", new
                        {
                            rule = rule.Name,
                            trigger = rule.Trigger.Type.ToString().ToLowerInvariant(),
                            why = firing.Why,
                            device = firing.Device?.Id,
                            scope = firing.Scope.Display,
                            note = relay.Note?.Render(name => Placeholder(firing, name)),
                            message = firing.Message is { } m ? new { topic = m.Topic, channel = m.Channel, seq = m.Sequence, boot = m.Boot, payload = m.Body } : null,
                        })).ConfigureAwait(false);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                stats.Failed($"line {action.Line}: {ex.Message}");
                LogRuleFailed(_logger, rule.Name, ex);
            }
        }

        try
        {
            await fired.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            stats.Failed($"recording the firing: {ex.Message}");
            LogRuleFailed(_logger, rule.Name, ex);
        }
    }

    private async Task SendAsync(Firing firing, CommandAction action)
    {
        RuleDefinition rule = firing.Rule.Definition;
        string cmd = CommandNames.NameOf(action.Command);
        List<DeviceDefinition> targets = _devices().Where(d => action.Target.Matches(d, firing.Scope) && CommandSupport.Supports(d, action.Command)).ToList();
        if (targets.Count == 0)
        {
            firing.Rule.Stats.Failed($"line {action.Line}: '{cmd}' found no device around {firing.Scope.Display}");
            LogNoTargets(_logger, rule.Name, cmd, firing.Scope.Display);
            return;
        }

        // The reason travels in the command payload, which a device refuses above 384 bytes (protocol.md §6).
        string reason = Truncate($"rule {rule.Name}: {firing.Why}", 120);
        CommandTicket[] tickets = await Task.WhenAll(targets.Select(device =>
            _commands.RequestAsync(new CommandRequest(device, action.Command, reason, CommandOrigin.Rule, rule.Name, action.DurationMs)))).ConfigureAwait(false);
        for (int i = 0; i < targets.Count; i++)
        {
            if (tickets[i].Accepted)
            {
                firing.Rule.Stats.Sent();
            }
            else
            {
                firing.Rule.Stats.Refused(new RefusedCommand(_time.GetUtcNow(), targets[i].Id, cmd, tickets[i].RefusedBecause ?? "refused"));
            }
        }
    }

    private static string Placeholder(Firing firing, string name)
    {
        RuleDefinition rule = firing.Rule.Definition;
        DeviceDefinition? device = firing.Device;
        return name switch
        {
            "rule" => rule.Name,
            "device" => device?.Id ?? firing.Scope.Display,
            "kind" => device?.Kind ?? rule.Trigger.Devices.Kind ?? "",
            "role" => device?.Role ?? rule.Trigger.Devices.Role ?? "",
            "site" => firing.Scope.Site,
            "building" => firing.Scope.Building ?? device?.Building ?? "",
            "floor" => firing.Scope.Floor ?? device?.Floor ?? "",
            "zone" => firing.Scope.Zone ?? device?.Zone ?? "",
            "scope" => firing.Scope.Display,
            "event" => firing.Message?.EventName ?? firing.Message?.Channel ?? rule.Trigger.Type.ToString().ToLowerInvariant(),
            "count" => firing.Count.ToString(CultureInfo.InvariantCulture),
            "for" => rule.Trigger switch
            {
                HeldTrigger h => Durations.Format(h.For),
                AbsenceTrigger a => Durations.Format(a.For),
                CountTrigger c => Durations.Format(c.Within),
                _ => "",
            },
            _ => firing.Why,
        };
    }

    private EventRecord Record(string building, string name, object details) =>
        new(_time.GetUtcNow(), _site, building, "edge", RecordChannel, name, 0, 0, JsonSerializer.Serialize(details, Json), EventLane.Priority);

    private long Ticks(TimeSpan span) => (long)(span.Ticks * (_time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));

    private long Milliseconds(long timestampTicks) => (long)(timestampTicks * 1000.0 / _time.TimestampFrequency);

    private static string Truncate(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    /// <summary>What the status says about the file; replaced whole so a reader never sees half an update.</summary>
    private sealed record FileState(DateTimeOffset? LoadedAt, string? Hash, bool RunningLastGood, RuleLoadError? LastError);
}
