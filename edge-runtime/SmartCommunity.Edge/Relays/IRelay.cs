namespace SmartCommunity.Edge.Relays;

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

/// <summary>
/// One backend the edge forwards its event log to. The relay engine (<see cref="RelayHub"/>) owns the outbox, the
/// order, the cursors, retries and dead letters; a relay only moves one batch and says what became of each message.
/// </summary>
/// <remarks>
/// Contract: return exactly one outcome per message, in batch order. Try every message of the batch (a relay may
/// pipeline them), and report <see cref="DeliveryResult.Delivered"/> only once the backend has taken responsibility
/// for it (an MQTT PUBACK, a 2xx). Throwing is allowed and means "retry every message later". The engine disposes
/// the relays it was given.
/// </remarks>
public interface IRelay : IAsyncDisposable
{
    /// <summary>Unique among the edge's relays; 1-32 characters of a-z, 0-9, '-', '_'. It keys the relay's cursors.</summary>
    string Name { get; }

    Task<IReadOnlyList<DeliveryOutcome>> DeliverAsync(IReadOnlyList<RelayMessage> batch, CancellationToken cancellationToken);
}

public enum DeliveryResult
{
    /// <summary>The backend accepted the message.</summary>
    Delivered,

    /// <summary>Not accepted this time (backend down, busy, timed out): the engine sends it again, after a backoff if nothing moved.</summary>
    RetryLater,

    /// <summary>The backend will never accept this message: the engine dead-letters it at once and moves on.</summary>
    Refused,
}

/// <summary>What became of one message; <see cref="Reason"/> says why for anything but a delivery.</summary>
public readonly record struct DeliveryOutcome(DeliveryResult Result, string? Reason = null)
{
    public static readonly DeliveryOutcome Delivered = new(DeliveryResult.Delivered);

    public static DeliveryOutcome RetryLater(string reason) => new(DeliveryResult.RetryLater, reason);

    public static DeliveryOutcome Refused(string reason) => new(DeliveryResult.Refused, reason);
}
