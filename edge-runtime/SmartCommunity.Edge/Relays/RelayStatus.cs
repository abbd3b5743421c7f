namespace SmartCommunity.Edge.Relays;

using System;
using System.Text.Json;
using System.Text.Json.Serialization;

[JsonConverter(typeof(JsonStringEnumConverter<RelayState>))]
public enum RelayState
{
    /// <summary>Started; no delivery attempted yet.</summary>
    [JsonStringEnumMemberName("starting")]
    Starting,

    /// <summary>The last attempt reached the backend and moved messages (or there was nothing to send since).</summary>
    [JsonStringEnumMemberName("connected")]
    Connected,

    /// <summary>The last attempt failed; the next one waits for the backoff (see <see cref="RelayStatus.NextAttemptAt"/>).</summary>
    [JsonStringEnumMemberName("backing-off")]
    BackingOff,

    [JsonStringEnumMemberName("stopped")]
    Stopped,
}

/// <summary>
/// What an operator sees of one relay (GET /relays). Counters are since the edge started, except
/// <see cref="DeadLettered"/>, which counts the relay's dead-letter table. Lag is in event-log rows still to send.
/// </summary>
public sealed record RelayStatus(
    string Name,
    string Kind,
    string Target,
    RelayState State,
    DateTimeOffset StateSince,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastDeliveredAt,
    RelayLaneStatus Priority,
    RelayLaneStatus Bulk,
    long Delivered,
    long Retried,
    long FailedAttempts,
    long DeadLettered,
    long DroppedCompacted)
{
    public long Lag => Priority.Lag + Bulk.Lag;
}

/// <summary>One lane of one relay: the last event id done and how many rows are still to go.</summary>
public sealed record RelayLaneStatus(long Cursor, long Lag);

/// <summary>A message set aside for one relay, with why and the envelope it would have sent.</summary>
public sealed record DeadLetter(
    long EventId,
    string Lane,
    string Key,
    string Source,
    string Channel,
    string Reason,
    int Attempts,
    DateTimeOffset SetAsideAt,
    JsonElement Envelope);
