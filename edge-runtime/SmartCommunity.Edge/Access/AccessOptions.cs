namespace SmartCommunity.Edge.Access;

using System;

/// <summary>Tuning of access control (hardware-docs/access-control.md); the defaults suit a residential building.</summary>
public sealed class AccessOptions
{
    /// <summary>How many versions of each door's list the edge keeps, to send a controller a delta from what it holds.</summary>
    public int KeptVersions { get; init; } = 16;

    /// <summary>A door's unlock time when its layout params give no <c>unlockMs</c> (the firmware's default).</summary>
    public long DefaultUnlockMs { get; init; } = 5000;

    /// <summary>
    /// Added to the door's unlock time to give the window in which its door-opened confirms a granted card's passage:
    /// the door reports the opening a moment after it happens, and the edge's grant reaches it a moment late.
    /// </summary>
    public TimeSpan PassageSlack { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a full list may be refused in a row (out-of-order parts) before the edge stops and raises an alert.</summary>
    public int MaxFullAttempts { get; init; } = 3;

    /// <summary>How often lists are recomputed (cards whose window ended leave the lists) and stalled syncs retried.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long the queryable audit trail keeps entries (the event log keeps its own copy under its own retention).</summary>
    public TimeSpan AuditRetention { get; init; } = TimeSpan.FromDays(400);

    /// <summary>How many audit entries GET /access/events returns at most.</summary>
    public const int MaxAuditLimit = 10_000;
}
