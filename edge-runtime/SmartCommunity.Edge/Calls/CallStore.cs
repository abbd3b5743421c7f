namespace SmartCommunity.Edge.Calls;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SmartCommunity.Edge.Storage;

/// <summary>
/// The calls table in edge.db, on a connection of its own (<see cref="EdgeDatabase"/>): one row per call, written
/// before the call point is told the edge has its call and before an acknowledgement is answered. Short
/// statements only; they share SQLite's write lock with the event log's group commits. Thread-safe (one statement
/// at a time); the <see cref="CallDesk"/> serialises the changes themselves, the API only reads.
/// </summary>
internal sealed class CallStore : SqliteTables
{
    private const string Columns = "id, device, call, kind, site, building, unit, boot, idle_ms, opened_at, state, escalation_from, elapsed_ms, saved_at, steps, alert_id, token, " +
        "acked_by, acked_via, acked_at, closed_reason, closed_at";

    public CallStore(string databasePath)
        : base(databasePath, """
            CREATE TABLE IF NOT EXISTS calls (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              device TEXT NOT NULL,
              call TEXT NOT NULL,
              kind TEXT NOT NULL,
              site TEXT NOT NULL,
              building TEXT NOT NULL,
              unit TEXT,
              boot INTEGER NOT NULL,
              idle_ms INTEGER,
              opened_at TEXT NOT NULL,
              state TEXT NOT NULL,
              escalation_from TEXT,
              elapsed_ms INTEGER NOT NULL,
              saved_at TEXT NOT NULL,
              steps TEXT NOT NULL,
              alert_id INTEGER,
              token TEXT NOT NULL,
              acked_by TEXT,
              acked_via TEXT,
              acked_at TEXT,
              closed_reason TEXT,
              closed_at TEXT);
            CREATE INDEX IF NOT EXISTS calls_by_call ON calls(device, call, id);
            CREATE INDEX IF NOT EXISTS calls_by_state ON calls(state, id);
            """)
    {
    }

    /// <summary>Held and open calls, oldest first.</summary>
    public List<EmergencyCall> LoadActive() =>
        Query($"SELECT {Columns} FROM calls WHERE state IN ('held', 'open') ORDER BY id");

    /// <summary>The newest call with this id from this call point, in any state.</summary>
    public EmergencyCall? FindNewest(string device, string callId) =>
        Query($"SELECT {Columns} FROM calls WHERE device = $device AND call = $call ORDER BY id DESC LIMIT 1", ("$device", device), ("$call", callId)).FirstOrDefault();

    /// <summary>The most recent calls, newest first.</summary>
    public List<EmergencyCall> Recent(int limit) =>
        Query($"SELECT {Columns} FROM calls ORDER BY id DESC LIMIT $limit", ("$limit", limit));

    /// <summary>Stores a new call and returns it with its row id.</summary>
    public EmergencyCall Insert(EmergencyCall call) => call with
    {
        Id = (long)Scalar("""
            INSERT INTO calls (device, call, kind, site, building, unit, boot, idle_ms, opened_at, state, escalation_from, elapsed_ms, saved_at, steps, alert_id, token)
            VALUES ($device, $call, $kind, $site, $building, $unit, $boot, $idle, $opened, $state, $from, $elapsed, $saved, $steps, $alert, $token) RETURNING id
            """,
            ("$device", call.Device), ("$call", call.CallId), ("$kind", EmergencyCall.NameOf(call.Kind)), ("$site", call.Site), ("$building", call.Building),
            ("$unit", call.Unit), ("$boot", call.Boot), ("$idle", call.IdleMs), ("$opened", Text(call.OpenedAt)), ("$state", EmergencyCall.NameOf(call.State)),
            ("$from", Text(call.EscalationFrom)), ("$elapsed", (long)call.ElapsedAtSave.TotalMilliseconds), ("$saved", Text(call.SavedAt)), ("$steps", Steps(call.Steps)),
            ("$alert", call.AlertId), ("$token", call.Token))!,
    };

    /// <summary>Writes everything that can change about a call.</summary>
    public void Update(EmergencyCall call) =>
        Execute("""
            UPDATE calls SET state = $state, escalation_from = $from, elapsed_ms = $elapsed, saved_at = $saved, steps = $steps, alert_id = $alert,
              acked_by = $ackBy, acked_via = $ackVia, acked_at = $ackAt, closed_reason = $reason, closed_at = $closedAt WHERE id = $id
            """,
            ("$state", EmergencyCall.NameOf(call.State)), ("$from", Text(call.EscalationFrom)), ("$elapsed", (long)call.ElapsedAtSave.TotalMilliseconds),
            ("$saved", Text(call.SavedAt)), ("$steps", Steps(call.Steps)), ("$alert", call.AlertId), ("$ackBy", call.AcknowledgedBy), ("$ackVia", call.AcknowledgedVia),
            ("$ackAt", Text(call.AcknowledgedAt)), ("$reason", call.ClosedReason), ("$closedAt", Text(call.ClosedAt)), ("$id", call.Id));

    // Rows as calls; none once the store is closed (the edge stopping).
    private List<EmergencyCall> Query(string sql, params (string Name, object? Value)[] parameters) => ReadAll(sql, CallFrom, parameters);

    private static EmergencyCall CallFrom(SqliteDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3) == "welfare" ? CallKind.Welfare : CallKind.Call,
        r.GetString(4),
        r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.GetInt64(7),
        r.IsDBNull(8) ? null : r.GetInt64(8),
        Time(r.GetString(9)),
        State(r.GetString(10)),
        NullableTime(r, 11),
        TimeSpan.FromMilliseconds(r.GetInt64(12)),
        Time(r.GetString(13)),
        ParseSteps(r.GetString(14)),
        r.IsDBNull(15) ? null : r.GetInt64(15),
        r.GetString(16),
        r.IsDBNull(17) ? null : r.GetString(17),
        r.IsDBNull(18) ? null : r.GetString(18),
        NullableTime(r, 19),
        r.IsDBNull(20) ? null : r.GetString(20),
        NullableTime(r, 21));

    private static CallState State(string text) => text switch
    {
        "held" => CallState.Held,
        "open" => CallState.Open,
        "acknowledged" => CallState.Acknowledged,
        _ => CallState.Cancelled,
    };

    private static string Steps(IReadOnlyList<CallStep> steps) =>
        JsonSerializer.Serialize(steps.Select(s => new StoredStep(CallStep.NameOf(s.Stage), s.Relay, Text(s.At)!)).ToList());

    private static List<CallStep> ParseSteps(string json)
    {
        var steps = new List<CallStep>();
        foreach (StoredStep stored in JsonSerializer.Deserialize<List<StoredStep>>(json) ?? [])
        {
            if (CallStep.TryParse(stored.Stage, out EscalationStage stage))
            {
                steps.Add(new CallStep(stage, stored.Relay, Time(stored.At)));
            }
        }

        return steps;
    }

    private sealed record StoredStep(string Stage, string? Relay, string At);
}
