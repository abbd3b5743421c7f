namespace SmartCommunity.Edge.Parking;

using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SmartCommunity.Edge.Storage;

/// <summary>
/// The parking tables in edge.db on a connection of their own (<see cref="EdgeDatabase"/>): each level's count with
/// the last passage counted per barrier (written together, so a passage re-sent after a restart is not counted
/// twice), visitor passes, reserved places and the entry decisions. Short statements; thread-safe, one at a time.
/// </summary>
internal sealed class ParkingStore : SqliteTables
{
    public ParkingStore(string databasePath)
        : base(databasePath, """
            CREATE TABLE IF NOT EXISTS parking_levels (
              car_park TEXT NOT NULL,
              level TEXT NOT NULL,
              occupied INTEGER NOT NULL,
              PRIMARY KEY (car_park, level));
            CREATE TABLE IF NOT EXISTS parking_car_parks (
              car_park TEXT PRIMARY KEY,
              corrected_at TEXT,
              corrected_by TEXT,
              clamped INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS parking_counted (
              barrier TEXT PRIMARY KEY,
              boot INTEGER NOT NULL,
              seq INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS parking_passes (
              code TEXT PRIMARY KEY,
              car_park TEXT NOT NULL,
              name TEXT,
              plate TEXT,
              valid_from TEXT NOT NULL,
              valid_to TEXT NOT NULL,
              created_at TEXT NOT NULL,
              created_by TEXT NOT NULL,
              revoked_at TEXT,
              revoked_by TEXT);
            CREATE TABLE IF NOT EXISTS parking_reservations (
              card TEXT NOT NULL,
              car_park TEXT NOT NULL,
              at TEXT NOT NULL,
              by TEXT NOT NULL,
              PRIMARY KEY (card, car_park));
            CREATE TABLE IF NOT EXISTS parking_decisions (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              at_ms INTEGER NOT NULL,
              barrier TEXT NOT NULL,
              car_park TEXT,
              card TEXT,
              pass TEXT,
              decision TEXT NOT NULL,
              why TEXT NOT NULL,
              req INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS parking_decisions_at ON parking_decisions(at_ms, id);
            """)
    {
    }

    public Dictionary<(string CarPark, string Level), long> LoadLevels()
    {
        var levels = new Dictionary<(string, string), long>();
        Read("SELECT car_park, level, occupied FROM parking_levels", r => levels[(r.GetString(0), r.GetString(1))] = r.GetInt64(2));
        return levels;
    }

    public Dictionary<string, (DateTimeOffset? At, string? By, long Clamped)> LoadCarParks()
    {
        var carParks = new Dictionary<string, (DateTimeOffset?, string?, long)>(StringComparer.Ordinal);
        Read("SELECT car_park, corrected_at, corrected_by, clamped FROM parking_car_parks",
            r => carParks[r.GetString(0)] = (NullableTime(r, 1), NullableString(r, 2), r.GetInt64(3)));
        return carParks;
    }

    public Dictionary<string, (long Boot, long Seq)> LoadCounted()
    {
        var counted = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        Read("SELECT barrier, boot, seq FROM parking_counted", r => counted[r.GetString(0)] = (r.GetInt64(1), r.GetInt64(2)));
        return counted;
    }

    /// <summary>A counted passage: the levels it changed and the barrier's message that caused it, in one transaction.</summary>
    public void SavePassage(string carPark, IEnumerable<(string Level, long Occupied)> levels, string barrier, long boot, long seq, long clamped)
    {
        InTransaction(transaction =>
        {
            foreach ((string level, long occupied) in levels)
            {
                Run(transaction, UpsertLevel, ("$cp", carPark), ("$level", level), ("$n", occupied));
            }

            Run(transaction, "INSERT INTO parking_counted (barrier, boot, seq) VALUES ($b, $boot, $seq) ON CONFLICT(barrier) DO UPDATE SET boot = excluded.boot, seq = excluded.seq",
                ("$b", barrier), ("$boot", boot), ("$seq", seq));
            Run(transaction, "INSERT INTO parking_car_parks (car_park, clamped) VALUES ($cp, $c) ON CONFLICT(car_park) DO UPDATE SET clamped = excluded.clamped",
                ("$cp", carPark), ("$c", clamped));
        });
    }

    /// <summary>A recount or an operator's correction: every level of the car park set, with who and when.</summary>
    public void SaveCorrection(string carPark, IEnumerable<(string Level, long Occupied)> levels, DateTimeOffset at, string by)
    {
        InTransaction(transaction =>
        {
            foreach ((string level, long occupied) in levels)
            {
                Run(transaction, UpsertLevel, ("$cp", carPark), ("$level", level), ("$n", occupied));
            }

            Run(transaction, """
                INSERT INTO parking_car_parks (car_park, corrected_at, corrected_by) VALUES ($cp, $at, $by)
                ON CONFLICT(car_park) DO UPDATE SET corrected_at = excluded.corrected_at, corrected_by = excluded.corrected_by
                """, ("$cp", carPark), ("$at", Text(at)), ("$by", by));
        });
    }

    public List<VisitorPass> LoadPasses()
    {
        var passes = new List<VisitorPass>();
        Read("SELECT code, car_park, name, plate, valid_from, valid_to, created_at, created_by, revoked_at, revoked_by FROM parking_passes", r => passes.Add(new VisitorPass(
            r.GetString(0), r.GetString(1), NullableString(r, 2), NullableString(r, 3), Time(r.GetString(4)), Time(r.GetString(5)), Time(r.GetString(6)), r.GetString(7),
            NullableTime(r, 8), NullableString(r, 9))));
        return passes;
    }

    public void UpsertPass(VisitorPass pass) =>
        Execute("""
            INSERT INTO parking_passes (code, car_park, name, plate, valid_from, valid_to, created_at, created_by, revoked_at, revoked_by)
            VALUES ($code, $cp, $name, $plate, $from, $to, $at, $by, $rat, $rby)
            ON CONFLICT(code) DO UPDATE SET car_park = excluded.car_park, name = excluded.name, plate = excluded.plate, valid_from = excluded.valid_from,
              valid_to = excluded.valid_to, created_at = excluded.created_at, created_by = excluded.created_by, revoked_at = excluded.revoked_at, revoked_by = excluded.revoked_by
            """,
            ("$code", pass.Code), ("$cp", pass.CarPark), ("$name", pass.Name), ("$plate", pass.Plate), ("$from", Text(pass.ValidFrom)), ("$to", Text(pass.ValidTo)),
            ("$at", Text(pass.CreatedAt)), ("$by", pass.CreatedBy), ("$rat", Text(pass.RevokedAt)), ("$rby", pass.RevokedBy));

    public List<Reservation> LoadReservations()
    {
        var reservations = new List<Reservation>();
        Read("SELECT card, car_park, at, by FROM parking_reservations", r => reservations.Add(new Reservation(r.GetString(0), r.GetString(1), Time(r.GetString(2)), r.GetString(3))));
        return reservations;
    }

    public void UpsertReservation(Reservation reservation) =>
        Execute("INSERT INTO parking_reservations (card, car_park, at, by) VALUES ($card, $cp, $at, $by) ON CONFLICT(card, car_park) DO UPDATE SET at = excluded.at, by = excluded.by",
            ("$card", reservation.Card), ("$cp", reservation.CarPark), ("$at", Text(reservation.At)), ("$by", reservation.By));

    public void DeleteReservation(string card, string carPark) =>
        Execute("DELETE FROM parking_reservations WHERE card = $card AND car_park = $cp", ("$card", card), ("$cp", carPark));

    public void InsertDecision(DateTimeOffset at, string barrier, string? carPark, string? card, string? pass, string decision, string why, long req) =>
        Execute("INSERT INTO parking_decisions (at_ms, barrier, car_park, card, pass, decision, why, req) VALUES ($at, $b, $cp, $card, $pass, $d, $why, $req)",
            ("$at", at.ToUnixTimeMilliseconds()), ("$b", barrier), ("$cp", carPark), ("$card", card), ("$pass", pass), ("$d", decision), ("$why", why), ("$req", req));

    /// <summary>The newest decisions first, optionally of one barrier.</summary>
    public List<ParkingDecision> RecentDecisions(int limit, string? barrier)
    {
        var decisions = new List<ParkingDecision>();
        Read("SELECT id, at_ms, barrier, car_park, card, pass, decision, why, req FROM parking_decisions WHERE ($b IS NULL OR barrier = $b) ORDER BY at_ms DESC, id DESC LIMIT $limit",
            r => decisions.Add(new ParkingDecision(r.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetString(2), NullableString(r, 3), NullableString(r, 4),
                NullableString(r, 5), r.GetString(6), r.GetString(7), r.GetInt64(8))),
            ("$b", barrier), ("$limit", limit));
        return decisions;
    }

    private const string UpsertLevel =
        "INSERT INTO parking_levels (car_park, level, occupied) VALUES ($cp, $level, $n) ON CONFLICT(car_park, level) DO UPDATE SET occupied = excluded.occupied";
}
