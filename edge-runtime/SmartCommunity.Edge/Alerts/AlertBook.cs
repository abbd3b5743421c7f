namespace SmartCommunity.Edge.Alerts;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Storage;

/// <summary>
/// The alerts people have to see: raised (by rules), acknowledged and cleared by named operators. Kept in the edge
/// database (table <c>alerts</c>) so they survive a restart, and every change is appended to the event log on the
/// priority lane (source "edge", channel "alert") so the relays forward it and the audit trail says who did what.
/// One alert stays open per rule, device and building: raising it again while it is open counts a repeat instead of
/// stacking duplicates. Thread-safe; one connection of its own, short transactions.
/// </summary>
public sealed partial class AlertBook : IDisposable
{
    public const string Channel = "alert";

    /// <summary>How many alerts <see cref="List"/> returns at most.</summary>
    public const int ListLimit = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    private readonly SqliteConnection _connection;
    private readonly EventLog _log;
    private readonly string _site;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<long, Alert> _open = [];

    private AlertBook(SqliteConnection connection, EventLog log, string site, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _log = log;
        _site = site;
        _time = time;
        _logger = logger;
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = Select + " WHERE cleared_at IS NULL ORDER BY id";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            Alert alert = Read(reader);
            _open[alert.Id] = alert;
        }
    }

    /// <summary>Raised for every change (raised, repeated, acknowledged, cleared), after it is stored.</summary>
    public event Action<Alert>? Changed;

    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    private const string Select = "SELECT id, rule, severity, text, device, building, raised_at, last_raised_at, repeats, acked_by, acked_at, cleared_by, cleared_at FROM alerts";

    /// <summary>Opens the book in the edge database at <paramref name="databasePath"/> (created if needed).</summary>
    public static AlertBook Open(string databasePath, EventLog log, string site, TimeProvider time, ILogger logger)
    {
        SqliteConnection connection = EdgeDatabase.Open(databasePath);
        try
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE IF NOT EXISTS alerts (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  rule TEXT NOT NULL,
                  severity TEXT NOT NULL,
                  text TEXT NOT NULL,
                  device TEXT,
                  building TEXT,
                  raised_at TEXT NOT NULL,
                  last_raised_at TEXT NOT NULL,
                  repeats INTEGER NOT NULL DEFAULT 0,
                  acked_by TEXT,
                  acked_at TEXT,
                  cleared_by TEXT,
                  cleared_at TEXT);
                CREATE INDEX IF NOT EXISTS alerts_open ON alerts(cleared_at, id);
                """;
            command.ExecuteNonQuery();
            return new AlertBook(connection, log, site, time, logger);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Raises an alert, or counts a repeat of the open one with the same <paramref name="rule"/>, device and building
    /// (its text becomes the latest). Completes once the alert is stored and its event-log record committed.
    /// </summary>
    public async Task<Alert> RaiseAsync(string rule, AlertSeverity severity, string text, string? device = null, string? building = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rule);
        ArgumentNullException.ThrowIfNull(text);
        DateTimeOffset now = _time.GetUtcNow();
        Alert alert;
        string change;
        lock (_gate)
        {
            Alert? open = _open.Values.FirstOrDefault(a => a.Rule == rule && a.Device == device && a.Building == building);
            if (open is not null)
            {
                alert = open with { LastRaisedAt = now, Repeats = open.Repeats + 1, Text = text, Severity = (AlertSeverity)Math.Max((int)open.Severity, (int)severity) };
                Execute("UPDATE alerts SET last_raised_at = $at, repeats = $repeats, text = $text, severity = $severity WHERE id = $id",
                    ("$at", now.ToString("O")), ("$repeats", alert.Repeats), ("$text", text), ("$severity", Name(alert.Severity)), ("$id", alert.Id));
                change = "repeated";
            }
            else
            {
                long id = Insert(rule, severity, text, device, building, now);
                alert = new Alert(id, rule, severity, text, device, building, now, now, 0, null, null, null, null);
                change = "raised";
                LogRaised(_logger, id, severity, rule, text);
            }

            _open[alert.Id] = alert;
        }

        await RecordAsync(alert, change, null).ConfigureAwait(false);
        return alert;
    }

    /// <summary>The open alerts (raised or acknowledged), newest first; or, with <paramref name="openOnly"/> false, every alert on record.</summary>
    public IReadOnlyList<Alert> List(bool openOnly = true, int limit = ListLimit)
    {
        limit = Math.Clamp(limit, 1, ListLimit);
        lock (_gate)
        {
            if (openOnly)
            {
                return _open.Values.OrderByDescending(a => a.Id).Take(limit).ToList();
            }

            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = Select + " ORDER BY id DESC LIMIT $limit";
            command.Parameters.AddWithValue("$limit", limit);
            using SqliteDataReader reader = command.ExecuteReader();
            var alerts = new List<Alert>();
            while (reader.Read())
            {
                alerts.Add(Read(reader));
            }

            return alerts;
        }
    }

    public Alert? Find(long id)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(id, out Alert? open))
            {
                return open;
            }

            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = Select + " WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }
    }

    /// <summary>A named operator has seen the alert. The name goes into the alert and the event log.</summary>
    public async Task<AlertChange> AcknowledgeAsync(long id, string operatorName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorName);
        DateTimeOffset now = _time.GetUtcNow();
        Alert acknowledged;
        lock (_gate)
        {
            if (!_open.TryGetValue(id, out Alert? alert))
            {
                Alert? closed = FindClosed(id);
                return new AlertChange(closed is null ? AlertChangeResult.NotFound : AlertChangeResult.AlreadyCleared, closed);
            }

            if (alert.AcknowledgedAt is not null)
            {
                return new AlertChange(AlertChangeResult.AlreadyAcknowledged, alert);
            }

            acknowledged = alert with { AcknowledgedBy = operatorName, AcknowledgedAt = now };
            Execute("UPDATE alerts SET acked_by = $by, acked_at = $at WHERE id = $id", ("$by", operatorName), ("$at", now.ToString("O")), ("$id", id));
            _open[id] = acknowledged;
        }

        LogAcknowledged(_logger, id, operatorName);
        await RecordAsync(acknowledged, "acknowledged", operatorName).ConfigureAwait(false);
        return new AlertChange(AlertChangeResult.Done, acknowledged);
    }

    /// <summary>
    /// A named operator closes the alert. An alert nobody acknowledged is acknowledged by the same person at the same
    /// moment, so the record always says who took notice.
    /// </summary>
    public async Task<AlertChange> ClearAsync(long id, string operatorName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorName);
        DateTimeOffset now = _time.GetUtcNow();
        Alert cleared;
        lock (_gate)
        {
            if (!_open.TryGetValue(id, out Alert? alert))
            {
                Alert? closed = FindClosed(id);
                return new AlertChange(closed is null ? AlertChangeResult.NotFound : AlertChangeResult.AlreadyCleared, closed);
            }

            cleared = alert with
            {
                AcknowledgedBy = alert.AcknowledgedBy ?? operatorName,
                AcknowledgedAt = alert.AcknowledgedAt ?? now,
                ClearedBy = operatorName,
                ClearedAt = now,
            };
            Execute("UPDATE alerts SET acked_by = $ackBy, acked_at = $ackAt, cleared_by = $by, cleared_at = $at WHERE id = $id",
                ("$ackBy", cleared.AcknowledgedBy), ("$ackAt", cleared.AcknowledgedAt!.Value.ToString("O")), ("$by", operatorName), ("$at", now.ToString("O")), ("$id", id));
            _open.Remove(id);
        }

        LogCleared(_logger, id, operatorName);
        await RecordAsync(cleared, "cleared", operatorName).ConfigureAwait(false);
        return new AlertChange(AlertChangeResult.Done, cleared);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    internal static string Name(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => "info",
        AlertSeverity.Warning => "warning",
        _ => "critical",
    };

    internal static bool TryParseSeverity(string text, out AlertSeverity severity)
    {
        (bool known, severity) = text switch
        {
            "info" => (true, AlertSeverity.Info),
            "warning" => (true, AlertSeverity.Warning),
            "critical" => (true, AlertSeverity.Critical),
            _ => (false, AlertSeverity.Warning),
        };
        return known;
    }

    private Task RecordAsync(Alert alert, string change, string? by)
    {
        Changed?.Invoke(alert);
        string payload = JsonSerializer.Serialize(new { alert = alert.Id, rule = alert.Rule, severity = alert.Severity, text = alert.Text, device = alert.Device, state = alert.State, repeats = alert.Repeats, by }, Json);
        return _log.AppendAsync(new EventRecord(_time.GetUtcNow(), _site, alert.Building ?? "", "edge", Channel, change, 0, 0, payload, EventLane.Priority));
    }

    private Alert? FindClosed(long id)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = Select + " WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    private long Insert(string rule, AlertSeverity severity, string text, string? device, string? building, DateTimeOffset now)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO alerts (rule, severity, text, device, building, raised_at, last_raised_at) VALUES ($rule, $severity, $text, $device, $building, $at, $at) RETURNING id";
        command.Parameters.AddWithValue("$rule", rule);
        command.Parameters.AddWithValue("$severity", Name(severity));
        command.Parameters.AddWithValue("$text", text);
        command.Parameters.AddWithValue("$device", (object?)device ?? DBNull.Value);
        command.Parameters.AddWithValue("$building", (object?)building ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", now.ToString("O"));
        return (long)command.ExecuteScalar()!;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    private static Alert Read(SqliteDataReader reader)
    {
        TryParseSeverity(reader.GetString(2), out AlertSeverity severity);
        return new Alert(reader.GetInt64(0), reader.GetString(1), severity, reader.GetString(3), NullableString(reader, 4), NullableString(reader, 5),
            Time(reader.GetString(6)), Time(reader.GetString(7)), reader.GetInt32(8), NullableString(reader, 9), NullableTime(reader, 10),
            NullableString(reader, 11), NullableTime(reader, 12));
    }

    private static string? NullableString(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static DateTimeOffset? NullableTime(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : Time(reader.GetString(column));

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
