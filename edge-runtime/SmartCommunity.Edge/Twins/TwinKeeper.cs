namespace SmartCommunity.Edge.Twins;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Storage;

/// <summary>
/// Keeps the twins across restarts and notices devices that went quiet. Twins are written to the `twins` table
/// of the edge database every few seconds (only those that changed) and on shutdown; at start they are read
/// back and their sequence position is corrected from the event log, which is committed before every PUBACK and
/// so is never behind: after a SIGKILL the twin may have missed its last flush, the log has not. A device that
/// says nothing for longer than its heartbeat allowance is marked offline ("silent") and that goes in the log.
/// </summary>
public sealed partial class TwinKeeper : IAsyncDisposable
{
    private readonly TwinRegistry _twins;
    private readonly EventLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _databasePath;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly Action<IReadOnlyList<DeviceTwin>, SqliteTransaction>? _flushed;

    /// <summary>Told when a device is marked silent (the rules treat it as offline).</summary>
    public Func<DeviceTwin, Task>? WentSilent { get; set; }
    private ITimer? _timer;

    /// <param name="flushed">
    /// Given the twins being written, inside the same transaction (the device registry keeps first/last seen and
    /// firmware from them), so one pass takes the database's write lock once.
    /// </param>
    public TwinKeeper(string databasePath, TwinRegistry twins, EventLog log, TimeProvider time, ILogger logger, Action<IReadOnlyList<DeviceTwin>, SqliteTransaction>? flushed = null)
    {
        _flushed = flushed;
        _twins = twins;
        _log = log;
        _time = time;
        _logger = logger;
        _databasePath = databasePath;
        using SqliteConnection connection = Open();
        using SqliteCommand create = connection.CreateCommand();
        create.CommandText = """
            CREATE TABLE IF NOT EXISTS twins (
              id TEXT PRIMARY KEY,
              online INTEGER NOT NULL,
              offline_reason TEXT,
              boot INTEGER NOT NULL,
              last_seq INTEGER NOT NULL,
              last_up INTEGER NOT NULL,
              last_seen TEXT,
              last_event_at TEXT,
              gaps INTEGER NOT NULL,
              duplicates INTEGER NOT NULL,
              last_state TEXT,
              fw TEXT);
            """;
        create.ExecuteNonQuery();
    }

    public long SilentMarked { get; private set; }

    /// <summary>Reads the stored twins, corrects their sequence position from the log, and starts the periodic pass.</summary>
    public void Start(TimeSpan interval)
    {
        Restore();
        _timer = _time.CreateTimer(_ => _ = RunPassAsync(), null, interval, interval);
    }

    /// <summary>One pass: mark silent devices offline, then write every changed twin.</summary>
    public async Task RunPassAsync()
    {
        await _pass.WaitAsync().ConfigureAwait(false);
        try
        {
            DateTimeOffset now = _time.GetUtcNow();
            var logged = new List<Task>();
            foreach (DeviceTwin twin in _twins.FindSilent(now))
            {
                if (_twins.MarkSilent(twin, now))
                {
                    SilentMarked++;
                    LogSilent(_logger, twin.Definition.Id, twin.LastSeen);
                    logged.Add(_log.AppendAsync(new EventRecord(now, twin.Definition.Site, twin.Definition.Building, twin.Definition.Id, "edge", "device-silent",
                        0, 0, JsonSerializer.Serialize(new { lastSeen = twin.LastSeen, allowedSeconds = twin.SilentAfter.TotalSeconds }), EventLane.Priority)));
                    if (WentSilent is { } wentSilent)
                    {
                        logged.Add(wentSilent(twin));
                    }
                }
            }

            Flush();
            await Task.WhenAll(logged).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            // A failed flush is retried with the next pass: the twins stay dirty only in memory, the log has the truth.
            LogFlushFailed(_logger, ex);
        }
        finally
        {
            _pass.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _pass.WaitAsync().ConfigureAwait(false);
        try
        {
            Flush();
        }
        finally
        {
            _pass.Release();
            _pass.Dispose();
        }
    }

    private void Flush()
    {
        IReadOnlyList<DeviceTwin> changed = _twins.TakeChanged();
        if (changed.Count == 0)
        {
            return;
        }

        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO twins (id, online, offline_reason, boot, last_seq, last_up, last_seen, last_event_at, gaps, duplicates, last_state, fw)
            VALUES ($id, $online, $reason, $boot, $seq, $up, $seen, $event, $gaps, $dups, $state, $fw)
            ON CONFLICT(id) DO UPDATE SET online = excluded.online, offline_reason = excluded.offline_reason, boot = excluded.boot,
              last_seq = excluded.last_seq, last_up = excluded.last_up, last_seen = excluded.last_seen, last_event_at = excluded.last_event_at,
              gaps = excluded.gaps, duplicates = excluded.duplicates, last_state = excluded.last_state, fw = excluded.fw
            """;
        foreach (DeviceTwin twin in changed)
        {
            lock (twin.Gate)
            {
                upsert.Parameters.Clear();
                upsert.Parameters.AddWithValue("$id", twin.Definition.Id);
                upsert.Parameters.AddWithValue("$online", twin.Online ? 1 : 0);
                upsert.Parameters.AddWithValue("$reason", (object?)twin.OfflineReason ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$boot", twin.Boot);
                upsert.Parameters.AddWithValue("$seq", twin.LastSequence);
                upsert.Parameters.AddWithValue("$up", twin.LastUptimeMs);
                upsert.Parameters.AddWithValue("$seen", (object?)twin.LastSeen?.ToString("O") ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$event", (object?)twin.LastEventAt?.ToString("O") ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$gaps", twin.Gaps);
                upsert.Parameters.AddWithValue("$dups", twin.Duplicates);
                upsert.Parameters.AddWithValue("$state", (object?)twin.LastState ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$fw", (object?)twin.FirmwareVersion ?? DBNull.Value);
            }

            upsert.ExecuteNonQuery();
        }

        _flushed?.Invoke(changed, transaction);
        transaction.Commit();
    }

    private void Restore()
    {
        using SqliteConnection connection = Open();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT id, online, offline_reason, boot, last_seq, last_up, last_seen, last_event_at, gaps, duplicates, last_state, fw FROM twins";
        using (SqliteDataReader row = select.ExecuteReader())
        {
            while (row.Read())
            {
                if (_twins.Find(row.GetString(0)) is not { } twin)
                {
                    continue;
                }

                _twins.Restore(twin, t =>
                {
                    t.Online = row.GetInt64(1) != 0;
                    t.OfflineReason = row.IsDBNull(2) ? null : row.GetString(2);
                    t.Boot = row.GetInt64(3);
                    t.LastSequence = row.GetInt64(4);
                    t.LastUptimeMs = row.GetInt64(5);
                    t.LastSeen = row.IsDBNull(6) ? null : DateTimeOffset.Parse(row.GetString(6), CultureInfo.InvariantCulture);
                    t.LastEventAt = row.IsDBNull(7) ? null : DateTimeOffset.Parse(row.GetString(7), CultureInfo.InvariantCulture);
                    t.Gaps = row.GetInt64(8);
                    t.Duplicates = row.GetInt64(9);
                    t.LastState = row.IsDBNull(10) ? null : row.GetString(10);
                    t.FirmwareVersion = row.IsDBNull(11) ? null : row.GetString(11);
                });
            }
        }

        // The log is committed before each PUBACK; the twin table only every few seconds. Take the newer position.
        using SqliteCommand latest = connection.CreateCommand();
        latest.CommandText = "SELECT boot, seq FROM events WHERE source = $id AND seq > 0 ORDER BY id DESC LIMIT 1";
        SqliteParameter id = latest.Parameters.Add("$id", SqliteType.Text);
        foreach (DeviceTwin twin in _twins.All)
        {
            id.Value = twin.Definition.Id;
            using SqliteDataReader row = latest.ExecuteReader();
            if (row.Read())
            {
                long boot = row.GetInt64(0);
                long seq = row.GetInt64(1);
                _twins.Restore(twin, t =>
                {
                    if (boot > t.Boot || (boot == t.Boot && seq > t.LastSequence))
                    {
                        t.Boot = boot;
                        t.LastSequence = seq;
                    }
                });
            }
        }
    }

    private SqliteConnection Open() => EdgeDatabase.Open(_databasePath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Device} is silent (last message {LastSeen}); marked offline")]
    private static partial void LogSilent(ILogger logger, string device, DateTimeOffset? lastSeen);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the twins failed; retried at the next pass")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
