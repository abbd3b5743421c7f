namespace SmartCommunity.Edge.Access;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SmartCommunity.Edge.Storage;

/// <summary>
/// The access tables in edge.db, on a connection of their own (<see cref="EdgeDatabase"/>): cards, the versions of each
/// door's allow-list (the last few, so the edge can send a delta from what a controller holds), anti-passback
/// positions, and the audit trail indexed by door, card and time. Short statements only: they share SQLite's write
/// lock with the event log's group commits. Thread-safe, one statement at a time.
/// </summary>
internal sealed class AccessStore : SqliteTables
{
    public AccessStore(string databasePath)
        : base(databasePath, """
            CREATE TABLE IF NOT EXISTS access_cards (
              card TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              unit TEXT,
              valid_from TEXT,
              valid_to TEXT,
              doors TEXT NOT NULL,
              groups TEXT NOT NULL,
              updated_at TEXT NOT NULL,
              updated_by TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS access_lists (
              door TEXT NOT NULL,
              version INTEGER NOT NULL,
              entries TEXT NOT NULL,
              made_at TEXT NOT NULL,
              PRIMARY KEY (door, version));
            CREATE TABLE IF NOT EXISTS access_passback (
              grp TEXT NOT NULL,
              card TEXT NOT NULL,
              direction TEXT NOT NULL,
              door TEXT NOT NULL,
              at TEXT NOT NULL,
              PRIMARY KEY (grp, card));
            CREATE TABLE IF NOT EXISTS access_audit (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              at_ms INTEGER NOT NULL,
              approximate INTEGER NOT NULL,
              logged_at TEXT NOT NULL,
              door TEXT NOT NULL,
              card TEXT,
              event TEXT NOT NULL,
              decision TEXT,
              why TEXT,
              details TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS access_audit_at ON access_audit(at_ms, id);
            CREATE INDEX IF NOT EXISTS access_audit_door ON access_audit(door, at_ms);
            CREATE INDEX IF NOT EXISTS access_audit_card ON access_audit(card, at_ms);
            """)
    {
    }

    public List<AccessCard> LoadCards()
    {
        var cards = new List<AccessCard>();
        Read("SELECT card, name, unit, valid_from, valid_to, doors, groups, updated_at, updated_by FROM access_cards", r => cards.Add(new AccessCard(
            r.GetString(0), r.GetString(1), NullableString(r, 2), NullableTime(r, 3), NullableTime(r, 4),
            JsonSerializer.Deserialize<List<string>>(r.GetString(5)) ?? [], JsonSerializer.Deserialize<List<string>>(r.GetString(6)) ?? [],
            Time(r.GetString(7)), r.GetString(8))));
        return cards;
    }

    public void UpsertCard(AccessCard card) =>
        Execute("""
            INSERT INTO access_cards (card, name, unit, valid_from, valid_to, doors, groups, updated_at, updated_by)
            VALUES ($card, $name, $unit, $from, $to, $doors, $groups, $at, $by)
            ON CONFLICT(card) DO UPDATE SET name = excluded.name, unit = excluded.unit, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
              doors = excluded.doors, groups = excluded.groups, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """,
            ("$card", card.Number), ("$name", card.Name), ("$unit", card.Unit), ("$from", Text(card.ValidFrom)), ("$to", Text(card.ValidTo)),
            ("$doors", JsonSerializer.Serialize(card.Doors)), ("$groups", JsonSerializer.Serialize(card.Groups)), ("$at", Text(card.UpdatedAt)), ("$by", card.UpdatedBy));

    public void DeleteCard(string number) => Execute("DELETE FROM access_cards WHERE card = $card", ("$card", number));

    /// <summary>The newest version of every door's list.</summary>
    public Dictionary<string, (long Version, AllowList List)> LoadLatestLists()
    {
        var lists = new Dictionary<string, (long, AllowList)>(StringComparer.Ordinal);
        Read("SELECT door, version, entries FROM access_lists l WHERE version = (SELECT max(version) FROM access_lists WHERE door = l.door)",
            r => lists[r.GetString(0)] = (r.GetInt64(1), AllowList.Parse(r.GetString(2))));
        return lists;
    }

    /// <summary>The content of <paramref name="door"/>'s list at <paramref name="version"/>, if the edge still keeps it.</summary>
    public AllowList? FindList(string door, long version)
    {
        AllowList? list = null;
        Read("SELECT entries FROM access_lists WHERE door = $door AND version = $version", r => list = AllowList.Parse(r.GetString(0)), ("$door", door), ("$version", version));
        return list;
    }

    /// <summary>Stores a new version and forgets all but the newest <paramref name="keep"/> versions of the door.</summary>
    public void InsertList(string door, long version, AllowList list, DateTimeOffset at, int keep)
    {
        InTransaction(transaction =>
        {
            Run(transaction, "INSERT OR REPLACE INTO access_lists (door, version, entries, made_at) VALUES ($door, $version, $entries, $at)",
                ("$door", door), ("$version", version), ("$entries", list.Text), ("$at", Text(at)));
            Run(transaction, "DELETE FROM access_lists WHERE door = $door AND version <= $oldest", ("$door", door), ("$oldest", version - keep));
        });
    }

    public List<PassbackState> LoadPassback()
    {
        var states = new List<PassbackState>();
        Read("SELECT grp, card, direction, door, at FROM access_passback", r => states.Add(new PassbackState(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Time(r.GetString(4)))));
        return states;
    }

    public void SavePassback(PassbackState state) =>
        Execute("""
            INSERT INTO access_passback (grp, card, direction, door, at) VALUES ($grp, $card, $direction, $door, $at)
            ON CONFLICT(grp, card) DO UPDATE SET direction = excluded.direction, door = excluded.door, at = excluded.at
            """,
            ("$grp", state.Group), ("$card", state.Card), ("$direction", state.Direction), ("$door", state.Door), ("$at", Text(state.At)));

    public void DeletePassback(string card) => Execute("DELETE FROM access_passback WHERE card = $card", ("$card", card));

    public long InsertAudit(AccessAuditEntry entry)
    {
        return (long)Scalar("""
            INSERT INTO access_audit (at_ms, approximate, logged_at, door, card, event, decision, why, details)
            VALUES ($at, $approximate, $logged, $door, $card, $event, $decision, $why, $details) RETURNING id
            """,
            ("$at", entry.At.ToUnixTimeMilliseconds()), ("$approximate", entry.AtApproximate ? 1 : 0), ("$logged", Text(entry.LoggedAt)),
            ("$door", entry.Door), ("$card", entry.Card), ("$event", entry.Event), ("$decision", entry.Decision), ("$why", entry.Why), ("$details", entry.Details))!;
    }

    /// <summary>The matching entries, newest first (by when they happened, then by when they were recorded).</summary>
    public List<AccessAuditEntry> QueryAudit(AccessAuditQuery query)
    {
        var sql = new StringBuilder("SELECT id, at_ms, approximate, logged_at, door, card, event, decision, why, details FROM access_audit WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        if (query.Door is { } door)
        {
            sql.Append(" AND door = $door");
            parameters.Add(("$door", door));
        }

        if (query.Card is { } card)
        {
            sql.Append(" AND card = $card");
            parameters.Add(("$card", card));
        }

        if (query.From is { } from)
        {
            sql.Append(" AND at_ms >= $from");
            parameters.Add(("$from", from.ToUnixTimeMilliseconds()));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND at_ms < $to");
            parameters.Add(("$to", to.ToUnixTimeMilliseconds()));
        }

        sql.Append(" ORDER BY at_ms DESC, id DESC LIMIT $limit");
        parameters.Add(("$limit", query.Limit));
        var entries = new List<AccessAuditEntry>();
        Read(sql.ToString(), r => entries.Add(new AccessAuditEntry(r.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetInt64(2) != 0,
            Time(r.GetString(3)), r.GetString(4), NullableString(r, 5), r.GetString(6), NullableString(r, 7), NullableString(r, 8), r.GetString(9))), parameters.ToArray());
        return entries;
    }

    /// <summary>Drops audit entries that happened before <paramref name="before"/>; the event log keeps its own copy under its own retention.</summary>
    public int PruneAudit(DateTimeOffset before)
    {
        return Execute("DELETE FROM access_audit WHERE at_ms < $before", ("$before", before.ToUnixTimeMilliseconds()));
    }

}
