namespace SmartCommunity.Edge.Tests.Relays;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Relays;

/// <summary>
/// An in-memory backend for the relay engine's tests: up or down as the test says, with a per-message verdict, and
/// a record of every message it accepted in the order it accepted them (duplicates included).
/// </summary>
internal sealed class ScriptedRelay(string name = "scripted") : IRelay
{
    private readonly ConcurrentQueue<RelayMessage> _accepted = new();
    private int _attempts;
    private volatile bool _down;

    public string Name { get; } = name;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public Func<RelayMessage, DeliveryOutcome> Verdict { get; set; } = _ => DeliveryOutcome.Delivered;

    public int Attempts => Volatile.Read(ref _attempts);

    public IReadOnlyList<RelayMessage> Accepted => _accepted.ToArray();

    public IReadOnlyList<string> AcceptedKeys => Accepted.Select(m => m.Key).ToList();

    public bool Disposed { get; private set; }

    public Task<IReadOnlyList<DeliveryOutcome>> DeliverAsync(IReadOnlyList<RelayMessage> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        if (_down)
        {
            return Task.FromResult<IReadOnlyList<DeliveryOutcome>>(batch.Select(_ => DeliveryOutcome.RetryLater("backend down")).ToArray());
        }

        var outcomes = new DeliveryOutcome[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            outcomes[i] = Verdict(batch[i]);
            if (outcomes[i].Result == DeliveryResult.Delivered)
            {
                _accepted.Enqueue(batch[i]);
            }
        }

        return Task.FromResult<IReadOnlyList<DeliveryOutcome>>(outcomes);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
