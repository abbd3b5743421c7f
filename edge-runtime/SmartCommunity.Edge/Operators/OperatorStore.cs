namespace SmartCommunity.Edge.Operators;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using SmartCommunity.Edge.Storage;

/// <summary>
/// The people allowed to use the HTTP API, each with one bearer token and a role (<see cref="OperatorRoles"/>), and
/// the fire alarms they acknowledged; kept in the edge database (<c>operators</c> and <c>alarm_acks</c> tables)
/// beside the event log.
/// <para>
/// Only the SHA-256 of a token is stored. A token is 256 random bits, so a fast unsalted hash is enough: a slow,
/// salted password hash guards guessable secrets, and nobody can enumerate 2^256 candidates. Lookup is by that
/// hash, so a timing difference says nothing about the token itself. The table lives in the database rather than
/// in a file because <c>sc-edge operator add/revoke</c> runs in another process while the edge runs: SQLite gives
/// both a consistent view and a revocation takes effect at the edge's next request, with no reload.
/// </para>
/// <para>
/// Adding and revoking are written to the event log by the edge (<see cref="AuditPendingAsync"/>), not by the
/// command line: only the edge process appends to the hash-chained log. A row stays marked unaudited until then.
/// </para>
/// </summary>
public sealed class OperatorStore : IAsyncDisposable
{
    /// <summary>Tokens start with this so a leaked one is recognisable (in a log, a paste, a secret scanner).</summary>
    public const string TokenPrefix = "sce_";

    public const int MaxNameLength = 64;

    private const int AuditedNothing = 0;
    private const int AuditedAdd = 1;
    private const int AuditedAll = 2;

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly EventLog? _log;
    private readonly string _site;

    // One connection, one statement at a time; operator traffic is a few requests a minute, not telemetry.
    private readonly SemaphoreSlim _gate = new(1, 1);

    // One audit pass at a time, so two requests that both see a change do not log it twice.
    private readonly SemaphoreSlim _auditGate = new(1, 1);
    private long _dataVersion = -1;

    private OperatorStore(SqliteConnection connection, TimeProvider time, EventLog? log, string site)
    {
        _connection = connection;
        _time = time;
        _log = log;
        _site = site;
    }

    /// <summary>
    /// Opens the operator tables of the edge database at <paramref name="databasePath"/>. With <paramref name="log"/>
    /// (the edge itself) additions and revocations are written to the event log under <paramref name="site"/>; the
    /// command line passes none and <paramref name="mustExist"/>, so a mistyped --data folder is an error rather
    /// than a new, empty database the edge never reads.
    /// </summary>
    public static OperatorStore Open(string databasePath, TimeProvider time, EventLog? log = null, string site = "", bool mustExist = false)
    {
        if (mustExist && !File.Exists(databasePath))
        {
            throw new OperatorException(
                $"no edge database at {databasePath}: start sc-edge once with this --data folder (the service uses /var/lib/sc-edge), then add operators");
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        try
        {
            Execute(connection, """
                PRAGMA busy_timeout=5000;
                CREATE TABLE IF NOT EXISTS operators (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  name TEXT NOT NULL,
                  token_sha256 TEXT NOT NULL UNIQUE,
                  created_at TEXT NOT NULL,
                  created_by TEXT NOT NULL,
                  revoked_at TEXT,
                  revoked_by TEXT,
                  audited INTEGER NOT NULL DEFAULT 0,
                  role TEXT NOT NULL DEFAULT 'operator');
                CREATE UNIQUE INDEX IF NOT EXISTS operators_active_name ON operators(name) WHERE revoked_at IS NULL;
                CREATE TABLE IF NOT EXISTS alarm_acks (
                  alarm TEXT NOT NULL,
                  since TEXT NOT NULL,
                  by TEXT NOT NULL,
                  at TEXT NOT NULL,
                  PRIMARY KEY (alarm, since));
                """);
            AddRoleColumn(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        RestrictToOwner(databasePath);
        return new OperatorStore(connection, time, log, site);
    }

    /// <summary>A name is what the audit trail shows: letters, digits, '.', '_', '-' and '@', at most 64 characters.</summary>
    public static string? WhyInvalidName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "an operator needs a name, e.g. alice or night-shift";
        }

        if (name.Length > MaxNameLength)
        {
            return $"'{name}' is longer than {MaxNameLength} characters";
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
            {
                return $"'{name}' may contain only letters, digits, '.', '_', '-' and '@'";
            }
        }

        return null;
    }

    /// <summary>The hex SHA-256 of a token: what the table keeps.</summary>
    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// Issues a new token for <paramref name="name"/> with <paramref name="role"/> and returns it; this is the only
    /// time it exists in clear. Throws <see cref="OperatorException"/> for a bad name or role, or a name that already
    /// has a live token.
    /// </summary>
    public async Task<string> IssueAsync(string name, string by = "edge", string role = OperatorRoles.Operator)
    {
        if (WhyInvalidName(name) is { } why)
        {
            throw new OperatorException(why);
        }

        if (OperatorRoles.WhyInvalid(role) is { } badRole)
        {
            throw new OperatorException(badRole);
        }

        string token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            using var insert = _connection.CreateCommand();
            insert.CommandText = "INSERT INTO operators (name, token_sha256, created_at, created_by, role) VALUES ($name, $hash, $at, $by, $role)";
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$role", role);
            insert.Parameters.AddWithValue("$hash", HashToken(token));
            insert.Parameters.AddWithValue("$at", Now());
            insert.Parameters.AddWithValue("$by", by);
            insert.ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            // SQLITE_CONSTRAINT: the partial unique index allows one live token per name.
            throw new OperatorException($"operator '{name}' already has a token; revoke it first (sc-edge operator revoke {name}) to issue a new one");
        }
        finally
        {
            _gate.Release();
        }

        await AuditPendingAsync().ConfigureAwait(false);
        return token;
    }

    /// <summary>Revokes the live token of <paramref name="name"/>; false when it has none.</summary>
    public async Task<bool> RevokeAsync(string name, string by = "edge")
    {
        int changed;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            using var update = _connection.CreateCommand();
            update.CommandText = "UPDATE operators SET revoked_at = $at, revoked_by = $by WHERE name = $name AND revoked_at IS NULL";
            update.Parameters.AddWithValue("$name", name);
            update.Parameters.AddWithValue("$at", Now());
            update.Parameters.AddWithValue("$by", by);
            changed = update.ExecuteNonQuery();
        }
        finally
        {
            _gate.Release();
        }

        await AuditPendingAsync().ConfigureAwait(false);
        return changed > 0;
    }

    /// <summary>Every token ever issued, live and revoked, oldest first.</summary>
    public async Task<IReadOnlyList<OperatorInfo>> ListAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT name, created_at, created_by, revoked_at, revoked_by, role FROM operators ORDER BY id";
            using var reader = select.ExecuteReader();
            var operators = new List<OperatorInfo>();
            while (reader.Read())
            {
                operators.Add(new OperatorInfo(reader.GetString(0), Parse(reader.GetString(1)), reader.GetString(2),
                    reader.IsDBNull(3) ? null : Parse(reader.GetString(3)), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
            }

            return operators;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The name of the live operator holding <paramref name="token"/>, or null for an unknown or revoked token.</summary>
    public async Task<string?> AuthenticateAsync(string token) => (await IdentifyAsync(token).ConfigureAwait(false))?.Name;

    /// <summary>The live operator holding <paramref name="token"/> with their role, or null for an unknown or revoked token.</summary>
    public async Task<OperatorIdentity?> IdentifyAsync(string token)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        OperatorIdentity? identity = null;
        bool changedElsewhere;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT name, role FROM operators WHERE token_sha256 = $hash AND revoked_at IS NULL";
            select.Parameters.AddWithValue("$hash", HashToken(token));
            using (var reader = select.ExecuteReader())
            {
                if (reader.Read())
                {
                    identity = new OperatorIdentity(reader.GetString(0), reader.GetString(1));
                }
            }

            // data_version moves when another connection commits (the command line, or the event log's writer);
            // only then can there be something new to audit.
            long version = Scalar("PRAGMA data_version");
            changedElsewhere = version != Interlocked.Exchange(ref _dataVersion, version);
        }
        finally
        {
            _gate.Release();
        }

        if (changedElsewhere)
        {
            await AuditPendingAsync().ConfigureAwait(false);
        }

        return identity;
    }

    /// <summary>
    /// Writes to the event log every addition and revocation not yet there (those made by the command line, or
    /// before a crash), then marks them. Does nothing without an event log. At least once: a crash between the
    /// append and the mark logs the change again at the next start.
    /// </summary>
    public async Task<int> AuditPendingAsync()
    {
        if (_log is null)
        {
            return 0;
        }

        await _auditGate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await AuditPendingCoreAsync(_log).ConfigureAwait(false);
        }
        finally
        {
            _auditGate.Release();
        }
    }

    private async Task<int> AuditPendingCoreAsync(EventLog log)
    {
        var pending = new List<(long Id, string Name, string CreatedAt, string CreatedBy, string? RevokedAt, string? RevokedBy, int Audited, string Role)>();
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            using var select = _connection.CreateCommand();
            select.CommandText = $"SELECT id, name, created_at, created_by, revoked_at, revoked_by, audited, role FROM operators " +
                $"WHERE audited = {AuditedNothing} OR (revoked_at IS NOT NULL AND audited < {AuditedAll}) ORDER BY id";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                pending.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6), reader.GetString(7)));
            }
        }
        finally
        {
            _gate.Release();
        }

        foreach (var row in pending)
        {
            if (row.Audited == AuditedNothing)
            {
                await log.AppendAsync(OperatorAudit.Record(Parse(row.CreatedAt), _site, "", "edge", "operator-added", row.CreatedBy,
                    new { @operator = row.Name, role = row.Role })).ConfigureAwait(false);
            }

            if (row.RevokedAt is not null)
            {
                await log.AppendAsync(OperatorAudit.Record(Parse(row.RevokedAt), _site, "", "edge", "operator-revoked", row.RevokedBy ?? "unknown",
                    new { @operator = row.Name })).ConfigureAwait(false);
            }

            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                using var mark = _connection.CreateCommand();
                mark.CommandText = "UPDATE operators SET audited = $audited WHERE id = $id";
                mark.Parameters.AddWithValue("$audited", row.RevokedAt is null ? AuditedAdd : AuditedAll);
                mark.Parameters.AddWithValue("$id", row.Id);
                mark.ExecuteNonQuery();
            }
            finally
            {
                _gate.Release();
            }
        }

        return pending.Count;
    }

    /// <summary>Who acknowledged the alarm <paramref name="alarm"/> that began at <paramref name="since"/>, if anyone.</summary>
    public async Task<AlarmAcknowledgement?> FindAcknowledgementAsync(string alarm, DateTimeOffset since)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT by, at FROM alarm_acks WHERE alarm = $alarm AND since = $since";
            select.Parameters.AddWithValue("$alarm", alarm);
            select.Parameters.AddWithValue("$since", Format(since));
            using var reader = select.ExecuteReader();
            return reader.Read() ? new AlarmAcknowledgement(alarm, since, reader.GetString(0), Parse(reader.GetString(1))) : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Records that <paramref name="by"/> acknowledged the alarm; the first acknowledgement of an alarm stands, a
    /// second one returns the first with <c>Repeated</c> set.
    /// </summary>
    public async Task<(AlarmAcknowledgement Acknowledgement, bool Repeated)> AcknowledgeAsync(string alarm, DateTimeOffset since, string by)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            using var insert = _connection.CreateCommand();
            insert.CommandText = "INSERT INTO alarm_acks (alarm, since, by, at) VALUES ($alarm, $since, $by, $at) ON CONFLICT(alarm, since) DO NOTHING";
            insert.Parameters.AddWithValue("$alarm", alarm);
            insert.Parameters.AddWithValue("$since", Format(since));
            insert.Parameters.AddWithValue("$by", by);
            insert.Parameters.AddWithValue("$at", Now());
            bool inserted = insert.ExecuteNonQuery() > 0;

            using var select = _connection.CreateCommand();
            select.CommandText = "SELECT by, at FROM alarm_acks WHERE alarm = $alarm AND since = $since";
            select.Parameters.AddWithValue("$alarm", alarm);
            select.Parameters.AddWithValue("$since", Format(since));
            using var reader = select.ExecuteReader();
            reader.Read();
            return (new AlarmAcknowledgement(alarm, since, reader.GetString(0), Parse(reader.GetString(1))), !inserted);
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        _gate.Dispose();
        _auditGate.Dispose();
        return ValueTask.CompletedTask;
    }

    // The database holds token hashes and the safety record: owner only (the service's UMask=0077 does the same for
    // files it creates; this covers a database created by hand or by an older version).
    private static void RestrictToOwner(string databasePath)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (string file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
        {
            try
            {
                if (File.Exists(file))
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                // Not the owner (e.g. root inspecting the service's file): leave the mode to the owner.
            }
        }
    }

    // Databases made before roles existed have no role column: add it, and every existing operator becomes an
    // "operator" (the column's default). The edge and the command line may both open an old database at once, so the
    // check and the change run in one write transaction.
    private static void AddRoleColumn(SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        using var columns = connection.CreateCommand();
        columns.Transaction = transaction;
        columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('operators') WHERE name = 'role'";
        if (Convert.ToInt64(columns.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            using var alter = connection.CreateCommand();
            alter.Transaction = transaction;
            alter.CommandText = $"ALTER TABLE operators ADD COLUMN role TEXT NOT NULL DEFAULT '{OperatorRoles.Operator}'";
            alter.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Format(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string at) => DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private string Now() => Format(_time.GetUtcNow());

    private long Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}

/// <summary>One issued token: whose, with which role, when and by whom, and whether it was revoked. The token itself is never kept.</summary>
public sealed record OperatorInfo(string Name, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt, string? RevokedBy, string Role = OperatorRoles.Operator)
{
    public bool Revoked => RevokedAt is not null;
}

/// <summary>An operator saw the alarm that began at <see cref="Since"/> (it goes on standing until it is reset).</summary>
public sealed record AlarmAcknowledgement(string Alarm, DateTimeOffset Since, string By, DateTimeOffset At);
