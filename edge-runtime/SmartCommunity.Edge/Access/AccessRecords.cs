namespace SmartCommunity.Edge.Access;

using System;
using System.Collections.Generic;

/// <summary>
/// One line of the access audit trail (GET /access/events): a decision a door reported, a decision the edge made, a
/// confirmed passage, an anti-passback violation or a door alarm. Every one is also in the event log (channel
/// <see cref="AccessControl.Channel"/>).
/// </summary>
/// <param name="At">When it happened: for a door's event computed from the message's uptime fields, so an event the door buffered while offline keeps its own time.</param>
/// <param name="AtApproximate">True when the door's event did not say when it happened (or said it in an earlier boot): <paramref name="At"/> is then the time it arrived.</param>
/// <param name="Event">access (the door decided), decision (the edge decided), passage, anti-passback, or the door's door-forced(-cleared), door-held(-cleared), bad-frame, link-lost, link-restored.</param>
/// <param name="Details">A JSON object with the rest (reader, offline, request number, group, who...).</param>
public sealed record AccessAuditEntry(
    long Id,
    DateTimeOffset At,
    bool AtApproximate,
    DateTimeOffset LoggedAt,
    string Door,
    string? Card,
    string Event,
    string? Decision,
    string? Why,
    string Details);

/// <summary>A filter over the audit trail; null parts match everything. <see cref="To"/> is exclusive.</summary>
public sealed record AccessAuditQuery(string? Door, string? Card, DateTimeOffset? From, DateTimeOffset? To, int Limit);

/// <summary>Where a card stands in an anti-passback group: the direction and time of its last confirmed passage there.</summary>
public sealed record PassbackState(string Group, string Card, string Direction, string Door, DateTimeOffset At);

/// <summary>The edge's answer to an access request, before it is sent.</summary>
/// <param name="Why">For a grant: "valid", or "anti-passback-soft" when a soft group logged a violation; for a deny the reason sent to the door.</param>
/// <param name="Group">The anti-passback group that decided or logged, if any.</param>
public sealed record AccessDecision(bool Granted, string Why, string? Group = null, AntiPassbackVerdict? Violation = null);

/// <summary>What an anti-passback group says about one passage attempt.</summary>
public sealed record AntiPassbackVerdict(string Group, string Mode, string Problem, PassbackState Last);

/// <summary>Where one door's allow-list stands: the edge's version and what the controller last said it holds.</summary>
public sealed record DoorAccessStatus(
    string Door,
    string Building,
    IReadOnlyList<string> Groups,
    string? Direction,
    bool Online,
    long TargetVersion,
    long? ReportedVersion,
    bool? ListFull,
    int Entries,
    string? Syncing,
    string? LastResult,
    DateTimeOffset? LastResultAt);
