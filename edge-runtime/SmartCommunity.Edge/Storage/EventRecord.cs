namespace SmartCommunity.Edge.Storage;

using System;

/// <summary>
/// One line of the event log: a device message as received, or something the edge did (a command sent, a
/// fire latched or reset). <see cref="Source"/> is the device id, or "edge" for the edge's own entries.
/// </summary>
public sealed record EventRecord(
    DateTimeOffset At,
    string Site,
    string Building,
    string Source,
    string Channel,
    string? Name,
    long Sequence,
    long Boot,
    string Payload);

/// <summary>The persisted fire latch of one building.</summary>
public sealed record FireLatchRecord(string Site, string Building, bool Latched, DateTimeOffset Since, string By);
