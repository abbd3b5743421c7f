namespace SmartCommunity.Edge.Storage;

using System;
using System.Globalization;
using System.IO;
using Microsoft.Data.Sqlite;

/// <summary>What kind of link is broken; the first one found is reported.</summary>
public enum ChainBreakKind
{
    /// <summary>A payload no longer matches its payload_hash (or a priority row's payload was emptied).</summary>
    PayloadChanged,

    /// <summary>A row's fields no longer match its hash.</summary>
    RowChanged,

    /// <summary>Ids are missing: rows were deleted from the middle, or from either end without an anchor.</summary>
    RowDeleted,

    /// <summary>A row the log did not write: no hash, or below the anchor where every row was pruned.</summary>
    RowInserted,

    /// <summary>The first row after the anchor does not chain from the anchor's hash: the anchor or that row was altered.</summary>
    AnchorMismatch,
}

public sealed record ChainBreak(long RowId, ChainBreakKind Kind, string Detail);

/// <summary>
/// The outcome of <see cref="EventChainVerifier.Verify(string)"/>. <see cref="RowsVerified"/> counts chained rows
/// checked (compacted ones included); <see cref="LegacyRows"/> are rows from before the chain existed, which nothing
/// vouches for. <see cref="HasChain"/> is false for a database not yet opened by a version with the chain.
/// </summary>
public sealed record ChainVerification(bool HasChain, long RowsVerified, long CompactedRows, long LegacyRows, ChainAnchor? Anchor, ChainBreak? FirstBreak)
{
    public bool Intact => FirstBreak is null;
}

/// <summary>
/// Checks the event log's hash chain (<see cref="EventChain"/>) from the anchor, or from genesis, forward: every row's
/// hash recomputed from the previous one, every payload still present against its payload_hash, the first row after
/// the anchor against the anchor's hash, and no ids missing in between or at the end (the AUTOINCREMENT counter
/// remembers the last id handed out). Reads one snapshot on a read-only connection, so it runs beside a live edge.
/// A chain without a secret shows edits made with SQL by hand; someone who rewrites every hash after their edit is only
/// caught by comparing with a hash kept elsewhere (a relayed copy of the head).
/// </summary>
public static class EventChainVerifier
{
    /// <summary>Verifies the database at <paramref name="databasePath"/>; throws <see cref="FileNotFoundException"/> when it is missing and <see cref="InvalidDataException"/> when it is not an event log.</summary>
    public static ChainVerification Verify(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            throw new FileNotFoundException($"no event log at {databasePath}", databasePath);
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using SqliteTransaction snapshot = connection.BeginTransaction(deferred: true);
            return Verify(connection, snapshot);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26) // SQLITE_CORRUPT, SQLITE_NOTADB
        {
            throw new InvalidDataException($"{databasePath} is not a readable SQLite database: {ex.Message}", ex);
        }
    }

    private static ChainVerification Verify(SqliteConnection connection, SqliteTransaction snapshot)
    {
        if (!TableExists(connection, snapshot, "events"))
        {
            throw new InvalidDataException($"{connection.DataSource} is not an sc-edge event log: it has no events table");
        }

        if (!HasColumn(connection, snapshot, "events", "hash"))
        {
            return new ChainVerification(false, 0, 0, Scalar(connection, snapshot, "SELECT count(*) FROM events"), null, null);
        }

        ChainAnchor? anchor = null;
        long migrationLastId = 0;
        if (TableExists(connection, snapshot, "chain_anchor"))
        {
            try
            {
                anchor = ReadAnchor(connection, snapshot);
            }
            catch (FormatException)
            {
                return new ChainVerification(true, 0, 0, 0, null, new ChainBreak(0, ChainBreakKind.AnchorMismatch, "the newest anchor's time is not a timestamp: chain_anchor was edited"));
            }

            migrationLastId = Scalar(connection, snapshot, $"SELECT max(last_id) FROM chain_anchor WHERE kind = '{ChainAnchor.Migration}'");
        }

        long legacy = 0;
        long verified = 0;
        long compacted = 0;
        if (anchor is { Kind: ChainAnchor.Prune })
        {
            long below = Scalar(connection, snapshot, $"SELECT min(id) FROM events WHERE id <= {anchor.LastId}");
            if (below != 0)
            {
                return new ChainVerification(true, 0, 0, 0, anchor, new ChainBreak(below, ChainBreakKind.RowInserted,
                    $"row {below} is at or below the anchor, but every row up to {anchor.LastId} was pruned"));
            }
        }
        else if (anchor is { Kind: ChainAnchor.Migration })
        {
            legacy = Scalar(connection, snapshot, $"SELECT count(*) FROM events WHERE id <= {anchor.LastId}");
        }

        var chain = new EventChain();
        string previousHash = anchor?.Hash ?? EventChain.Genesis;
        long previousId = anchor?.LastId ?? 0;
        bool first = true;

        using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = "SELECT id, at, site, building, source, channel, name, seq, boot, payload, lane, payload_hash, hash FROM events WHERE id > $from ORDER BY id";
        command.Parameters.AddWithValue("$from", previousId);
        using (SqliteDataReader row = command.ExecuteReader())
        {
            while (row.Read())
            {
                long id = row.GetInt64(0);
                string? hash = row.IsDBNull(12) ? null : row.GetString(12);
                if (hash is null)
                {
                    if (id <= migrationLastId)
                    {
                        legacy++;
                        previousId = id;
                        continue;
                    }

                    return Broken(new ChainBreak(id, ChainBreakKind.RowInserted, $"row {id} has no hash: the event log did not write it"));
                }

                // Past the migration anchor ids have no gaps: the writer hands them out one by one, in commit order.
                long expected = Math.Max(previousId, migrationLastId) + 1;
                if (id > expected)
                {
                    return Broken(new ChainBreak(expected, ChainBreakKind.RowDeleted, first && anchor is not null
                        ? $"rows {expected}..{id - 1} are missing between the anchor (through row {anchor.LastId}) and row {id}: deleted without an anchor"
                        : $"rows {expected}..{id - 1} are missing: row {id} follows row {expected - 1}"));
                }

                string payloadHash = row.IsDBNull(11) ? "" : row.GetString(11);
                long lane = row.GetInt64(10);
                if (!EventChain.IsHash(payloadHash))
                {
                    return Broken(new ChainBreak(id, ChainBreakKind.RowChanged, $"row {id}: payload_hash is not a SHA-256"));
                }

                string payload = row.IsDBNull(9) ? "" : row.GetString(9);
                if (payload.Length > 0)
                {
                    if (!string.Equals(EventChain.PayloadHash(payload), payloadHash, StringComparison.OrdinalIgnoreCase))
                    {
                        return Broken(new ChainBreak(id, ChainBreakKind.PayloadChanged, $"row {id}: the payload does not match its payload_hash"));
                    }
                }
                else if (!string.Equals(payloadHash, EventChain.EmptyPayloadHash, StringComparison.OrdinalIgnoreCase))
                {
                    if (lane != (long)EventLane.Bulk)
                    {
                        return Broken(new ChainBreak(id, ChainBreakKind.PayloadChanged, $"row {id}: the payload of a priority-lane row was emptied; retention only compacts bulk rows"));
                    }

                    compacted++;
                }

                string expectedHash;
                try
                {
                    expectedHash = chain.RowHash(previousHash, id, row.GetString(1), row.GetString(2), row.GetString(3), row.GetString(4), row.GetString(5),
                        row.IsDBNull(6) ? null : row.GetString(6), row.GetInt64(7), row.GetInt64(8), lane, payloadHash);
                }
                catch (FormatException)
                {
                    return Broken(new ChainBreak(id, ChainBreakKind.AnchorMismatch, $"the anchor's hash '{previousHash}' is not a SHA-256: chain_anchor was edited"));
                }

                if (!string.Equals(expectedHash, hash, StringComparison.Ordinal))
                {
                    return Broken(first && anchor is not null
                        ? new ChainBreak(id, ChainBreakKind.AnchorMismatch,
                            $"row {id}, the first after the {anchor.Kind} anchor (through row {anchor.LastId}), does not chain from the anchor's hash: the anchor or the row was altered")
                        : new ChainBreak(id, ChainBreakKind.RowChanged,
                            $"row {id}: its fields or its hash were edited (the stored hash does not match the row chained to row {previousId})"));
                }

                verified++;
                previousHash = hash;
                previousId = id;
                first = false;
            }
        }

        // Rows deleted from the end leave nothing to mismatch, but the AUTOINCREMENT counter still remembers them.
        long lastHandedOut = Scalar(connection, snapshot, "SELECT seq FROM sqlite_sequence WHERE name = 'events'");
        long lastAccounted = Math.Max(previousId, Math.Max(migrationLastId, anchor?.LastId ?? 0));
        if (lastHandedOut > lastAccounted)
        {
            return Broken(new ChainBreak(lastAccounted + 1, ChainBreakKind.RowDeleted,
                $"rows {lastAccounted + 1}..{lastHandedOut} are missing from the end: ids up to {lastHandedOut} were handed out"));
        }

        return new ChainVerification(true, verified, compacted, legacy, anchor, null);

        ChainVerification Broken(ChainBreak at) => new(true, verified, compacted, legacy, anchor, at);
    }

    /// <summary>The anchor verification starts from: the one reaching furthest (the newest on a tie).</summary>
    private static ChainAnchor? ReadAnchor(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, kind, last_id, hash, at, rows FROM chain_anchor ORDER BY last_id DESC, id DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new ChainAnchor(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture), reader.GetInt64(5))
            : null;
    }

    private static bool TableExists(SqliteConnection connection, SqliteTransaction snapshot, string table) =>
        Scalar(connection, snapshot, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'") > 0;

    private static bool HasColumn(SqliteConnection connection, SqliteTransaction snapshot, string table, string column) =>
        Scalar(connection, snapshot, $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'") > 0;

    private static long Scalar(SqliteConnection connection, SqliteTransaction snapshot, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = sql;
        return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
    }
}
