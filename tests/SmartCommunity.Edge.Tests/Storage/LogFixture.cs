namespace SmartCommunity.Edge.Tests.Storage;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>The event log in a test's folder, records of either lane, and raw SQL for what a tamperer would do.</summary>
internal static class LogFixture
{
    public static readonly DateTimeOffset At = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static EventLog Open(TempFolder data, RetentionOptions? retention = null, TimeProvider? time = null, IRetentionGuard? guard = null) =>
        EventLog.Open(data.File("edge.db"), NullLogger.Instance, retention, time, guard);

    public static EventRecord Telemetry(string source, long seq, DateTimeOffset? at = null, int payloadBytes = 0) =>
        new(at ?? At, "riverside", "b1", source, Channel.Telemetry, null, seq, 1,
            $$"""{"v":1,"seq":{{seq}},"pad":"{{new string('t', payloadBytes)}}"}""", EventLane.Bulk);

    public static EventRecord Alarm(string source, long seq, DateTimeOffset? at = null, int payloadBytes = 0) =>
        new(at ?? At, "riverside", "b1", source, Channel.Event, "alarm", seq, 1,
            $$"""{"v":1,"seq":{{seq}},"event":"alarm","pad":"{{new string('a', payloadBytes)}}"}""", EventLane.Priority);

    /// <summary>Appends the records one after another, so ids follow the list.</summary>
    public static async Task AppendAllAsync(EventLog log, IEnumerable<EventRecord> records)
    {
        foreach (EventRecord record in records)
        {
            await log.AppendAsync(record);
        }
    }

    /// <summary>Appends many records at once (one group commit after another), for volume.</summary>
    public static Task AppendManyAsync(EventLog log, IEnumerable<EventRecord> records) => Task.WhenAll(records.Select(log.AppendAsync));

    public static int Sql(string path, string sql)
    {
        using SqliteConnection connection = Connect(path);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public static long Scalar(string path, string sql)
    {
        using SqliteConnection connection = Connect(path);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Every row as (id, lane, payload, hash), in id order.</summary>
    public static IReadOnlyList<Row> Rows(string path)
    {
        using SqliteConnection connection = Connect(path);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT id, lane, payload, hash, source, channel, name FROM events ORDER BY id";
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<Row>();
        while (reader.Read())
        {
            rows.Add(new Row(reader.GetInt64(0), (EventLane)reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return rows;
    }

    public static IReadOnlyList<ChainAnchor> Anchors(string path)
    {
        using SqliteConnection connection = Connect(path);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT id, kind, last_id, hash, at, rows FROM chain_anchor ORDER BY id";
        using SqliteDataReader reader = command.ExecuteReader();
        var anchors = new List<ChainAnchor>();
        while (reader.Read())
        {
            anchors.Add(new ChainAnchor(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                DateTimeOffset.Parse(reader.GetString(4), System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(5)));
        }

        return anchors;
    }

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    internal sealed record Row(long Id, EventLane Lane, string Payload, string? Hash, string Source, string Channel, string? Name);
}

/// <summary>A relay stand-in: it still needs every row from <see cref="FirstNeeded"/> on.</summary>
internal sealed class FixedGuard(long firstNeeded) : IRetentionGuard
{
    public long FirstNeeded { get; set; } = firstNeeded;

    public long FirstIdStillNeeded() => FirstNeeded;
}
