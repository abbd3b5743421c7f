namespace SmartCommunity.Edge.Rules;

using System;
using System.Collections.Generic;
using System.Linq;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>
/// Where a trigger looks and what an action reaches, relative to the device that triggered the rule
/// (hardware-docs/rules.md, "Scopes"). Ordered from narrow to wide.
/// </summary>
public enum RuleScope
{
    Device,
    Zone,
    Floor,
    Building,
    Site,
}

public enum TriggerType
{
    Event,
    Held,
    Absence,
    Count,
}

/// <summary>A rules file that loaded: its rules, where it came from, and the hash of its text.</summary>
public sealed record RuleSet(string File, string Hash, IReadOnlyList<RuleDefinition> Rules)
{
    public static RuleSet Empty(string file) => new(file, "", []);
}

/// <summary>
/// One named rule: a trigger and the actions it runs. <see cref="Fingerprint"/> identifies the trigger's meaning,
/// so a reload that changes only the actions keeps the rule's pending timers.
/// </summary>
public sealed record RuleDefinition(
    string Name,
    string? Description,
    bool Enabled,
    TimeSpan Cooldown,
    RuleTrigger Trigger,
    IReadOnlyList<RuleAction> Actions,
    string Fingerprint,
    long Line);

/// <summary>Which devices a trigger watches: by kind, role, explicit ids and place. Unset parts match every device.</summary>
public sealed record DeviceMatch(string? Kind, string? Role, IReadOnlyList<string>? Ids, string? Building, string? Floor, string? Zone)
{
    public static readonly DeviceMatch Any = new(null, null, null, null, null, null);

    public bool Matches(DeviceDefinition device) =>
        (Kind is null || device.Kind == Kind)
        && (Role is null || device.Role == Role)
        && (Ids is null || Ids.Contains(device.Id))
        && (Building is null || device.Building == Building)
        && (Floor is null || device.Floor == Floor)
        && (Zone is null || device.Zone == Zone);

    public string Describe()
    {
        var parts = new List<string>();
        if (Ids is not null)
        {
            parts.Add(string.Join(", ", Ids));
        }

        if (Role is not null)
        {
            parts.Add(Role);
        }

        if (Kind is not null)
        {
            parts.Add(Kind);
        }

        string place = string.Join("/", new[] { Building, Floor, Zone }.Where(p => p is not null));
        if (place.Length > 0)
        {
            parts.Add("in " + place);
        }

        return parts.Count == 0 ? "any device" : string.Join(" ", parts);
    }
}

public abstract record RuleTrigger(DeviceMatch Devices, RuleScope Scope)
{
    public abstract TriggerType Type { get; }

    /// <summary>In words, for the status page and the reason of the commands a rule sends.</summary>
    public abstract string Describe();
}

/// <summary>Each message that matches fires the rule (state and field conditions only when they become true).</summary>
public sealed record EventTrigger(DeviceMatch Devices, RuleScope Scope, MessageMatch Match) : RuleTrigger(Devices, Scope)
{
    public override TriggerType Type => TriggerType.Event;

    public override string Describe() => $"{Match.Describe()} from {Devices.Describe()}";
}

/// <summary>A device's reported fields satisfy the conditions for <see cref="For"/> without a report to the contrary.</summary>
public sealed record HeldTrigger(DeviceMatch Devices, IReadOnlyList<FieldCondition> Conditions, TimeSpan For) : RuleTrigger(Devices, RuleScope.Device)
{
    public override TriggerType Type => TriggerType.Held;

    public override string Describe() => $"{string.Join(" and ", Conditions.Select(c => c.Describe()))} held for {Durations.Format(For)} at {Devices.Describe()}";
}

/// <summary>No data for <see cref="For"/> from a device (scope device) or from every matching device of a scope.</summary>
public sealed record AbsenceTrigger(DeviceMatch Devices, RuleScope Scope, TimeSpan For) : RuleTrigger(Devices, Scope)
{
    public override TriggerType Type => TriggerType.Absence;

    public override string Describe() => $"no data for {Durations.Format(For)} from {Devices.Describe()}" + (Scope == RuleScope.Device ? "" : $" in a {Scope.ToString().ToLowerInvariant()}");
}

/// <summary>At least <see cref="AtLeast"/> matching messages (from as many devices, when <see cref="Distinct"/>) within a window in one scope.</summary>
public sealed record CountTrigger(DeviceMatch Devices, RuleScope Scope, MessageMatch Match, int AtLeast, TimeSpan Within, bool Distinct) : RuleTrigger(Devices, Scope)
{
    public override TriggerType Type => TriggerType.Count;

    public override string Describe() =>
        $"{AtLeast} x {Match.Describe()}{(Distinct ? " from different devices" : "")} within {Durations.Format(Within)} in one {Scope.ToString().ToLowerInvariant()} ({Devices.Describe()})";
}

public enum Presence
{
    Online,
    Offline,
}

/// <summary>
/// What a message must be: on a channel, an event by name, and field conditions; or a presence change. Matches
/// on anything but an event name or a presence change are edge-triggered per device: they fire when the
/// conditions become true, not on every heartbeat that repeats them.
/// </summary>
public sealed record MessageMatch(string? Channel, string? EventName, IReadOnlyList<FieldCondition> Conditions, Presence? Presence)
{
    public bool EdgeTriggered => EventName is null && Presence is null && Channel is not (SmartCommunity.Protocol.Channel.Event or SmartCommunity.Protocol.Channel.Ack);

    public MatchResult Evaluate(Ingest.DeviceMessage message)
    {
        if (Presence is not null)
        {
            return MatchResult.NotApplicable;
        }

        if ((Channel is not null && message.Channel != Channel) || (EventName is not null && message.EventName != EventName))
        {
            return MatchResult.NotApplicable;
        }

        return FieldCondition.EvaluateAll(Conditions, message.Body);
    }

    public string Describe()
    {
        if (Presence is { } presence)
        {
            return presence == Rules.Presence.Online ? "coming online" : "going offline";
        }

        string what = EventName is not null ? $"event {EventName}" : Channel is not null ? $"{Channel}" : "a message";
        return Conditions.Count == 0 ? what : $"{what} with {string.Join(" and ", Conditions.Select(c => c.Describe()))}";
    }
}

public enum MatchResult
{
    /// <summary>The message says nothing about this (another channel or event, or a field is missing).</summary>
    NotApplicable,

    NoMatch,

    Match,
}

public enum ConditionOperator
{
    Equals,
    Above,
    Below,
}

/// <summary>One condition on a top-level field of a device's JSON message: equals a value, or a number above or below one.</summary>
public sealed record FieldCondition(string Field, ConditionOperator Operator, string Value, double? Number)
{
    public static MatchResult EvaluateAll(IReadOnlyList<FieldCondition> conditions, System.Text.Json.JsonElement body)
    {
        bool all = true;
        foreach (FieldCondition condition in conditions)
        {
            bool? holds = condition.Evaluate(body);
            if (holds is null)
            {
                return MatchResult.NotApplicable;
            }

            all &= holds.Value;
        }

        return all ? MatchResult.Match : MatchResult.NoMatch;
    }

    /// <summary>Null when the message does not carry the field.</summary>
    public bool? Evaluate(System.Text.Json.JsonElement body)
    {
        if (body.ValueKind != System.Text.Json.JsonValueKind.Object || !body.TryGetProperty(Field, out System.Text.Json.JsonElement value))
        {
            return null;
        }

        return Operator switch
        {
            ConditionOperator.Equals => value.ValueKind switch
            {
                System.Text.Json.JsonValueKind.String => value.GetString() == Value,
                System.Text.Json.JsonValueKind.True => Value == "true",
                System.Text.Json.JsonValueKind.False => Value == "false",
                System.Text.Json.JsonValueKind.Null => Value is "null" or "~" or "",
                System.Text.Json.JsonValueKind.Number => Number is { } n && value.TryGetDouble(out double d) && d == n,
                _ => false,
            },
            ConditionOperator.Above => value.ValueKind == System.Text.Json.JsonValueKind.Number && value.TryGetDouble(out double above) && above > Number,
            _ => value.ValueKind == System.Text.Json.JsonValueKind.Number && value.TryGetDouble(out double below) && below < Number,
        };
    }

    public string Describe() => Operator switch
    {
        ConditionOperator.Equals => $"{Field} = {Value}",
        ConditionOperator.Above => $"{Field} > {Value}",
        _ => $"{Field} < {Value}",
    };
}

public abstract record RuleAction(long Line);

/// <summary>A command to every device the selector finds, sent through the safety gates.</summary>
public sealed record CommandAction(CommandKind Command, DeviceSelector Target, long DurationMs, long Line) : RuleAction(Line);

public sealed record AlertAction(AlertSeverity Severity, TextTemplate Text, long Line) : RuleAction(Line);

/// <summary>Forwards the firing and its triggering message to the backends through the event log's priority lane.</summary>
public sealed record RelayAction(TextTemplate? Note, long Line) : RuleAction(Line);

/// <summary>Devices an action reaches: by kind, role or explicit ids, within a scope relative to the trigger.</summary>
public sealed record DeviceSelector(string? Kind, string? Role, IReadOnlyList<string>? Ids, RuleScope Scope)
{
    public bool Matches(DeviceDefinition device, ScopeInstance around) =>
        (Kind is null || device.Kind == Kind)
        && (Role is null || device.Role == Role)
        && (Ids is not null ? Ids.Contains(device.Id) : around.Contains(device, Scope));
}
