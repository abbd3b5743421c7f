namespace SmartCommunity.Edge.Relays;

using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SmartCommunity.Edge.Storage;

/// <summary>
/// The relays' own tables in the event log's SQLite file, on a connection of their own (the event log's writer is
/// not touched): <c>relay_cursor</c>, per relay and lane the last event id that is done (delivered, dead-lettered
/// or skipped), and <c>relay_dead_letter</c>. Reads the <c>events</c> table, which is the outbox. One instance per
/// relay worker; not thread-safe.
/// </summary>
internal sealed class RelayStore : IDisposable
{
    private readonly SqliteConnection _connection;

    public RelayStore(string databasePath)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA busy_timeout=5000;");
    }

    /// <summary>Creates the relay tables if needed; the events table belongs to <see cref="EventLog"/>, which opened the file first.</summary>
    public void EnsureSchema() => Execute("""
        CREATE TABLE IF NOT EXISTS relay_cursor (
          relay TEXT NOT NULL,
          lane INTEGER NOT NULL,
          last_id INTEGER NOT NULL,
          updated TEXT NOT NULL,
          PRIMARY KEY (relay, lane));
        CREATE TABLE IF NOT EXISTS relay_dead_letter (
          relay TEXT NOT NULL,
          event_id INTEGER NOT NULL,
          lane INTEGER NOT NULL,
          key TEXT NOT NULL,
          source TEXT NOT NULL,
          channel TEXT NOT NULL,
          reason TEXT NOT NULL,
          attempts INTEGER NOT NULL,
          at TEXT NOT NULL,
          envelope TEXT NOT NULL,
          PRIMARY KEY (relay, event_id));
        """);

    /// <summary>The last done id per lane (index = <see cref="EventLane"/>); 0 for a relay never run.</summary>
    public long[] LoadCursors(string relay)
    {
        var cursors = new long[2];
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT lane, last_id FROM relay_cursor WHERE relay = $relay";
        command.Parameters.AddWithValue("$relay", relay);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            long lane = reader.GetInt64(0);
            if (lane is 0 or 1)
            {
                cursors[lane] = reader.GetInt64(1);
            }
        }

        return cursors;
    }

    public long MaxEventId()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(id), 0) FROM events";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// Rows of one lane after <paramref name="after"/> and up to <paramref name="upTo"/>, in id order, leaving out the
    /// ones this relay has dead-lettered. Ids become visible in increasing order (the event log has one writer), so
    /// nothing can appear later below <paramref name="upTo"/>.
    /// </summary>
    public List<RelayRow> ReadBatch(string relay, EventLane lane, long after, long upTo, int limit)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT id, at, site, building, source, channel, name, seq, boot, payload FROM events
            WHERE lane = $lane AND id > $after AND id <= $upTo
              AND NOT EXISTS (SELECT 1 FROM relay_dead_letter d WHERE d.relay = $relay AND d.event_id = events.id)
            ORDER BY id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$lane", (int)lane);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$upTo", upTo);
        command.Parameters.AddWithValue("$relay", relay);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var rows = new List<RelayRow>(limit);
        while (reader.Read())
        {
            rows.Add(new RelayRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetString(9)));
        }

        return rows;
    }

    /// <summary>Records dead letters and moves the lane's cursor, in one short transaction.</summary>
    public void Commit(string relay, EventLane lane, long? cursor, IReadOnlyList<DeadLetter> deadLetters, DateTimeOffset now)
    {
        if (cursor is null && deadLetters.Count == 0)
        {
            return;
        }

        using var transaction = _connection.BeginTransaction();
        foreach (DeadLetter letter in deadLetters)
        {
            using var insert = _connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT OR IGNORE INTO relay_dead_letter (relay, event_id, lane, key, source, channel, reason, attempts, at, envelope)
                VALUES ($relay, $id, $lane, $key, $source, $channel, $reason, $attempts, $at, $envelope)
                """;
            insert.Parameters.AddWithValue("$relay", relay);
            insert.Parameters.AddWithValue("$id", letter.EventId);
            insert.Parameters.AddWithValue("$lane", (int)lane);
            insert.Parameters.AddWithValue("$key", letter.Key);
            insert.Parameters.AddWithValue("$source", letter.Source);
            insert.Parameters.AddWithValue("$channel", letter.Channel);
            insert.Parameters.AddWithValue("$reason", letter.Reason);
            insert.Parameters.AddWithValue("$attempts", letter.Attempts);
            insert.Parameters.AddWithValue("$at", letter.SetAsideAt.ToString("O"));
            insert.Parameters.AddWithValue("$envelope", letter.Envelope.GetRawText());
            insert.ExecuteNonQuery();
        }

        if (cursor is { } lastId)
        {
            using var update = _connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = """
                INSERT INTO relay_cursor (relay, lane, last_id, updated) VALUES ($relay, $lane, $id, $updated)
                ON CONFLICT(relay, lane) DO UPDATE SET last_id = excluded.last_id, updated = excluded.updated
                """;
            update.Parameters.AddWithValue("$relay", relay);
            update.Parameters.AddWithValue("$lane", (int)lane);
            update.Parameters.AddWithValue("$id", lastId);
            update.Parameters.AddWithValue("$updated", now.ToString("O"));
            update.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public long CountDeadLetters(string relay)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM relay_dead_letter WHERE relay = $relay";
        command.Parameters.AddWithValue("$relay", relay);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Rows of a lane still to go after <paramref name="after"/> (dead letters excluded).</summary>
    public long CountPending(string relay, EventLane lane, long after)
    {
        using var command = _connection.CreateCommand();
        // Two index range counts; cheaper than a NOT EXISTS per row when the backlog is large.
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM events WHERE lane = $lane AND id > $after)
                 - (SELECT COUNT(*) FROM relay_dead_letter WHERE relay = $relay AND event_id > $after AND lane = $lane)
            """;
        command.Parameters.AddWithValue("$lane", (int)lane);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$relay", relay);
        return (long)command.ExecuteScalar()!;
    }

    public IReadOnlyList<DeadLetter> ReadDeadLetters(string relay, int limit)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT event_id, lane, key, source, channel, reason, attempts, at, envelope FROM relay_dead_letter
            WHERE relay = $relay ORDER BY event_id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$relay", relay);
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 10_000));
        using var reader = command.ExecuteReader();
        var letters = new List<DeadLetter>();
        while (reader.Read())
        {
            using JsonDocument envelope = JsonDocument.Parse(reader.GetString(8));
            letters.Add(new DeadLetter(reader.GetInt64(0), RelayMessage.LaneName((EventLane)reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), (int)reader.GetInt64(6),
                DateTimeOffset.Parse(reader.GetString(7), System.Globalization.CultureInfo.InvariantCulture), envelope.RootElement.Clone()));
        }

        return letters;
    }

    public void Dispose() => _connection.Dispose();

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>One row of the events table as the relays read it.</summary>
internal sealed record RelayRow(long Id, string At, string Site, string Building, string Source, string Channel, string? Name, long Sequence, long Boot, string Payload);
