namespace SmartCommunity.Edge.Alerts;

using System;

/// <summary>How urgent an alert is, for people and for the order the operator's page shows them in.</summary>
public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>Where an alert stands: raised and waiting for a person, acknowledged by one, or cleared.</summary>
public enum AlertState
{
    Raised,
    Acknowledged,
    Cleared,
}

/// <summary>
/// One alert for people: raised by a rule (or another part of the edge, named in <see cref="Rule"/>), acknowledged
/// by a named operator, cleared by one. <see cref="Repeats"/> counts how often the same rule raised it again for the
/// same device and building while it was still open.
/// </summary>
public sealed record Alert(
    long Id,
    string Rule,
    AlertSeverity Severity,
    string Text,
    string? Device,
    string? Building,
    DateTimeOffset RaisedAt,
    DateTimeOffset LastRaisedAt,
    int Repeats,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? ClearedBy,
    DateTimeOffset? ClearedAt)
{
    public AlertState State => ClearedAt is not null ? AlertState.Cleared : AcknowledgedAt is not null ? AlertState.Acknowledged : AlertState.Raised;

    public bool IsOpen => ClearedAt is null;
}

/// <summary>What an operator's acknowledge or clear did.</summary>
public enum AlertChangeResult
{
    Done,

    /// <summary>No alert has that id.</summary>
    NotFound,

    /// <summary>Someone acknowledged it already; <see cref="AlertChange.Alert"/> says who and when.</summary>
    AlreadyAcknowledged,

    /// <summary>It is cleared; nothing more can change.</summary>
    AlreadyCleared,
}

/// <summary>The outcome of an acknowledge or clear, with the alert as it now stands (null when not found).</summary>
public sealed record AlertChange(AlertChangeResult Result, Alert? Alert);
