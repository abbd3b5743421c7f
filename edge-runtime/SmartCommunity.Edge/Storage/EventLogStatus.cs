namespace SmartCommunity.Edge.Storage;

using System;

/// <summary>
/// The event log's retention counters, for /health and /metrics. <see cref="SizeBytes"/> is what the database and
/// its write-ahead log occupy on disk now. Counts are since the process started.
/// </summary>
public sealed record EventLogStatus(
    long SizeBytes,
    long MaxBytes,
    long CompactedRows,
    long PrunedRows,
    long OverBudgetEvents,
    bool OverBudget,
    long RetentionRuns,
    long RetentionFailures,
    DateTimeOffset? LastRetentionAt,
    long AnchorLastId);

/// <summary>What one retention pass did. <see cref="Anchor"/> is the anchor it wrote, if it pruned anything.</summary>
public sealed record RetentionResult(long Compacted, long PrunedByAge, long PrunedBySize, bool OverBudget, long UsedBytesBefore, long UsedBytesAfter, ChainAnchor? Anchor)
{
    public long Pruned => PrunedByAge + PrunedBySize;
}

/// <summary>
/// Where verification starts: every row up to <see cref="LastId"/> is gone (kind "prune") or predates the chain
/// (kind "migration"), and the first row after it chains from <see cref="Hash"/>.
/// </summary>
public sealed record ChainAnchor(long Id, string Kind, long LastId, string Hash, DateTimeOffset At, long Rows)
{
    public const string Prune = "prune";

    public const string Migration = "migration";
}
