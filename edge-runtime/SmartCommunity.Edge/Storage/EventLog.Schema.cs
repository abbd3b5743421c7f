namespace SmartCommunity.Edge.Storage;

using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SmartCommunity.Protocol;

public sealed partial class EventLog
{
    // The WAL is reset after each checkpoint but keeps its high-water size unless limited; this caps what it keeps.
    private const long JournalSizeLimit = 4L << 20;

    /// <summary>
    /// Creates the schema, or brings a database from an earlier version up to it:
    /// <list type="bullet">
    /// <item>no <c>lane</c> column: added, and the old rows' lanes derived from their channel (telemetry, state and
    /// status are bulk; everything else priority), so retention never compacts an old alarm;</item>
    /// <item>no hash columns: added, and the rows already there, which were never hashed, are covered by a
    /// "migration" anchor in <c>chain_anchor</c>: its <c>last_id</c> is the last id ever handed out and its hash is
    /// <see cref="EventChain.Genesis"/>, so the first new row chains from genesis and verification reports the old
    /// rows as predating the chain instead of vouching for rows nobody hashed when they were written;</item>
    /// <item>no incremental auto-vacuum: switched on with a one-off VACUUM (the setting only takes effect on a
    /// rebuild). If that fails, say for lack of disk, the log still works: freed pages are reused, only the file does
    /// not shrink.</item>
    /// </list>
    /// The ALTERs and the anchor go in one transaction, so a crash leaves either the old schema or the new one.
    /// </summary>
    private void CreateOrMigrate()
    {
        bool existed = Scalar(_writer, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'") > 0;
        long autoVacuum = Scalar(_writer, "PRAGMA auto_vacuum");
        if (!existed)
        {
            // Must precede the first CREATE TABLE to take effect without a VACUUM (sqlite.org/pragma.html#pragma_auto_vacuum).
            Execute(_writer, "PRAGMA auto_vacuum=INCREMENTAL");
            autoVacuum = 2;
        }

        Execute(_writer, $"""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            PRAGMA busy_timeout=5000;
            PRAGMA journal_size_limit={JournalSizeLimit};
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
              payload TEXT NOT NULL,
              lane INTEGER NOT NULL DEFAULT 1,
              payload_hash TEXT,
              hash TEXT);
            CREATE TABLE IF NOT EXISTS chain_anchor (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              kind TEXT NOT NULL,
              last_id INTEGER NOT NULL,
              hash TEXT NOT NULL,
              at TEXT NOT NULL,
              rows INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS fire_latch (
              site TEXT NOT NULL,
              building TEXT NOT NULL,
              latched INTEGER NOT NULL,
              since TEXT NOT NULL,
              by TEXT NOT NULL,
              PRIMARY KEY (site, building));
            """);

        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var info = _writer.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('events')";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }
        }

        bool addedChain = false;
        using (var transaction = _writer.BeginTransaction())
        {
            if (!columns.Contains("lane"))
            {
                Execute(_writer, "ALTER TABLE events ADD COLUMN lane INTEGER NOT NULL DEFAULT 1", transaction);
                Execute(_writer, $"UPDATE events SET lane = 0 WHERE channel NOT IN ('{Channel.Telemetry}', '{Channel.State}', '{Channel.Status}')", transaction);
            }

            if (!columns.Contains("payload_hash"))
            {
                Execute(_writer, "ALTER TABLE events ADD COLUMN payload_hash TEXT", transaction);
            }

            if (!columns.Contains("hash"))
            {
                Execute(_writer, "ALTER TABLE events ADD COLUMN hash TEXT", transaction);
                long lastAllocated = Math.Max(
                    Scalar(_writer, "SELECT seq FROM sqlite_sequence WHERE name = 'events'", transaction),
                    Scalar(_writer, "SELECT max(id) FROM events", transaction));
                long rows = Scalar(_writer, "SELECT count(*) FROM events", transaction);
                if (lastAllocated > 0)
                {
                    using var anchor = _writer.CreateCommand();
                    anchor.Transaction = transaction;
                    anchor.CommandText = "INSERT INTO chain_anchor (kind, last_id, hash, at, rows) VALUES ($kind, $last, $hash, $at, $rows)";
                    anchor.Parameters.AddWithValue("$kind", ChainAnchor.Migration);
                    anchor.Parameters.AddWithValue("$last", lastAllocated);
                    anchor.Parameters.AddWithValue("$hash", EventChain.Genesis);
                    anchor.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                    anchor.Parameters.AddWithValue("$rows", rows);
                    anchor.ExecuteNonQuery();
                    LogMigrated(_logger, Path, rows, lastAllocated);
                }

                addedChain = true;
            }

            transaction.Commit();
        }

        Execute(_writer, $"""
            CREATE INDEX IF NOT EXISTS events_source ON events(source, id);
            CREATE INDEX IF NOT EXISTS events_lane ON events(lane, id);
            PRAGMA temp_store=MEMORY;
            CREATE TEMP TABLE IF NOT EXISTS compact_chunk AS SELECT {CompactColumns} FROM events WHERE 0;
            """);

        if (addedChain && autoVacuum != 2)
        {
            try
            {
                Execute(_writer, "PRAGMA auto_vacuum=INCREMENTAL; VACUUM;");
            }
            catch (SqliteException ex)
            {
                LogVacuumFailed(_logger, Path, ex);
            }
        }
    }

    /// <summary>
    /// The chain head after a restart: the last id ever handed out (rows, the AUTOINCREMENT counter and anchors, so an
    /// id is never reused even when every row was pruned) and the hash the next row chains from.
    /// </summary>
    private (long Id, string Hash) ReadHead()
    {
        (long id, string hash) = ReadStoredHead();
        if (EventChain.IsHash(hash))
        {
            return (id, hash);
        }

        // Someone wrote garbage where the head hash lives. The edge must keep logging regardless; chaining on from
        // genesis leaves a break that `sc-edge log verify` reports at the next row.
        LogHeadInvalid(_logger, Path, id);
        return (id, EventChain.Genesis);
    }

    private (long Id, string Hash) ReadStoredHead()
    {
        long lastRowId = 0;
        string? lastRowHash = null;
        using (var last = _writer.CreateCommand())
        {
            last.CommandText = "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1";
            using var reader = last.ExecuteReader();
            if (reader.Read())
            {
                lastRowId = reader.GetInt64(0);
                lastRowHash = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }

        long sequence = Scalar(_writer, "SELECT seq FROM sqlite_sequence WHERE name = 'events'");
        long anchorLastId = 0;
        string? anchorHash = null;
        using (var anchor = _writer.CreateCommand())
        {
            anchor.CommandText = "SELECT last_id, hash FROM chain_anchor ORDER BY last_id DESC, id DESC LIMIT 1";
            using var reader = anchor.ExecuteReader();
            if (reader.Read())
            {
                (anchorLastId, anchorHash) = (reader.GetInt64(0), reader.GetString(1));
            }
        }

        _anchorLastId = anchorLastId;
        _chainStartHash = ReadMigrationHash(_writer) is { } migration && EventChain.IsHash(migration) ? migration : EventChain.Genesis;
        long head = Math.Max(lastRowId, Math.Max(sequence, anchorLastId));

        if (lastRowId == head && lastRowHash is not null)
        {
            return (head, lastRowHash);
        }

        if (anchorHash is not null && anchorLastId == head)
        {
            return (head, anchorHash); // every row up to the head was pruned
        }

        if (lastRowId == head)
        {
            return (head, _chainStartHash); // the newest rows predate the chain
        }

        // Rows at the end are gone without an anchor: not something this log does. Chaining on from the newest row
        // left keeps the gap visible to `sc-edge log verify` instead of papering over it.
        LogTailMissing(_logger, Path, lastRowId + 1, head);
        return (head, lastRowHash ?? anchorHash ?? _chainStartHash);
    }

    private static string? ReadMigrationHash(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT hash FROM chain_anchor WHERE kind = '{ChainAnchor.Migration}' ORDER BY id DESC LIMIT 1";
        return command.ExecuteScalar() as string;
    }
}
