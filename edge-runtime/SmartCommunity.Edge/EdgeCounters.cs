namespace SmartCommunity.Edge;

using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

/// <summary>What the edge has counted since it started; served on /health and /metrics.</summary>
public sealed class EdgeCounters
{
    private readonly ConcurrentDictionary<string, long> _refusedByReason = new();
    private long _accepted;
    private long _refused;
    private long _duplicates;
    private long _commandsSent;
    private long _commandRetries;
    private long _commandsRefused;
    private long _acks;
    private long _rejectedAcks;
    private long _commitFailures;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Refused => Interlocked.Read(ref _refused);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long CommandsSent => Interlocked.Read(ref _commandsSent);

    public long CommandRetries => Interlocked.Read(ref _commandRetries);

    /// <summary>Commands a safety gate refused before they were sent.</summary>
    public long CommandsRefused => Interlocked.Read(ref _commandsRefused);

    public long Acks => Interlocked.Read(ref _acks);

    public long RejectedAcks => Interlocked.Read(ref _rejectedAcks);

    public long CommitFailures => Interlocked.Read(ref _commitFailures);

    public IReadOnlyDictionary<string, long> RefusedByReason => new Dictionary<string, long>(_refusedByReason);

    public void CountAccepted() => Interlocked.Increment(ref _accepted);

    /// <summary>Counts a refused message under a short, stable category (not the full reason text).</summary>
    public void CountRefused(string category)
    {
        Interlocked.Increment(ref _refused);
        _refusedByReason.AddOrUpdate(category, 1, (_, n) => n + 1);
    }

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    public void CountCommandSent() => Interlocked.Increment(ref _commandsSent);

    public void CountCommandRetry() => Interlocked.Increment(ref _commandRetries);

    public void CountCommandRefused() => Interlocked.Increment(ref _commandsRefused);

    public void CountAck(bool rejected)
    {
        Interlocked.Increment(ref _acks);
        if (rejected)
        {
            Interlocked.Increment(ref _rejectedAcks);
        }
    }

    public void CountCommitFailure() => Interlocked.Increment(ref _commitFailures);
}
