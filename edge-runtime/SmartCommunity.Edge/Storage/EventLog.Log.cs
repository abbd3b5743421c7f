namespace SmartCommunity.Edge.Storage;

using System;
using Microsoft.Extensions.Logging;

public sealed partial class EventLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Event log commit of {Count} records failed; none of them is acknowledged")]
    private static partial void LogCommitFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event log {Path}: added the hash chain; {Rows} existing rows (ids up to {LastId}) predate it and are covered by a migration anchor")]
    private static partial void LogMigrated(ILogger logger, string path, long rows, long lastId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log {Path}: the one-off VACUUM to enable incremental auto-vacuum failed; freed pages are reused but the file will not shrink")]
    private static partial void LogVacuumFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log {Path}: rows {From}..{To} are missing from the end without an anchor; `sc-edge log verify` will report the gap")]
    private static partial void LogTailMissing(ILogger logger, string path, long from, long to);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event log {Path}: the stored hash of the chain's head (row {Id}) is not a SHA-256; new rows chain from genesis and `sc-edge log verify` will report the break")]
    private static partial void LogHeadInvalid(ILogger logger, string path, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event log retention: compacted {Compacted}, pruned {PrunedByAge} by age and {PrunedBySize} by size; {Before} -> {After} bytes in use")]
    private static partial void LogRetention(ILogger logger, long compacted, long prunedByAge, long prunedBySize, long before, long after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log over budget: {Used} bytes in use, budget {Budget}; what is left is not yet relayed (first id still needed {Guard}) and is kept")]
    private static partial void LogOverBudget(ILogger logger, long used, long budget, long guard);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event log retention pass failed; it runs again at the next check")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention guard {Guard} failed; nothing is pruned this pass")]
    private static partial void LogGuardFailed(ILogger logger, string guard, Exception exception);
}
