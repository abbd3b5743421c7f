namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using SmartCommunity.Edge.Commands;

/// <summary>
/// How commands ended, from <see cref="CommandPublisher.Settled"/>: counts by state, and for acknowledged ones the
/// time from the first send to the ack, per command name (release latency is the one a fire depends on).
/// </summary>
public sealed class CommandMetrics
{
    private readonly ConcurrentDictionary<string, LatencyHistogram> _latency = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<CommandState, long> _settled = new();

    /// <summary>Subscribed to <see cref="CommandPublisher.Settled"/>; runs on the settling thread, so it only counts.</summary>
    public void OnSettled(CommandRecord record)
    {
        _settled.AddOrUpdate(record.State, 1, (_, n) => n + 1);
        if (record.State is CommandState.Done or CommandState.Rejected && record.SettledAt is { } settledAt)
        {
            _latency.GetOrAdd(record.Command, _ => new LatencyHistogram(LatencyHistogram.CommandBounds)).Record(settledAt - record.SentAt);
        }
    }

    public IReadOnlyDictionary<CommandState, long> SettledByState => new Dictionary<CommandState, long>(_settled);

    public IReadOnlyDictionary<string, LatencyHistogram> LatencyByCommand => new Dictionary<string, LatencyHistogram>(_latency);
}
