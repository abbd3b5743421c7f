namespace SmartCommunity.Edge.Rules;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Twins;

/// <summary>
/// Timers on disk. While running, every duration is measured on the monotonic clock (TimeProvider.GetTimestamp), so a
/// wall-clock jump (an RTC-less box setting its time from NTP after boot) neither fires nor delays anything. A saved
/// row holds the time that was left and the wall time of the save; the wall clock is used only once, at the next
/// start, to estimate how long the edge was down. A wall clock that went backwards counts as no downtime.
/// </summary>
public sealed partial class RuleEngine
{
    private const string StatePending = "pending";
    private const string StateUnconfirmed = "unconfirmed";
    private const string StateFired = "fired";

    private static string KindName(TriggerType type) => type.ToString().ToLowerInvariant();

    // Call with the rule's gate held (or before the rule runs).
    private void MarkDirty(RuleRuntime rule, TriggerType type, string key)
    {
        lock (_dirtyGate)
        {
            _dirty.Add((rule.Definition.Name, type, key));
        }
    }

    private void MarkAllDirty()
    {
        foreach (RuleRuntime rule in _current.Rules)
        {
            lock (rule.State.Gate)
            {
                IEnumerable<string> keys = rule.Definition.Trigger.Type switch
                {
                    TriggerType.Held => rule.State.Held.Keys,
                    TriggerType.Absence => rule.State.Absence.Keys,
                    TriggerType.Count => rule.State.Counts.Keys,
                    _ => [],
                };
                foreach (string key in keys)
                {
                    MarkDirty(rule, rule.Definition.Trigger.Type, key);
                }
            }
        }
    }

    private void DeleteRule(string name)
    {
        lock (_dirtyGate)
        {
            _deletedRules.Add(name);
            _dirty.RemoveWhere(d => d.Rule == name);
        }
    }

    /// <summary>Writes every changed timer in one short transaction; on failure they stay queued for the next try.</summary>
    private async Task FlushAsync()
    {
        await _flushGate.WaitAsync().ConfigureAwait(false);
        if (_closed)
        {
            _flushGate.Release();
            return;
        }

        HashSet<(string Rule, TriggerType Type, string Key)> dirty;
        List<string> deletedRules;
        lock (_dirtyGate)
        {
            dirty = _dirty;
            deletedRules = _deletedRules;
            _dirty = [];
            _deletedRules = [];
        }

        try
        {
            if (dirty.Count == 0 && deletedRules.Count == 0)
            {
                return;
            }

            RuntimeSet set = _current;
            long now = _time.GetTimestamp();
            DateTimeOffset wall = _time.GetUtcNow();
            var deletes = new List<(string, string, string)>();
            var upserts = new List<StoredTimer>();
            foreach ((string name, TriggerType type, string key) in dirty)
            {
                StoredTimer? row = null;
                if (set.ByName.TryGetValue(name, out RuleRuntime? rule) && rule.Definition.Enabled && rule.Definition.Trigger.Type == type)
                {
                    lock (rule.State.Gate)
                    {
                        row = Row(rule, key, now, wall);
                    }
                }

                if (row is null)
                {
                    deletes.Add((name, KindName(type), key));
                }
                else
                {
                    upserts.Add(row);
                }
            }

            _store.Write(deletedRules, deletes, upserts);
            Interlocked.Exchange(ref _lastFlush, now);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogEngineFailed(_logger, "saving rule timers", ex);
            lock (_dirtyGate)
            {
                _deletedRules.InsertRange(0, deletedRules);
                _dirty.UnionWith(dirty);
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    private StoredTimer? Row(RuleRuntime rule, string key, long now, DateTimeOffset wall)
    {
        RuleDefinition d = rule.Definition;
        string kind = KindName(d.Trigger.Type);
        switch (d.Trigger)
        {
            case HeldTrigger when rule.State.Held.TryGetValue(key, out HeldTimer? timer):
                string state = timer.Phase switch { HeldPhase.Pending => StatePending, HeldPhase.Unconfirmed => StateUnconfirmed, _ => StateFired };
                long remaining = timer.Phase == HeldPhase.Fired ? 0 : Math.Max(0, Milliseconds(timer.Deadline - now));
                return new StoredTimer(d.Name, kind, key, d.Fingerprint, timer.Device.Id, state, wall, remaining, null);
            case AbsenceTrigger absence when rule.State.Absence.TryGetValue(key, out AbsenceWindow? window):
                long left = window.Fired ? 0 : Math.Max(0, Milliseconds(window.LastData + Ticks(absence.For) - now));
                return new StoredTimer(d.Name, kind, key, d.Fingerprint, window.Device.Id, window.Fired ? StateFired : StatePending, wall, left, null);
            case CountTrigger when rule.State.Counts.TryGetValue(key, out CountWindow? count) && count.Entries.Count > 0:
                List<StoredCountEntry> entries = count.Entries.Select(e => new StoredCountEntry(e.Device, Math.Max(0, Milliseconds(e.Expires - now)))).ToList();
                return new StoredTimer(d.Name, kind, key, d.Fingerprint, count.Device.Id, StatePending, wall, entries.Max(e => e.RemainingMs), entries);
            default:
                return null;
        }
    }

    /// <summary>
    /// Resumes the timers saved before the last stop, for rules whose trigger is unchanged. Each keeps the time it
    /// had left minus the downtime (what happened meanwhile is unknown): an absence window that ran out fires at the
    /// first pass; a held-for timer is checked against the device's last known state and dropped when the condition
    /// no longer holds, or waits for the device's next report when the state is not known.
    /// </summary>
    private void Restore(IReadOnlyList<StoredTimer> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        RuntimeSet set = _current;
        Dictionary<string, DeviceDefinition> devices = _devices().GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        long now = _time.GetTimestamp();
        DateTimeOffset wall = _time.GetUtcNow();
        int resumed = 0;
        TimeSpan longestDowntime = TimeSpan.Zero;
        foreach (StoredTimer row in rows)
        {
            TimeSpan downtime = wall > row.SavedAt ? wall - row.SavedAt : TimeSpan.Zero;
            longestDowntime = downtime > longestDowntime ? downtime : longestDowntime;
            long remainingMs = row.RemainingMs - (long)downtime.TotalMilliseconds;
            bool kept = false;
            if (set.ByName.TryGetValue(row.Rule, out RuleRuntime? rule) && rule.Definition.Enabled && rule.Definition.Fingerprint == row.Fingerprint
                && KindName(rule.Definition.Trigger.Type) == row.Kind && row.Device is not null && devices.TryGetValue(row.Device, out DeviceDefinition? device))
            {
                lock (rule.State.Gate)
                {
                    kept = rule.Definition.Trigger switch
                    {
                        HeldTrigger held => RestoreHeld(rule, held, row, device, remainingMs, now),
                        AbsenceTrigger absence => RestoreAbsence(rule, absence, row, device, remainingMs, now),
                        CountTrigger count => RestoreCount(rule, count, row, device, downtime, now, devices),
                        _ => false,
                    };
                }
            }

            resumed += kept ? 1 : 0;
            lock (_dirtyGate)
            {
                // Kept rows are written again with the new save time; the others are deleted.
                if (Enum.TryParse(row.Kind, ignoreCase: true, out TriggerType type))
                {
                    _dirty.Add((row.Rule, type, row.Key));
                }
            }
        }

        LogTimersRestored(_logger, resumed, rows.Count, longestDowntime);
    }

    private bool RestoreHeld(RuleRuntime rule, HeldTrigger trigger, StoredTimer row, DeviceDefinition device, long remainingMs, long now)
    {
        if (row.Key != device.Id)
        {
            return false;
        }

        bool? holds = LastKnown(device.Id, trigger);
        if (holds == false)
        {
            return false;
        }

        if (row.State == StateFired)
        {
            rule.State.Held[device.Id] = new HeldTimer(device, HeldPhase.Fired, now, null);
            return true;
        }

        HeldPhase phase = holds == true ? HeldPhase.Pending : HeldPhase.Unconfirmed;
        rule.State.Held[device.Id] = new HeldTimer(device, phase, now + Ticks(TimeSpan.FromMilliseconds(Math.Max(0, remainingMs))), null);
        return true;
    }

    private bool RestoreAbsence(RuleRuntime rule, AbsenceTrigger trigger, StoredTimer row, DeviceDefinition device, long remainingMs, long now)
    {
        ScopeInstance scope = ScopeInstance.Of(device, trigger.Scope);
        if (scope.Key != row.Key)
        {
            return false;
        }

        // LastData is placed so that the window ends after the time it has left (at once, when that ran out).
        long left = Math.Clamp(remainingMs, 0, (long)trigger.For.TotalMilliseconds);
        var window = new AbsenceWindow(scope, device, now - Ticks(trigger.For - TimeSpan.FromMilliseconds(left))) { Fired = row.State == StateFired };
        rule.State.Absence[scope.Key] = window;
        return true;
    }

    private bool RestoreCount(RuleRuntime rule, CountTrigger trigger, StoredTimer row, DeviceDefinition device, TimeSpan downtime, long now, Dictionary<string, DeviceDefinition> devices)
    {
        ScopeInstance scope = ScopeInstance.Of(device, trigger.Scope);
        if (scope.Key != row.Key)
        {
            return false;
        }

        var window = new CountWindow(scope, device);
        foreach (StoredCountEntry entry in row.Entries ?? [])
        {
            long left = Math.Min(entry.RemainingMs, (long)trigger.Within.TotalMilliseconds) - (long)downtime.TotalMilliseconds;
            if (left > 0 && devices.ContainsKey(entry.Device))
            {
                window.Entries.Add((entry.Device, now + Ticks(TimeSpan.FromMilliseconds(left))));
            }
        }

        if (window.Entries.Count == 0)
        {
            return false;
        }

        rule.State.Counts[scope.Key] = window;
        return true;
    }

    // The condition against the device's last reported state (its twin): true, false, or null when not known.
    private bool? LastKnown(string deviceId, HeldTrigger trigger)
    {
        if (_twins.Find(deviceId) is not { LastState: { } state })
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(state);
            return FieldCondition.EvaluateAll(trigger.Conditions, document.RootElement) switch
            {
                MatchResult.Match => true,
                MatchResult.NoMatch => false,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Opens an absence window for every scope that has matching devices and none yet (new rule, new device), starting
    /// now: a device the edge has never heard from gets a whole window. Drops windows of scopes left without devices.
    /// </summary>
    private void Reconcile(RuntimeSet set)
    {
        List<DeviceDefinition>? devices = null;
        long now = _time.GetTimestamp();
        foreach (RuleRuntime rule in set.Rules)
        {
            if (!rule.Definition.Enabled || rule.Definition.Trigger is not AbsenceTrigger absence)
            {
                continue;
            }

            devices ??= _devices().ToList();
            var scopes = devices.Where(absence.Devices.Matches).GroupBy(d => ScopeInstance.Of(d, absence.Scope).Key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            lock (rule.State.Gate)
            {
                foreach ((string key, DeviceDefinition device) in scopes)
                {
                    if (!rule.State.Absence.ContainsKey(key))
                    {
                        rule.State.Absence[key] = new AbsenceWindow(ScopeInstance.Of(device, absence.Scope), device, now);
                        MarkDirty(rule, TriggerType.Absence, key);
                    }
                }

                foreach (string key in rule.State.Absence.Keys.Where(k => !scopes.ContainsKey(k)).ToList())
                {
                    rule.State.Absence.Remove(key);
                    MarkDirty(rule, TriggerType.Absence, key);
                }
            }
        }
    }
}
