namespace SmartCommunity.Edge.Storage;

using System;
using System.Collections.Generic;
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
/// after that task completes. One writer connection owns all writes; reads use their own connections.
/// </summary>
public sealed partial class EventLog : IAsyncDisposable
{
    public const int MaxBatch = 512;

    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _writer;
    private readonly Task _writerLoop;
    private long _committed;
    private long _batches;
    private long _pending;

    private EventLog(string path, ILogger logger)
    {
        Path = path;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            PRAGMA busy_timeout=5000;
            CREATE TABLE IF NOT EXISTS events (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              at TEXT NOT NULL,
              site TEXT NOT NULL,
              building TEXT NOT NULL,
              source TEXT NOT NULL,
              channel TEXT NOT NULL,
              name TEXT,
              seq INTEGER NOT NULL,
              boot INTEGER NOT NULL,
              payload TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS events_source ON events(source, id);
            CREATE TABLE IF NOT EXISTS fire_latch (
              site TEXT NOT NULL,
              building TEXT NOT NULL,
              latched INTEGER NOT NULL,
              since TEXT NOT NULL,
              by TEXT NOT NULL,
              PRIMARY KEY (site, building));
            """);
        _writerLoop = Task.Run(WriteLoopAsync);
    }

    public string Path { get; }

    public long Committed => Interlocked.Read(ref _committed);

    public long Batches => Interlocked.Read(ref _batches);

    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Opens (creating if needed) the log at <paramref name="path"/>; its folder is created too.</summary>
    public static EventLog Open(string path, ILogger logger)
    {
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        return new EventLog(path, logger);
    }

    /// <summary>Completes once <paramref name="record"/> is committed; faults if the commit failed.</summary>
    public Task AppendAsync(EventRecord record) => Enqueue(new PendingWrite(record, null));

    public Task SaveFireLatchAsync(FireLatchRecord latch) => Enqueue(new PendingWrite(null, latch));

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
                DateTimeOffset.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture), reader.GetString(4)));
        }

        return latches;
    }

    /// <summary>The most recent committed records, newest first, optionally for one source (device id or "edge").</summary>
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
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetString(9)));
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
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
        var batch = new List<PendingWrite>(MaxBatch);
        using var insert = _writer.CreateCommand();
        insert.CommandText = "INSERT INTO events (at, site, building, source, channel, name, seq, boot, payload) VALUES ($at, $site, $building, $source, $channel, $name, $seq, $boot, $payload)";
        var parameters = new[] { "$at", "$site", "$building", "$source", "$channel", "$name", "$seq", "$boot", "$payload" };
        foreach (string name in parameters)
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        using var latch = _writer.CreateCommand();
        latch.CommandText = "INSERT INTO fire_latch (site, building, latched, since, by) VALUES ($site, $building, $latched, $since, $by) " +
            "ON CONFLICT(site, building) DO UPDATE SET latched = excluded.latched, since = excluded.since, by = excluded.by";
        foreach (string name in new[] { "$site", "$building", "$latched", "$since", "$by" })
        {
            latch.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out PendingWrite? write))
            {
                batch.Add(write);
            }

            try
            {
                using var transaction = _writer.BeginTransaction();
                insert.Transaction = transaction;
                latch.Transaction = transaction;
                foreach (PendingWrite write in batch)
                {
                    if (write.Event is { } e)
                    {
                        Bind(insert, e.At.ToString("O"), e.Site, e.Building, e.Source, e.Channel, (object?)e.Name ?? DBNull.Value, e.Sequence, e.Boot, e.Payload);
                        insert.ExecuteNonQuery();
                    }
                    else if (write.Latch is { } l)
                    {
                        Bind(latch, l.Site, l.Building, l.Latched ? 1 : 0, l.Since.ToString("O"), l.By);
                        latch.ExecuteNonQuery();
                    }
                }

                transaction.Commit();
                Interlocked.Add(ref _committed, batch.Count);
                Interlocked.Increment(ref _batches);
                foreach (PendingWrite write in batch)
                {
                    write.Done.TrySetResult();
                }
            }
            catch (Exception ex)
            {
                // Nothing in this batch is acknowledged; devices retry QoS 1 messages that got no PUBACK. Whatever the
                // failure, the loop goes on: a dead writer would leave every later PUBACK hanging.
                LogCommitFailed(_logger, batch.Count, ex);
                foreach (PendingWrite write in batch)
                {
                    write.Done.TrySetException(ex);
                }
            }
            finally
            {
                Interlocked.Add(ref _pending, -batch.Count);
            }
        }
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

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event log commit of {Count} records failed; none of them is acknowledged")]
    private static partial void LogCommitFailed(ILogger logger, int count, Exception exception);

    private sealed class PendingWrite(EventRecord? record, FireLatchRecord? latch)
    {
        public EventRecord? Event { get; } = record;

        public FireLatchRecord? Latch { get; } = latch;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

public sealed record StoredEvent(long Id, string At, string Site, string Building, string Source, string Channel, string? Name, long Sequence, long Boot, string Payload);
