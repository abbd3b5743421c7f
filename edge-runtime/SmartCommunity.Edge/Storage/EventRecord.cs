namespace SmartCommunity.Edge.Storage;

using System;

/// <summary>
/// One line of the event log: a device message as received, or something the edge did (a command sent, a
/// fire latched or reset, an operator's action). <see cref="Source"/> is the device id, or "edge" for the edge's
/// own entries. <see cref="Lane"/> decides what relays send first and what a full disk may drop.
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
    string Payload,
    EventLane Lane = EventLane.Bulk);

/// <summary>
/// Alarms, events, acks, commands and the edge's own actions travel in <see cref="Priority"/>: relayed ahead of
/// bulk, never dropped for disk space. Telemetry, state heartbeats and presence are <see cref="Bulk"/>.
/// </summary>
public enum EventLane
{
    Priority = 0,
    Bulk = 1,
}

/// <summary>The persisted fire latch of one building.</summary>
public sealed record FireLatchRecord(string Site, string Building, bool Latched, DateTimeOffset Since, string By);
