namespace SmartCommunity.Edge.Metering;

using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;
using SmartCommunity.Edge.Storage;

/// <summary>
/// The metering tables in edge.db, on a connection of their own (<see cref="EdgeDatabase"/>): readings, register
/// events (reset, rollover, replacement) and, per meter and interval kind, where the relayed consumption records
/// have got to. Values are decimal text, times Unix milliseconds (UTC). Short statements only, one at a time.
/// </summary>
internal sealed class MeterStore : SqliteTables
{

    public MeterStore(string databasePath)
        : base(databasePath, """
            CREATE TABLE IF NOT EXISTS meter_readings (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              meter TEXT NOT NULL,
              at_ms INTEGER NOT NULL,
              value TEXT NOT NULL,
              raw TEXT NOT NULL,
              raw_unit TEXT NOT NULL,
              source TEXT NOT NULL,
              detail TEXT);
            CREATE INDEX IF NOT EXISTS meter_readings_by_time ON meter_readings(meter, at_ms, id);
            CREATE TABLE IF NOT EXISTS meter_events (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              meter TEXT NOT NULL,
              at_ms INTEGER NOT NULL,
              kind TEXT NOT NULL,
              before TEXT NOT NULL,
              after TEXT NOT NULL,
              by TEXT,
              note TEXT);
            CREATE INDEX IF NOT EXISTS meter_events_by_time ON meter_events(meter, at_ms, id);
            CREATE TABLE IF NOT EXISTS meter_relayed (
              meter TEXT NOT NULL,
              kind TEXT NOT NULL,
              next_ms INTEGER NOT NULL,
              PRIMARY KEY (meter, kind));
            """)
    {
    }

    public long Insert(MeterReading r) =>
        ScalarNumber("""
            INSERT INTO meter_readings (meter, at_ms, value, raw, raw_unit, source, detail) VALUES ($meter, $at, $value, $raw, $unit, $source, $detail) RETURNING id
            """,
            ("$meter", r.Meter), ("$at", MeterValues.Milliseconds(r.At)), ("$value", MeterValues.Format(r.Value)), ("$raw", MeterValues.Format(r.Raw)),
            ("$unit", r.RawUnit), ("$source", r.Source), ("$detail", r.Detail)) ?? 0;

    public long Insert(MeterEvent e) =>
        ScalarNumber("""
            INSERT INTO meter_events (meter, at_ms, kind, before, after, by, note) VALUES ($meter, $at, $kind, $before, $after, $by, $note) RETURNING id
            """,
            ("$meter", e.Meter), ("$at", MeterValues.Milliseconds(e.At)), ("$kind", e.Kind), ("$before", MeterValues.Format(e.Before)),
            ("$after", MeterValues.Format(e.After)), ("$by", e.By), ("$note", e.Note)) ?? 0;

    /// <summary>Readings with <paramref name="from"/> ≤ at ≤ <paramref name="to"/>, oldest first.</summary>
    public List<MeterReading> Readings(string meter, DateTimeOffset from, DateTimeOffset to, int limit = int.MaxValue) =>
        ReadAll("SELECT id, meter, at_ms, value, raw, raw_unit, source, detail FROM meter_readings WHERE meter = $meter AND at_ms BETWEEN $from AND $to ORDER BY at_ms, id LIMIT $limit",
            ReadReading, ("$meter", meter), ("$from", MeterValues.Milliseconds(from)), ("$to", MeterValues.Milliseconds(to)), ("$limit", limit));

    /// <summary>Only the times and values of the readings with <paramref name="from"/> ≤ at ≤ <paramref name="to"/>, oldest first: what consumption needs.</summary>
    public List<(DateTimeOffset At, decimal Value)> Levels(string meter, DateTimeOffset from, DateTimeOffset to) =>
        ReadAll("SELECT at_ms, value FROM meter_readings WHERE meter = $meter AND at_ms BETWEEN $from AND $to ORDER BY at_ms, id",
            r => (MeterValues.Time(r.GetInt64(0)), MeterValues.Parse(r.GetString(1))), ("$meter", meter), ("$from", MeterValues.Milliseconds(from)), ("$to", MeterValues.Milliseconds(to)));

    /// <summary>The newest reading at or before <paramref name="at"/>, if any.</summary>
    public MeterReading? LatestAtOrBefore(string meter, DateTimeOffset at) =>
        First(ReadAll("SELECT id, meter, at_ms, value, raw, raw_unit, source, detail FROM meter_readings WHERE meter = $meter AND at_ms <= $at ORDER BY at_ms DESC, id DESC LIMIT 1",
            ReadReading, ("$meter", meter), ("$at", MeterValues.Milliseconds(at))));

    public MeterReading? Latest(string meter) => LatestAtOrBefore(meter, DateTimeOffset.MaxValue.AddDays(-1));

    public MeterReading? FirstReading(string meter) =>
        First(ReadAll("SELECT id, meter, at_ms, value, raw, raw_unit, source, detail FROM meter_readings WHERE meter = $meter ORDER BY at_ms, id LIMIT 1",
            ReadReading, ("$meter", meter)));

    /// <summary>Events of <paramref name="kind"/> (all kinds when null) with <paramref name="from"/> ≤ at ≤ <paramref name="to"/>, oldest first.</summary>
    public List<MeterEvent> Events(string meter, DateTimeOffset from, DateTimeOffset to, string? kind = null) =>
        ReadAll("SELECT id, meter, at_ms, kind, before, after, by, note FROM meter_events WHERE meter = $meter AND at_ms BETWEEN $from AND $to AND ($kind IS NULL OR kind = $kind) ORDER BY at_ms, id",
            ReadEvent, ("$meter", meter), ("$from", MeterValues.Milliseconds(from)), ("$to", MeterValues.Milliseconds(to)), ("$kind", kind));

    public MeterEvent? LatestEvent(string meter, string kind) =>
        First(ReadAll("SELECT id, meter, at_ms, kind, before, after, by, note FROM meter_events WHERE meter = $meter AND kind = $kind ORDER BY at_ms DESC, id DESC LIMIT 1",
            ReadEvent, ("$meter", meter), ("$kind", kind)));

    /// <summary>Where the relayed records of this meter and interval kind continue (the next interval's start), if any were relayed.</summary>
    public DateTimeOffset? NextToRelay(string meter, IntervalKind kind)
    {
        long? ms = ScalarNumber("SELECT next_ms FROM meter_relayed WHERE meter = $meter AND kind = $kind", ("$meter", meter), ("$kind", IntervalNames.NameOf(kind)));
        return ms is { } value ? MeterValues.Time(value) : null;
    }

    public void SetNextToRelay(string meter, IntervalKind kind, DateTimeOffset next) =>
        Execute("INSERT INTO meter_relayed (meter, kind, next_ms) VALUES ($meter, $kind, $next) ON CONFLICT (meter, kind) DO UPDATE SET next_ms = excluded.next_ms",
            ("$meter", meter), ("$kind", IntervalNames.NameOf(kind)), ("$next", MeterValues.Milliseconds(next)));

    private static T? First<T>(List<T> rows)
        where T : class => rows.Count > 0 ? rows[0] : null;

    private static MeterReading ReadReading(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), MeterValues.Time(r.GetInt64(2)), MeterValues.Parse(r.GetString(3)), MeterValues.Parse(r.GetString(4)), r.GetString(5), r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7));

    private static MeterEvent ReadEvent(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), MeterValues.Time(r.GetInt64(2)), r.GetString(3), MeterValues.Parse(r.GetString(4)), MeterValues.Parse(r.GetString(5)),
        r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7));

    private long? ScalarNumber(string sql, params (string Name, object? Value)[] parameters) => Scalar(sql, parameters) is long value ? value : null;
}
