namespace SmartCommunity.Edge.Rules;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SmartCommunity.Edge.Storage;

/// <summary>A pending timer as kept in <c>rule_timers</c>: enough to resume it after a restart.</summary>
/// <param name="Kind">held, absence or count.</param>
/// <param name="Key">The device id (held) or the scope key (absence, count).</param>
/// <param name="Device">The device it concerns, or one device of its scope.</param>
/// <param name="State">pending, unconfirmed or fired.</param>
/// <param name="SavedAt">Wall time when the row was written; only used to estimate the downtime.</param>
/// <param name="RemainingMs">Time left when the row was written, measured on the monotonic clock.</param>
internal sealed record StoredTimer(string Rule, string Kind, string Key, string Fingerprint, string? Device, string State, DateTimeOffset SavedAt, long RemainingMs,
    IReadOnlyList<StoredCountEntry>? Entries);

internal sealed record StoredCountEntry(string Device, long RemainingMs);

/// <summary>The rules file that last loaded, kept so that a broken file at boot still leaves the old rules running.</summary>
internal sealed record StoredRules(string Content, string Hash, DateTimeOffset LoadedAt);

/// <summary>
/// The rule engine's tables in the edge database: <c>rule_timers</c> and <c>rule_files</c>. Its own connection,
/// short transactions and a busy timeout, so it shares the file with the event log's writer without blocking it
/// for long. Calls are serialised; none is on a path that must be fast.
/// </summary>
internal sealed class RuleStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly object _gate = new();

    private RuleStore(SqliteConnection connection)
    {
        _connection = connection;
    }

    public static RuleStore Open(string databasePath)
    {
        SqliteConnection connection = EdgeDatabase.Open(databasePath);
        try
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE IF NOT EXISTS rule_timers (
                  rule TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  key TEXT NOT NULL,
                  fingerprint TEXT NOT NULL,
                  device TEXT,
                  state TEXT NOT NULL,
                  saved_at TEXT NOT NULL,
                  remaining_ms INTEGER NOT NULL,
                  deadline TEXT NOT NULL,
                  entries TEXT,
                  PRIMARY KEY (rule, kind, key));
                CREATE TABLE IF NOT EXISTS rule_files (
                  path TEXT PRIMARY KEY,
                  content TEXT NOT NULL,
                  hash TEXT NOT NULL,
                  loaded_at TEXT NOT NULL);
                """;
            command.ExecuteNonQuery();
            return new RuleStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public IReadOnlyList<StoredTimer> ReadTimers()
    {
        lock (_gate)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = "SELECT rule, kind, key, fingerprint, device, state, saved_at, remaining_ms, entries FROM rule_timers";
            using SqliteDataReader reader = command.ExecuteReader();
            var timers = new List<StoredTimer>();
            while (reader.Read())
            {
                IReadOnlyList<StoredCountEntry>? entries = reader.IsDBNull(8) ? null : JsonSerializer.Deserialize<List<StoredCountEntry>>(reader.GetString(8));
                timers.Add(new StoredTimer(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetString(5), Time(reader.GetString(6)), reader.GetInt64(7), entries));
            }

            return timers;
        }
    }

    /// <summary>One transaction: drops every timer of <paramref name="deletedRules"/>, then the single rows, then writes the rest.</summary>
    public void Write(IReadOnlyCollection<string> deletedRules, IReadOnlyCollection<(string Rule, string Kind, string Key)> deletes, IReadOnlyCollection<StoredTimer> upserts)
    {
        lock (_gate)
        {
            using SqliteTransaction transaction = _connection.BeginTransaction();
            foreach (string rule in deletedRules)
            {
                Execute(transaction, "DELETE FROM rule_timers WHERE rule = $rule", ("$rule", rule));
            }

            foreach ((string rule, string kind, string key) in deletes)
            {
                Execute(transaction, "DELETE FROM rule_timers WHERE rule = $rule AND kind = $kind AND key = $key", ("$rule", rule), ("$kind", kind), ("$key", key));
            }

            using SqliteCommand upsert = _connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO rule_timers (rule, kind, key, fingerprint, device, state, saved_at, remaining_ms, deadline, entries)
                VALUES ($rule, $kind, $key, $fingerprint, $device, $state, $saved, $remaining, $deadline, $entries)
                ON CONFLICT(rule, kind, key) DO UPDATE SET fingerprint = excluded.fingerprint, device = excluded.device, state = excluded.state,
                  saved_at = excluded.saved_at, remaining_ms = excluded.remaining_ms, deadline = excluded.deadline, entries = excluded.entries
                """;
            foreach (string name in new[] { "$rule", "$kind", "$key", "$fingerprint", "$device", "$state", "$saved", "$remaining", "$deadline", "$entries" })
            {
                upsert.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            foreach (StoredTimer timer in upserts)
            {
                object?[] values =
                [
                    timer.Rule, timer.Kind, timer.Key, timer.Fingerprint, timer.Device, timer.State, timer.SavedAt.ToString("O"), timer.RemainingMs,
                    timer.SavedAt.AddMilliseconds(timer.RemainingMs).ToString("O"), timer.Entries is null ? null : JsonSerializer.Serialize(timer.Entries),
                ];
                for (int i = 0; i < values.Length; i++)
                {
                    upsert.Parameters[i].Value = values[i] ?? DBNull.Value;
                }

                upsert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public StoredRules? ReadLastGood(string path)
    {
        lock (_gate)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = "SELECT content, hash, loaded_at FROM rule_files WHERE path = $path";
            command.Parameters.AddWithValue("$path", path);
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read() ? new StoredRules(reader.GetString(0), reader.GetString(1), Time(reader.GetString(2))) : null;
        }
    }

    public void SaveLastGood(string path, StoredRules rules)
    {
        lock (_gate)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO rule_files (path, content, hash, loaded_at) VALUES ($path, $content, $hash, $at) " +
                "ON CONFLICT(path) DO UPDATE SET content = excluded.content, hash = excluded.hash, loaded_at = excluded.loaded_at";
            command.Parameters.AddWithValue("$path", path);
            command.Parameters.AddWithValue("$content", rules.Content);
            command.Parameters.AddWithValue("$hash", rules.Hash);
            command.Parameters.AddWithValue("$at", rules.LoadedAt.ToString("O"));
            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private void Execute(SqliteTransaction transaction, string sql, params (string Name, string Value)[] parameters)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach ((string name, string value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
