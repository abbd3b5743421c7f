namespace SmartCommunity.Edge.Storage;

using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

/// <summary>
/// Retention (edge-runtime/README.md, "Event log"). A pass runs inside the writer loop, like every other write, in
/// chunks of <see cref="RetentionChunk"/> rows, each its own transaction, with the records queued meanwhile committed
/// between chunks, so an alarm waits for at most one chunk, never for a whole pass.
/// <list type="number">
/// <item>Age: rows older than <see cref="RetentionOptions.MaxAge"/> are pruned from the oldest end.</item>
/// <item>Size, while over <see cref="RetentionOptions.MaxBytes"/>: bulk rows (telemetry, state, status) are compacted
/// oldest first (payload emptied, payload_hash and hash kept, so the chain still verifies); then rows of any lane are
/// pruned from the oldest end.</item>
/// </list>
/// Pruning never reaches a row a guard still needs (<see cref="IRetentionGuard"/>): a priority row is only pruned
/// once every relay has sent it, and if the budget still cannot be met the pass counts and logs "over budget" rather
/// than drop it. Every pruning chunk records an anchor in <c>chain_anchor</c> in the same transaction as its DELETE,
/// and a pass that pruned appends a "retention-anchor" entry to the log itself.
/// </summary>
public sealed partial class EventLog
{
    public const string AnchorSource = "edge";
    public const string AnchorChannel = "log";
    public const string AnchorName = "retention-anchor";

    internal const int RetentionChunk = 1000;

    // Every column of events but the payload: what compaction keeps of a row.
    private const string CompactColumns = "id, at, site, building, source, channel, name, seq, boot, lane, payload_hash, hash";

    // Records committed between two chunks of a pass, at most; the pass must finish even under a flood.
    private const int BatchesBetweenChunks = 8;

    private readonly List<TaskCompletionSource<RetentionResult>> _retentionWaiters = [];
    private readonly Lock _guardsLock = new();
    private readonly List<IRetentionGuard> _guards = [];
    private ITimer? _retentionTimer;
    private int _retentionQueued;
    private long _compactCursor;
    private long _pageSize = 4096;
    private string _chainStartHash = EventChain.Genesis;
    private string _lastPrunedSite = "";
    private ChainAnchor? _passAnchor;
    private volatile bool _closing;

    private long _compactedRows;
    private long _prunedRows;
    private long _overBudgetEvents;
    private long _retentionRuns;
    private long _retentionFailures;
    private long _lastRetentionUtcTicks;
    private long _anchorLastId;
    private int _overBudget;

    /// <summary>Adds something that still needs rows; pruning stops below the lowest id any guard needs.</summary>
    public void AddRetentionGuard(IRetentionGuard guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        lock (_guardsLock)
        {
            _guards.Add(guard);
        }
    }

    /// <summary>Runs one retention pass now, through the writer loop; completes when it is done.</summary>
    public Task<RetentionResult> RunRetentionAsync()
    {
        var request = new PendingWrite(null, null, null, new TaskCompletionSource<RetentionResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(request))
        {
            return Task.FromException<RetentionResult>(new ObjectDisposedException(nameof(EventLog), "the event log is closing"));
        }

        return request.Retention!.Task;
    }

    /// <summary>
    /// Runs retention every <see cref="RetentionOptions.CheckInterval"/> on the injected clock, the first time after at
    /// most a minute. A tick while a pass is still queued or running is skipped.
    /// </summary>
    public void StartRetentionTimer()
    {
        if (_retentionTimer is not null)
        {
            return;
        }

        TimeSpan interval = _retention.CheckInterval;
        TimeSpan first = interval < TimeSpan.FromMinutes(1) ? interval : TimeSpan.FromMinutes(1);
        _retentionTimer = _time.CreateTimer(_ => OnRetentionTick(), null, first, interval);
    }

    public EventLogStatus Status()
    {
        long ticks = Interlocked.Read(ref _lastRetentionUtcTicks);
        return new EventLogStatus(
            FileLength(Path) + FileLength(Path + "-wal"),
            _retention.MaxBytes,
            Interlocked.Read(ref _compactedRows),
            Interlocked.Read(ref _prunedRows),
            Interlocked.Read(ref _overBudgetEvents),
            Volatile.Read(ref _overBudget) != 0,
            Interlocked.Read(ref _retentionRuns),
            Interlocked.Read(ref _retentionFailures),
            ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero),
            Interlocked.Read(ref _anchorLastId));
    }

    private void StopRetentionTimer()
    {
        _closing = true;
        _retentionTimer?.Dispose();
    }

    private void OnRetentionTick()
    {
        if (Interlocked.Exchange(ref _retentionQueued, 1) == 1)
        {
            return;
        }

        // A failed pass is logged and counted inside; observing the task here keeps it from going unobserved.
        _ = RunRetentionAsync().ContinueWith(
            t => { Volatile.Write(ref _retentionQueued, 0); _ = t.Exception; },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void RunRetentionForWaiters()
    {
        RetentionResult? result = null;
        Exception? failure = null;
        if (_closing)
        {
            // The records still queued are committed, but a pass could hold up the shutdown; the next start runs it.
            failure = new ObjectDisposedException(nameof(EventLog), "the event log is closing");
        }
        else
        {
            try
            {
                result = RetentionPass();
            }
            catch (Exception ex)
            {
                // A chunk that failed rolled back whole; the chunks before it stand, each with its anchor.
                Interlocked.Increment(ref _retentionFailures);
                LogRetentionFailed(_logger, ex);
                failure = ex;
            }
        }

        // Requests that arrived during the pass are answered by it too: it measured after they came.
        foreach (TaskCompletionSource<RetentionResult> waiter in _retentionWaiters)
        {
            if (result is not null)
            {
                waiter.TrySetResult(result);
            }
            else
            {
                waiter.TrySetException(failure!);
            }
        }

        _retentionWaiters.Clear();
    }

    private RetentionResult RetentionPass()
    {
        DateTimeOffset now = _time.GetUtcNow();
        long guard = FirstIdStillNeeded();
        long usedBefore = MeasureUsedBytes();

        long prunedByAge = 0;
        DateTimeOffset cutoff = _retention.MaxAge >= now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - _retention.MaxAge;
        while (true)
        {
            (int pruned, bool more) = PruneChunk(guard, cutoff, now, RetentionChunk);
            prunedByAge += pruned;
            if (!more)
            {
                break;
            }

            KeepCommitting();
        }

        long used = prunedByAge > 0 ? MeasureUsedBytes() : usedBefore;
        long compacted = 0;
        while (used > _retention.MaxBytes)
        {
            (int count, bool more) = CompactChunk();
            if (!more)
            {
                break;
            }

            compacted += count;
            KeepCommitting();
            if (count > 0)
            {
                used = MeasureUsedBytes();
            }
        }

        // Pruning ends with the anchor entry and an anchor row, which may each need a fresh page: once pruning starts it
        // leaves room for them, or the pass would end a page over the budget it just met.
        long pruneTarget = _retention.MaxBytes - (2 * _pageSize);
        long prunedBySize = 0;
        while (used > _retention.MaxBytes || (prunedBySize > 0 && used > pruneTarget))
        {
            // Rows are about the same size and ids have no gaps past the anchor, so the excess over the average row
            // tells how many to take; a chunk at most, and the loop measures again.
            long rows = Math.Max(1, _headId - Interlocked.Read(ref _anchorLastId));
            long take = Math.Clamp(((used - pruneTarget) / Math.Max(1, used / rows)) + 1, 1, RetentionChunk);
            (int pruned, _) = PruneChunk(guard, null, now, (int)take);
            if (pruned == 0)
            {
                break;
            }

            prunedBySize += pruned;
            KeepCommitting();
            used = MeasureUsedBytes();
        }

        ChainAnchor? anchor = null;
        if (prunedByAge + prunedBySize > 0)
        {
            anchor = _passAnchor!;
            AppendAnchorEntry(anchor, now, prunedByAge, prunedBySize, compacted, used);
            Reclaim();
            used = MeasureUsedBytes();
        }

        bool overBudget = used > _retention.MaxBytes;
        if (overBudget)
        {
            Interlocked.Increment(ref _overBudgetEvents);
            LogOverBudget(_logger, used, _retention.MaxBytes, guard);
        }

        Volatile.Write(ref _overBudget, overBudget ? 1 : 0);
        Interlocked.Increment(ref _retentionRuns);
        Interlocked.Exchange(ref _lastRetentionUtcTicks, now.UtcTicks);
        if (compacted + prunedByAge + prunedBySize > 0)
        {
            LogRetention(_logger, compacted, prunedByAge, prunedBySize, usedBefore, used);
        }

        return new RetentionResult(compacted, prunedByAge, prunedBySize, overBudget, usedBefore, used, anchor);
    }

    private long FirstIdStillNeeded()
    {
        long first = long.MaxValue;
        lock (_guardsLock)
        {
            foreach (IRetentionGuard guard in _guards)
            {
                try
                {
                    first = Math.Min(first, guard.FirstIdStillNeeded());
                }
                catch (Exception ex)
                {
                    // A guard that cannot answer might need everything: prune nothing this pass.
                    LogGuardFailed(_logger, guard.GetType().Name, ex);
                    return 0;
                }
            }
        }

        return first;
    }

    /// <summary>Records queued while a pass runs are committed between its chunks.</summary>
    private void KeepCommitting()
    {
        for (int i = 0; i < BatchesBetweenChunks && _queue.Reader.TryPeek(out _); i++)
        {
            CommitAvailable();
        }
    }

    /// <summary>
    /// Deletes up to <paramref name="limit"/> of the oldest rows below <paramref name="guard"/> (and, for age, older than
    /// <paramref name="olderThan"/>, stopping at the first younger row) and records the anchor in the same transaction.
    /// <c>more</c> is true when a full chunk went and the next may qualify too.
    /// </summary>
    private (int Pruned, bool More) PruneChunk(long guard, DateTimeOffset? olderThan, DateTimeOffset now, int limit)
    {
        using var transaction = _writer.BeginTransaction();
        long lastId = 0;
        string? lastHash = null;
        string lastSite = "";
        int count = 0;
        bool stopped = false;
        using (var select = _writer.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT id, at, hash, site FROM events WHERE id < $guard ORDER BY id LIMIT $chunk";
            select.Parameters.AddWithValue("$guard", guard);
            select.Parameters.AddWithValue("$chunk", limit);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                if (olderThan is { } cutoff &&
                    !(DateTimeOffset.TryParse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset at) && at < cutoff))
                {
                    stopped = true;
                    break;
                }

                lastId = reader.GetInt64(0);
                lastHash = reader.IsDBNull(2) ? null : reader.GetString(2);
                lastSite = reader.GetString(3);
                count++;
            }
        }

        if (count == 0)
        {
            return (0, false);
        }

        using (var delete = _writer.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM events WHERE id <= $last";
            delete.Parameters.AddWithValue("$last", lastId);
            delete.ExecuteNonQuery();
        }

        // A row from before the chain has no hash of its own; the next hashed row chains from the migration anchor.
        string anchorHash = lastHash ?? _chainStartHash;
        using (var anchor = _writer.CreateCommand())
        {
            anchor.Transaction = transaction;
            anchor.CommandText = "INSERT INTO chain_anchor (kind, last_id, hash, at, rows) VALUES ($kind, $last, $hash, $at, $rows)";
            anchor.Parameters.AddWithValue("$kind", ChainAnchor.Prune);
            anchor.Parameters.AddWithValue("$last", lastId);
            anchor.Parameters.AddWithValue("$hash", anchorHash);
            anchor.Parameters.AddWithValue("$at", now.ToString("O", CultureInfo.InvariantCulture));
            anchor.Parameters.AddWithValue("$rows", count);
            anchor.ExecuteNonQuery();
        }

        long anchorId = Scalar(_writer, "SELECT last_insert_rowid()", transaction);
        transaction.Commit();
        _passAnchor = new ChainAnchor(anchorId, ChainAnchor.Prune, lastId, anchorHash, now, count);
        Interlocked.Add(ref _prunedRows, count);
        _lastPrunedSite = lastSite;
        Interlocked.Exchange(ref _anchorLastId, Math.Max(Interlocked.Read(ref _anchorLastId), lastId));
        return (count, !stopped && count == limit);
    }

    /// <summary>
    /// Empties the payloads of the bulk rows among the next <see cref="RetentionChunk"/> bulk rows after the cursor
    /// (oldest first) that still have one; <c>more</c> is false once no bulk row is left to look at. Looking at a bounded
    /// number of rows per step keeps the first pass after a restart, whose cursor starts at 0, from scanning a long
    /// compacted prefix in one go. The rows are deleted and inserted again, same id and hashes, empty payload: an UPDATE
    /// to a shorter row only frees bytes inside its page (SQLite rebalances pages when cells are deleted or overflow,
    /// not when they shrink), so page usage, and the disk, would not move at all.
    /// </summary>
    private (int Compacted, bool More) CompactChunk()
    {
        using var transaction = _writer.BeginTransaction();
        long scannedUpTo;
        using (var scan = _writer.CreateCommand())
        {
            scan.Transaction = transaction;
            scan.CommandText = "SELECT max(id) FROM (SELECT id FROM events WHERE lane = $bulk AND id > $cursor ORDER BY id LIMIT $chunk)";
            scan.Parameters.AddWithValue("$bulk", (long)EventLane.Bulk);
            scan.Parameters.AddWithValue("$cursor", _compactCursor);
            scan.Parameters.AddWithValue("$chunk", RetentionChunk);
            if (scan.ExecuteScalar() is not long upTo)
            {
                return (0, false);
            }

            scannedUpTo = upTo;
        }

        Execute(_writer, "DELETE FROM temp.compact_chunk", transaction);
        int count;
        using (var select = _writer.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = $"INSERT INTO temp.compact_chunk ({CompactColumns}) SELECT {CompactColumns} FROM events " +
                "WHERE lane = $bulk AND id > $cursor AND id <= $upTo AND payload <> '' ORDER BY id";
            select.Parameters.AddWithValue("$bulk", (long)EventLane.Bulk);
            select.Parameters.AddWithValue("$cursor", _compactCursor);
            select.Parameters.AddWithValue("$upTo", scannedUpTo);
            count = select.ExecuteNonQuery();
        }

        if (count > 0)
        {
            Execute(_writer, "DELETE FROM events WHERE id IN (SELECT id FROM temp.compact_chunk)", transaction);
            Execute(_writer, $"INSERT INTO events ({CompactColumns}, payload) SELECT {CompactColumns}, '' FROM temp.compact_chunk ORDER BY id", transaction);
            Execute(_writer, "DELETE FROM temp.compact_chunk", transaction);
        }

        transaction.Commit();
        _compactCursor = scannedUpTo;
        Interlocked.Add(ref _compactedRows, count);
        return (count, true);
    }

    /// <summary>The anchor as an entry of the chain itself, so the log tells its own history of pruning.</summary>
    private void AppendAnchorEntry(ChainAnchor anchor, DateTimeOffset now, long prunedByAge, long prunedBySize, long compacted, long usedBytes)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", 1);
            json.WriteNumber("lastPrunedId", anchor.LastId);
            json.WriteString("lastPrunedHash", anchor.Hash);
            json.WriteNumber("pruned", prunedByAge + prunedBySize);
            json.WriteNumber("prunedByAge", prunedByAge);
            json.WriteNumber("prunedBySize", prunedBySize);
            json.WriteNumber("compacted", compacted);
            json.WriteNumber("usedBytes", usedBytes);
            json.WriteNumber("maxBytes", _retention.MaxBytes);
            json.WriteEndObject();
        }

        string payload = Encoding.UTF8.GetString(buffer.WrittenSpan);
        var record = new EventRecord(now, _lastPrunedSite, "", AnchorSource, AnchorChannel, AnchorName, 0, 0, payload, EventLane.Priority);
        long headId = _headId;
        string headHash = _headHash;
        using var transaction = _writer.BeginTransaction();
        _insert.Transaction = transaction;
        InsertRow(record, EventChain.PayloadHash(payload), ref headId, ref headHash);
        transaction.Commit();
        (_headId, _headHash) = (headId, headHash);
    }

    /// <summary>
    /// Gives the pages freed by pruning back to the file system: the database is created with auto_vacuum=INCREMENTAL,
    /// so incremental_vacuum moves free pages to the end and truncates, in small steps inside the writer; a full VACUUM
    /// would need twice the space and block the writer for the whole rebuild. The TRUNCATE checkpoint then copies the
    /// WAL back and cuts it to zero bytes.
    /// </summary>
    private void Reclaim()
    {
        Execute(_writer, "PRAGMA incremental_vacuum");
        Checkpoint();
    }

    /// <summary>
    /// What the log occupies for the budget: the pages in use (page_count − freelist_count, times page_size; free pages
    /// are reused before the file grows, so they are not pressure) plus the WAL file as it is after a checkpoint. The
    /// checkpoint does not wait for readers (busy_timeout 0): a reader pinning the WAL makes it count in full, which can
    /// only prune a little early, never let the disk fill.
    /// </summary>
    private long MeasureUsedBytes()
    {
        Checkpoint();
        _pageSize = Scalar(_writer, "PRAGMA page_size");
        long pages = Scalar(_writer, "PRAGMA page_count");
        long free = Scalar(_writer, "PRAGMA freelist_count");
        return ((pages - free) * _pageSize) + FileLength(Path + "-wal");
    }

    private void Checkpoint()
    {
        Execute(_writer, "PRAGMA busy_timeout=0");
        try
        {
            Execute(_writer, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        finally
        {
            Execute(_writer, "PRAGMA busy_timeout=5000");
        }
    }

    private static long FileLength(string path)
    {
        try
        {
            var file = new FileInfo(path);
            return file.Exists ? file.Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
