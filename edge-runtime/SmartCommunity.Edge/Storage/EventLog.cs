namespace SmartCommunity.Edge.Storage;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

/// <summary>
/// The append-only event log and the fire latches, in one SQLite file in WAL mode.
/// Writes are group-committed: every caller's task completes only after the transaction holding its record
/// has committed, which is what "accepted" means (hardware-docs/protocol.md §8): the broker sends the PUBACK
/// after that task completes. One writer connection and one loop own all writes (appends, the hash chain,
/// retention); reads use their own connections. Each row is chained to the one before by a hash (<see cref="EventChain"/>),
/// assigned in the writer loop so ids and hashes follow commit order.
/// </summary>
public sealed partial class EventLog : IAsyncDisposable
{
    public const int MaxBatch = 512;

    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RetentionOptions _retention;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _writer;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _latch;
    private readonly EventChain _chain = new();
    private readonly List<PendingWrite> _batch = new(MaxBatch);
    private readonly Task _writerLoop;
    private long _committed;
    private long _batches;
    private long _pending;

    // The head of the chain: the last id handed out and the hash the next row chains from. Writer loop only.
    private long _headId;
    private string _headHash;

    private EventLog(string path, ILogger logger, RetentionOptions retention, TimeProvider time, IRetentionGuard? guard)
    {
        Path = path;
        _logger = logger;
        _retention = retention;
        _time = time;
        if (guard is not null)
        {
            _guards.Add(guard);
        }

        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        CreateOrMigrate();
        (_headId, _headHash) = ReadHead();

        _insert = _writer.CreateCommand();
        _insert.CommandText = "INSERT INTO events (id, at, site, building, source, channel, name, seq, boot, payload, lane, payload_hash, hash) " +
            "VALUES ($id, $at, $site, $building, $source, $channel, $name, $seq, $boot, $payload, $lane, $payload_hash, $hash)";
        foreach (string name in new[] { "$id", "$at", "$site", "$building", "$source", "$channel", "$name", "$seq", "$boot", "$payload", "$lane", "$payload_hash", "$hash" })
        {
            _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _latch = _writer.CreateCommand();
        _latch.CommandText = "INSERT INTO fire_latch (site, building, latched, since, by) VALUES ($site, $building, $latched, $since, $by) " +
            "ON CONFLICT(site, building) DO UPDATE SET latched = excluded.latched, since = excluded.since, by = excluded.by";
        foreach (string name in new[] { "$site", "$building", "$latched", "$since", "$by" })
        {
            _latch.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _writerLoop = Task.Run(WriteLoopAsync);
    }

    public string Path { get; }

    public long Committed => Interlocked.Read(ref _committed);

    public long Batches => Interlocked.Read(ref _batches);

    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>
    /// Opens (creating or migrating if needed) the log at <paramref name="path"/>; its folder is created too.
    /// <paramref name="retention"/> defaults to <see cref="RetentionOptions"/>' defaults, <paramref name="time"/> to the
    /// system clock; the retention timer starts only with <see cref="StartRetentionTimer"/>.
    /// </summary>
    public static EventLog Open(string path, ILogger logger, RetentionOptions? retention = null, TimeProvider? time = null, IRetentionGuard? guard = null)
    {
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        return new EventLog(path, logger, retention ?? new RetentionOptions(), time ?? TimeProvider.System, guard);
    }

    /// <summary>Completes once <paramref name="record"/> is committed; faults if the commit failed.</summary>
    public Task AppendAsync(EventRecord record) =>
        Enqueue(new PendingWrite(record, EventChain.PayloadHash(record.Payload), null, null)); // hashed on the caller's thread, off the single writer

    public Task SaveFireLatchAsync(FireLatchRecord latch) => Enqueue(new PendingWrite(null, null, latch, null));

    public IReadOnlyList<FireLatchRecord> ReadFireLatches()
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT site, building, latched, since, by FROM fire_latch";
        using var reader = command.ExecuteReader();
        var latches = new List<FireLatchRecord>();
        while (reader.Read())
        {
            latches.Add(new FireLatchRecord(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0,
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture), reader.GetString(4)));
        }

        return latches;
    }

    /// <summary>
    /// The most recent committed records, newest first, optionally for one source (device id or "edge"). A bulk row
    /// compacted by retention reads with an empty payload.
    /// </summary>
    public IReadOnlyList<StoredEvent> ReadRecent(int limit, string? source = null)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = source is null
            ? "SELECT id, at, site, building, source, channel, name, seq, boot, payload FROM events ORDER BY id DESC LIMIT $limit"
            : "SELECT id, at, site, building, source, channel, name, seq, boot, payload FROM events WHERE source = $source ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 10_000));
        if (source is not null)
        {
            command.Parameters.AddWithValue("$source", source);
        }

        using var reader = command.ExecuteReader();
        var events = new List<StoredEvent>();
        while (reader.Read())
        {
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt64(7), reader.GetInt64(8),
                reader.IsDBNull(9) ? "" : reader.GetString(9)));
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        StopRetentionTimer();
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        _insert.Dispose();
        _latch.Dispose();
        _writer.Dispose();
    }

    private Task Enqueue(PendingWrite write)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(write))
        {
            Interlocked.Decrement(ref _pending);
            write.Done.TrySetException(new ObjectDisposedException(nameof(EventLog), "the event log is closing"));
        }

        return write.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            CommitAvailable();
            if (_retentionWaiters.Count > 0)
            {
                RunRetentionForWaiters();
            }
        }
    }

    /// <summary>Takes what is queued (up to <see cref="MaxBatch"/> records) and commits it in one transaction.</summary>
    private void CommitAvailable()
    {
        _batch.Clear();
        while (_batch.Count < MaxBatch && _queue.Reader.TryRead(out PendingWrite? write))
        {
            if (write.Retention is { } retention)
            {
                _retentionWaiters.Add(retention);
                continue;
            }

            _batch.Add(write);
        }

        if (_batch.Count == 0)
        {
            return;
        }

        long headId = _headId;
        string headHash = _headHash;
        try
        {
            using var transaction = _writer.BeginTransaction();
            _insert.Transaction = transaction;
            _latch.Transaction = transaction;
            foreach (PendingWrite write in _batch)
            {
                if (write.Event is { } e)
                {
                    InsertRow(e, write.PayloadHash!, ref headId, ref headHash);
                }
                else if (write.Latch is { } l)
                {
                    Bind(_latch, l.Site, l.Building, l.Latched ? 1 : 0, l.Since.ToString("O", CultureInfo.InvariantCulture), l.By);
                    _latch.ExecuteNonQuery();
                }
            }

            transaction.Commit();
            (_headId, _headHash) = (headId, headHash);
            Interlocked.Add(ref _committed, _batch.Count);
            Interlocked.Increment(ref _batches);
            foreach (PendingWrite write in _batch)
            {
                write.Done.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            // Nothing in this batch is acknowledged and the chain head stays where the last commit left it; devices
            // retry QoS 1 messages that got no PUBACK. Whatever the failure, the loop goes on: a dead writer would
            // leave every later PUBACK hanging.
            LogCommitFailed(_logger, _batch.Count, ex);
            foreach (PendingWrite write in _batch)
            {
                write.Done.TrySetException(ex);
            }
        }
        finally
        {
            Interlocked.Add(ref _pending, -_batch.Count);
        }
    }

    /// <summary>Inserts one chained row inside the current transaction; advances the tentative head on success.</summary>
    private void InsertRow(EventRecord e, string payloadHash, ref long headId, ref string headHash)
    {
        long id = headId + 1;
        string at = e.At.ToString("O", CultureInfo.InvariantCulture);
        string hash = _chain.RowHash(headHash, id, at, e.Site, e.Building, e.Source, e.Channel, e.Name, e.Sequence, e.Boot, (long)e.Lane, payloadHash);
        Bind(_insert, id, at, e.Site, e.Building, e.Source, e.Channel, (object?)e.Name ?? DBNull.Value, e.Sequence, e.Boot, e.Payload, (long)e.Lane, payloadHash, hash);
        _insert.ExecuteNonQuery();
        headId = id;
        headHash = hash;
    }

    private static void Bind(SqliteCommand command, params object[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
    }

    private sealed class PendingWrite(EventRecord? record, string? payloadHash, FireLatchRecord? latch, TaskCompletionSource<RetentionResult>? retention)
    {
        public EventRecord? Event { get; } = record;

        public string? PayloadHash { get; } = payloadHash;

        public FireLatchRecord? Latch { get; } = latch;

        /// <summary>A request for a retention pass rather than a record; completes when the pass is done.</summary>
        public TaskCompletionSource<RetentionResult>? Retention { get; } = retention;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

public sealed record StoredEvent(long Id, string At, string Site, string Building, string Source, string Channel, string? Name, long Sequence, long Boot, string Payload);
