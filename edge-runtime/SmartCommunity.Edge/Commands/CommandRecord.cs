namespace SmartCommunity.Edge.Commands;

using System;

/// <summary>Where a command stands: sent and waiting, or how it ended (hardware-docs/protocol.md §4).</summary>
public enum CommandState
{
    /// <summary>Sent (perhaps several times) and not acknowledged yet.</summary>
    Pending,

    /// <summary>The device acknowledged it as carried out.</summary>
    Done,

    /// <summary>The device acknowledged it and refused it; see the reason.</summary>
    Rejected,

    /// <summary>No ack before its expiry or its last attempt.</summary>
    Expired,

    /// <summary>Withdrawn by the edge before an ack, e.g. a lock cancelled by a fire alarm.</summary>
    Cancelled,
}

/// <summary>One command's story, for the API: so an operator sees that a door released, not only that we asked.</summary>
public sealed record CommandRecord(
    string Id,
    string Device,
    string Building,
    string Command,
    CommandOrigin Origin,
    string? Operator,
    string Reason,
    DateTimeOffset SentAt,
    int Attempts,
    CommandState State,
    DateTimeOffset? SettledAt,
    string? Result);
