namespace SmartCommunity.Edge.Storage;

using System;

/// <summary>How much history the event log keeps (edge-runtime/README.md, "Event log").</summary>
public sealed class RetentionOptions
{
    /// <summary>Rows older than this are pruned from the oldest end, once every relay has sent them.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(400);

    /// <summary>Disk budget for the database and its write-ahead log together.</summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>How often the retention pass runs; the first run comes after at most one minute, so a box that restarts often still gets one.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMinutes(10);
}
