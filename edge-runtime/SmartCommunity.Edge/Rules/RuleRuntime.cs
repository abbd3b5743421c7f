namespace SmartCommunity.Edge.Rules;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;

/// <summary>The rules running now, by position and by name. Replaced whole on reload, never changed in place.</summary>
internal sealed class RuntimeSet(RuleSet source, IReadOnlyList<RuleRuntime> rules)
{
    public static readonly RuntimeSet Empty = new(RuleSet.Empty(""), []);

    public RuleSet Source { get; } = source;

    public IReadOnlyList<RuleRuntime> Rules { get; } = rules;

    public IReadOnlyDictionary<string, RuleRuntime> ByName { get; } = rules.ToDictionary(r => r.Definition.Name, StringComparer.Ordinal);
}

/// <summary>One loaded rule with its counters and its pending state.</summary>
internal sealed class RuleRuntime(RuleDefinition definition, RuleStats stats, RuleState state)
{
    public RuleDefinition Definition { get; } = definition;

    public RuleStats Stats { get; } = stats;

    public RuleState State { get; } = state;
}

/// <summary>
/// A rule's pending timers and memory, guarded by <see cref="Gate"/>. Handed to the next version of the rule on a
/// reload that keeps its trigger (same fingerprint), so a held-open door keeps its running minutes.
/// Times are monotonic timestamps (TimeProvider.GetTimestamp).
/// </summary>
internal sealed class RuleState
{
    public object Gate { get; } = new();

    public Dictionary<string, HeldTimer> Held { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AbsenceWindow> Absence { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CountWindow> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Edge-triggered matches: whether the device's last applicable message matched.</summary>
    public Dictionary<string, bool> LastMatch { get; } = new(StringComparer.Ordinal);

    /// <summary>Each device's scope for this rule, so the message path does not build it again for every message.</summary>
    public Dictionary<string, ScopeInstance> ScopeByDevice { get; } = new(StringComparer.Ordinal);

    /// <summary>The device's scope for this rule (call with <see cref="Gate"/> held); recomputed if the device moved.</summary>
    public ScopeInstance ScopeOf(DeviceDefinition device, RuleScope scope)
    {
        if (ScopeByDevice.TryGetValue(device.Id, out ScopeInstance? cached) && cached.Scope == scope && cached.Contains(device, scope))
        {
            return cached;
        }

        ScopeInstance fresh = ScopeInstance.Of(device, scope);
        ScopeByDevice[device.Id] = fresh;
        return fresh;
    }

    /// <summary>When the rule last fired per scope key, for the cooldown.</summary>
    public Dictionary<string, long> LastFired { get; } = new(StringComparer.Ordinal);

    public int PendingTimers() =>
        Held.Values.Count(h => h.Phase != HeldPhase.Fired) + Absence.Values.Count(a => !a.Fired) + Counts.Values.Sum(c => c.Entries.Count);
}

internal enum HeldPhase
{
    /// <summary>The condition holds; fires at the deadline.</summary>
    Pending,

    /// <summary>Resumed after a restart without knowing the device's state: fires only once a report confirms it.</summary>
    Unconfirmed,

    /// <summary>Fired; re-arms when the condition stops holding.</summary>
    Fired,
}

internal sealed class HeldTimer(DeviceDefinition device, HeldPhase phase, long deadline, DeviceMessage? message)
{
    public DeviceDefinition Device { get; } = device;

    public HeldPhase Phase { get; set; } = phase;

    public long Deadline { get; set; } = deadline;

    public DeviceMessage? Message { get; set; } = message;
}

internal sealed class AbsenceWindow(ScopeInstance scope, DeviceDefinition device, long lastData)
{
    public ScopeInstance Scope { get; } = scope;

    /// <summary>The device that last reported, or one device of the scope.</summary>
    public DeviceDefinition Device { get; set; } = device;

    public long LastData { get; set; } = lastData;

    public bool Fired { get; set; }
}

internal sealed class CountWindow(ScopeInstance scope, DeviceDefinition device)
{
    public ScopeInstance Scope { get; } = scope;

    public DeviceDefinition Device { get; set; } = device;

    public List<(string Device, long Expires)> Entries { get; } = [];
}

/// <summary>A rule that fired and what made it: the actions run from this.</summary>
internal sealed record Firing(RuleRuntime Rule, ScopeInstance Scope, DeviceDefinition? Device, DeviceMessage? Message, string Why, int Count);

/// <summary>A rule's counters for the status page; kept by name across reloads.</summary>
internal sealed class RuleStats
{
    private readonly object _gate = new();
    private long _firings;
    private long _suppressed;
    private long _commandsSent;
    private long _commandsRefused;
    private long _actionErrors;

    public long Firings => Interlocked.Read(ref _firings);

    public long Suppressed => Interlocked.Read(ref _suppressed);

    public long CommandsSent => Interlocked.Read(ref _commandsSent);

    public long CommandsRefused => Interlocked.Read(ref _commandsRefused);

    public long ActionErrors => Interlocked.Read(ref _actionErrors);

    public DateTimeOffset? LastFiredAt { get; private set; }

    public string? LastFiredBy { get; private set; }

    public RefusedCommand? LastRefusal { get; private set; }

    public string? LastError { get; private set; }

    public void Fired(DateTimeOffset at, string by)
    {
        Interlocked.Increment(ref _firings);
        lock (_gate)
        {
            LastFiredAt = at;
            LastFiredBy = by;
        }
    }

    public void Suppress() => Interlocked.Increment(ref _suppressed);

    public void Sent() => Interlocked.Increment(ref _commandsSent);

    public void Refused(RefusedCommand refusal)
    {
        Interlocked.Increment(ref _commandsRefused);
        lock (_gate)
        {
            LastRefusal = refusal;
        }
    }

    public void Failed(string error)
    {
        Interlocked.Increment(ref _actionErrors);
        lock (_gate)
        {
            LastError = error;
        }
    }

    public (DateTimeOffset? At, string? By, RefusedCommand? Refusal, string? Error) Last()
    {
        lock (_gate)
        {
            return (LastFiredAt, LastFiredBy, LastRefusal, LastError);
        }
    }
}
