namespace SmartCommunity.Edge.Calls;

using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>A resident's button press ("call") or an inactivity alarm of the call point ("welfare").</summary>
public enum CallKind
{
    Call,
    Welfare,
}

/// <summary>Where a call stands. Held and Open are active; Acknowledged and Cancelled are final.</summary>
public enum CallState
{
    /// <summary>A welfare call that arrived in the call point's quiet hours: recorded, escalation waits for their end.</summary>
    Held,

    /// <summary>Escalating until someone acknowledges it.</summary>
    Open,

    /// <summary>A person acknowledged it, naming its call id (operator, webhook callback or the backend's ack message).</summary>
    Acknowledged,

    /// <summary>Ended at the call point: "call-cancelled" or "welfare-cleared".</summary>
    Cancelled,
}

/// <summary>One step of escalation taken, and when.</summary>
public sealed record CallStep(EscalationStage Stage, string? Relay, DateTimeOffset At)
{
    public string Key => Relay is null ? NameOf(Stage) : "relay:" + Relay;

    public static string NameOf(EscalationStage stage) => stage switch
    {
        EscalationStage.Dispatched => "dispatched",
        EscalationStage.Escalated => "escalated",
        EscalationStage.OperatorAlert => "operator-alert",
        _ => "sounder",
    };

    public static bool TryParse(string name, out EscalationStage stage)
    {
        (bool known, stage) = name switch
        {
            "dispatched" => (true, EscalationStage.Dispatched),
            "escalated" => (true, EscalationStage.Escalated),
            "operator-alert" => (true, EscalationStage.OperatorAlert),
            "sounder" => (true, EscalationStage.Sounder),
            _ => (false, EscalationStage.Dispatched),
        };
        return known;
    }
}

/// <summary>
/// An emergency or welfare call as the edge keeps it (table <c>calls</c> of edge.db). Keyed by the call point and
/// the call id the point gave it; <see cref="Id"/> tells apart two calls that share an id (a point that numbers its
/// calls from 1 again after a power loss).
/// </summary>
/// <param name="EscalationFrom">When escalation started (the opening, or the end of quiet hours); null while held.</param>
/// <param name="ElapsedAtSave">How far the escalation clock had run at <paramref name="SavedAt"/> (wall clock), for a restart.</param>
/// <param name="Token">The call's secret for the webhook callback; never shown by the API.</param>
public sealed record EmergencyCall(
    long Id,
    string Device,
    string CallId,
    CallKind Kind,
    string Site,
    string Building,
    string? Unit,
    long Boot,
    long? IdleMs,
    DateTimeOffset OpenedAt,
    CallState State,
    DateTimeOffset? EscalationFrom,
    TimeSpan ElapsedAtSave,
    DateTimeOffset SavedAt,
    IReadOnlyList<CallStep> Steps,
    long? AlertId,
    string Token,
    string? AcknowledgedBy = null,
    string? AcknowledgedVia = null,
    DateTimeOffset? AcknowledgedAt = null,
    string? ClosedReason = null,
    DateTimeOffset? ClosedAt = null)
{
    public bool IsActive => State is CallState.Held or CallState.Open;

    public bool Sounded => Steps.Any(s => s.Stage == EscalationStage.Sounder);

    public bool HasDone(EscalationStep step) => Steps.Any(s => s.Key == step.Key);

    /// <summary>Where the call stands, in one word for people: held, received, dispatched, escalated, operator-alert, sounder, acknowledged, cancelled.</summary>
    public string Stage => State switch
    {
        CallState.Held => "held",
        CallState.Acknowledged => "acknowledged",
        CallState.Cancelled => "cancelled",
        _ => Steps.Count == 0 ? "received" : CallStep.NameOf(Steps[^1].Stage),
    };

    public static string NameOf(CallKind kind) => kind == CallKind.Welfare ? "welfare" : "call";

    public static string NameOf(CallState state) => state switch
    {
        CallState.Held => "held",
        CallState.Open => "open",
        CallState.Acknowledged => "acknowledged",
        _ => "cancelled",
    };
}
