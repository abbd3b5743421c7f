namespace SmartCommunity.Edge.Registry;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;
using SmartCommunity.Protocol;

/// <summary>
/// The devices of the site, in the `devices` table of the edge database: definition (kind, place, role, pins,
/// parameters), credentials (MQTT password as a salted hash, command-signing key sealed under the
/// <see cref="BuildingKey"/>), firmware version, first and last seen. Loaded from the layout file at start and
/// changeable through the API; changes persist and are logged. The layout file wins for a device only when its
/// entry in the file changed since the last start, so an API change is not undone by a restart.
/// </summary>
public sealed partial class DeviceRegistry : Broker.IDeviceCredentials, ICommandKeys
{
    public const string OriginLayout = "layout";
    public const string OriginApi = "api";

    private readonly string _databasePath;
    private readonly BuildingLayout _layout;
    private readonly BuildingKey _key;
    private readonly EventLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writes = new(1, 1);

    // Unsealed command keys by device, so signing a burst of fire releases does not read SQLite per command.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CommandSigningKey?> _signingKeys = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Hash, byte[] Tag)> _verified = new(StringComparer.Ordinal);
    private readonly byte[] _verifiedKey = RandomNumberGenerator.GetBytes(32);
    private long _passwordHashChecks;

    private DeviceRegistry(string databasePath, BuildingLayout layout, BuildingKey key, EventLog log, TimeProvider time, ILogger logger)
    {
        _databasePath = databasePath;
        _layout = layout;
        _key = key;
        _log = log;
        _time = time;
        _logger = logger;
    }

    /// <summary>Opens the registry, imports the layout file's devices and makes the registry's devices the site's.</summary>
    public static DeviceRegistry Open(string databasePath, BuildingKey key, BuildingLayout layout, EventLog log, TimeProvider time, ILogger logger)
    {
        var registry = new DeviceRegistry(databasePath, layout, key, log, time, logger);
        using SqliteConnection connection = registry.OpenConnection();
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS devices (
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              site TEXT NOT NULL,
              building TEXT NOT NULL,
              floor TEXT NOT NULL,
              zone TEXT NOT NULL,
              role TEXT NOT NULL,
              config TEXT NOT NULL,
              origin TEXT NOT NULL,
              layout_hash TEXT,
              retired INTEGER NOT NULL DEFAULT 0,
              password_hash TEXT,
              signing_key BLOB,
              firmware TEXT,
              first_seen TEXT,
              last_seen TEXT,
              updated_at TEXT NOT NULL);
            """);
        AddColumnIfMissing(connection, "signing_key_id", "INTEGER");
        registry.ImportLayout(connection);
        registry.Publish(connection);
        return registry;
    }

    public IReadOnlyList<RegisteredDevice> List(bool includeRetired = false)
    {
        using SqliteConnection connection = OpenConnection();
        return ReadAll(connection).Where(d => includeRetired || !d.Retired).OrderBy(d => d.Definition.Id, StringComparer.Ordinal).ToList();
    }

    public RegisteredDevice? Find(string id) => List(includeRetired: true).FirstOrDefault(d => d.Definition.Id == id);

    /// <summary>
    /// Adds or changes a device. Returns the problems (empty when saved): the same checks as the layout file's,
    /// and the building must be one of the layout's.
    /// </summary>
    public async Task<IReadOnlyList<string>> SaveAsync(DeviceDefinition device, string operatorName)
    {
        List<string> problems = Validate(device);
        if (problems.Count > 0)
        {
            return problems;
        }

        await _writes.WaitAsync().ConfigureAwait(false);
        try
        {
            using SqliteConnection connection = OpenConnection();
            Upsert(connection, device, OriginApi, layoutHash: null);
            Publish(connection);
        }
        finally
        {
            _writes.Release();
        }

        _signingKeys.TryRemove(device.Id, out _);
        LogChanged(_logger, device.Id, operatorName);
        await _log.AppendAsync(AuditRecord(device, "device-saved", operatorName, new { device.Kind, device.Role, device.Floor, device.Zone, device.Pins, device.Parameters }))
            .ConfigureAwait(false);
        return problems;
    }

    /// <summary>Takes a device out of service (kept for the record, no longer accepted). False when unknown.</summary>
    public async Task<bool> RetireAsync(string id, string operatorName)
    {
        RegisteredDevice? device;
        await _writes.WaitAsync().ConfigureAwait(false);
        try
        {
            using SqliteConnection connection = OpenConnection();
            device = ReadAll(connection).FirstOrDefault(d => d.Definition.Id == id && !d.Retired);
            if (device is null)
            {
                return false;
            }

            using SqliteCommand retire = connection.CreateCommand();
            retire.CommandText = "UPDATE devices SET retired = 1, origin = $origin, updated_at = $at WHERE id = $id";
            retire.Parameters.AddWithValue("$origin", OriginApi);
            retire.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O"));
            retire.Parameters.AddWithValue("$id", id);
            retire.ExecuteNonQuery();
            Publish(connection);
        }
        finally
        {
            _writes.Release();
        }

        _signingKeys.TryRemove(id, out _);
        await _log.AppendAsync(AuditRecord(device.Definition, "device-retired", operatorName, new { })).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Gives the device a new MQTT password and command-signing key. They are returned this once (for the
    /// device's configuration bundle); the registry keeps only the password's hash and the sealed key.
    /// </summary>
    public async Task<DeviceSecrets?> IssueCredentialsAsync(string id, string operatorName)
    {
        RegisteredDevice? device = Find(id);
        if (device is null || device.Retired)
        {
            return null;
        }

        string password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        byte[] signingKey = RandomNumberGenerator.GetBytes(32);
        await _writes.WaitAsync().ConfigureAwait(false);
        try
        {
            using SqliteConnection connection = OpenConnection();
            using SqliteCommand update = connection.CreateCommand();
            // A new key gets a new id, so a device provisioned again can tell its bundle key from an older one.
            update.CommandText = "UPDATE devices SET password_hash = $hash, signing_key = $key, signing_key_id = COALESCE(signing_key_id, 0) + 1, updated_at = $at WHERE id = $id";
            update.Parameters.AddWithValue("$hash", PasswordHash.Hash(password));
            update.Parameters.AddWithValue("$key", _key.Seal(signingKey, id));
            update.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O"));
            update.Parameters.AddWithValue("$id", id);
            update.ExecuteNonQuery();
        }
        finally
        {
            _writes.Release();
        }

        _signingKeys.TryRemove(id, out _);
        await _log.AppendAsync(AuditRecord(device.Definition, "credentials-issued", operatorName, new { })).ConfigureAwait(false);
        return new DeviceSecrets(id, password, signingKey) { SigningKeyId = SigningKeyFor(id)?.Id ?? 1 };
    }

    /// <summary>Whether an MQTT password was issued for the device (the broker then always asks for it).</summary>
    public bool HasCredentials(string id) => ReadColumn(id, "password_hash") is string;

    /// <summary>
    /// Whether <paramref name="password"/> is the device's current one. The hash (PBKDF2) costs tens of milliseconds
    /// on a Pi, and after an edge restart every device reconnects at once: a password that verified against the
    /// current hash is remembered as an HMAC under a key that lives only in this process, so its reconnects cost one
    /// HMAC. Credentials issued again change the hash and miss the memory; a wrong password always pays the hash.
    /// </summary>
    public bool VerifyPassword(string id, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (ReadColumn(id, "password_hash") is not string stored)
        {
            return false;
        }

        byte[] tag = HMACSHA256.HashData(_verifiedKey, Encoding.UTF8.GetBytes(password));
        if (_verified.TryGetValue(id, out (string Hash, byte[] Tag) known) && known.Hash == stored && CryptographicOperations.FixedTimeEquals(known.Tag, tag))
        {
            return true;
        }

        Interlocked.Increment(ref _passwordHashChecks);
        if (!PasswordHash.Verify(password, stored))
        {
            return false;
        }

        _verified[id] = (stored, tag);
        return true;
    }

    /// <summary>How many password checks had to run the slow hash (the rest were remembered; <see cref="VerifyPassword"/>).</summary>
    public long PasswordHashChecks => Interlocked.Read(ref _passwordHashChecks);

    /// <summary>The device's command-signing key, unsealed; null when none was issued.</summary>
    public byte[]? SigningKey(string id) => ReadColumn(id, "signing_key") is byte[] sealedKey ? _key.Open(sealedKey, id) : null;

    /// <summary>The device's command key and its id (protocol.md §4.5), cached; null without credentials or once retired.</summary>
    public CommandSigningKey? SigningKeyFor(string deviceId) =>
        _signingKeys.GetOrAdd(deviceId, id =>
            ReadColumn(id, "signing_key") is byte[] sealedKey
                ? new CommandSigningKey(ReadColumn(id, "signing_key_id") is long keyId ? keyId : 1, _key.Open(sealedKey, id))
                : null);

    /// <summary>
    /// Rotates the device's command key (protocol.md §4.5): a fresh key goes out in a <c>rekey</c> command wrapped
    /// under the current one, and the registry switches to it only when the device acknowledged it. Until then, and
    /// if the device refuses it or never answers, the current key stays. Returns the command's record.
    /// </summary>
    public async Task<KeyRotation> RotateSigningKeyAsync(string id, string operatorName, CommandPublisher commands, CancellationToken cancel)
    {
        RegisteredDevice? device = Find(id);
        if (device is null || device.Retired)
        {
            return new KeyRotation(KeyRotationOutcome.UnknownDevice, null, null);
        }

        if (SigningKeyFor(id) is not { } current)
        {
            return new KeyRotation(KeyRotationOutcome.NoKey, null, null);
        }

        byte[] next = RandomNumberGenerator.GetBytes(32);
        long nextId = current.Id + 1;
        var settled = new TaskCompletionSource<CommandRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? commandId = null;
        void OnSettled(CommandRecord record)
        {
            if (record.Id == Volatile.Read(ref commandId))
            {
                settled.TrySetResult(record);
            }
        }

        commands.Settled += OnSettled;
        try
        {
            CommandTicket ticket = await commands.RequestAsync(new CommandRequest(device.Definition, CommandKind.Rekey, "command key rotation",
                CommandOrigin.Operator, operatorName, NewKey: next, NewKeyId: nextId)).ConfigureAwait(false);
            if (ticket.Id is null)
            {
                return new KeyRotation(KeyRotationOutcome.Refused, null, ticket.RefusedBecause);
            }

            Volatile.Write(ref commandId, ticket.Id);
            if (commands.Find(ticket.Id) is { State: not CommandState.Pending } already)
            {
                settled.TrySetResult(already);
            }

            CommandRecord outcome = await settled.Task.WaitAsync(cancel).ConfigureAwait(false);
            if (outcome.State != CommandState.Done)
            {
                await _log.AppendAsync(AuditRecord(device.Definition, "key-rotation-failed", operatorName, new { command = outcome.Id, result = outcome.Result })).ConfigureAwait(false);
                return new KeyRotation(KeyRotationOutcome.NotAcknowledged, outcome, outcome.Result);
            }

            await StoreSigningKeyAsync(id, next, nextId).ConfigureAwait(false);
            await _log.AppendAsync(AuditRecord(device.Definition, "key-rotated", operatorName, new { command = outcome.Id, keyId = nextId })).ConfigureAwait(false);
            return new KeyRotation(KeyRotationOutcome.Rotated, outcome, null) { KeyId = nextId };
        }
        finally
        {
            commands.Settled -= OnSettled;
        }
    }

    private async Task StoreSigningKeyAsync(string id, byte[] key, long keyId)
    {
        await _writes.WaitAsync().ConfigureAwait(false);
        try
        {
            using SqliteConnection connection = OpenConnection();
            using SqliteCommand update = connection.CreateCommand();
            update.CommandText = "UPDATE devices SET signing_key = $key, signing_key_id = $kid, updated_at = $at WHERE id = $id";
            update.Parameters.AddWithValue("$key", _key.Seal(key, id));
            update.Parameters.AddWithValue("$kid", keyId);
            update.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O"));
            update.Parameters.AddWithValue("$id", id);
            update.ExecuteNonQuery();
            _signingKeys[id] = new CommandSigningKey(keyId, key);
        }
        finally
        {
            _writes.Release();
        }
    }

    private static void AddColumnIfMissing(SqliteConnection connection, string column, string type)
    {
        using SqliteCommand info = connection.CreateCommand();
        info.CommandText = "SELECT COUNT(*) FROM pragma_table_info('devices') WHERE name = $name";
        info.Parameters.AddWithValue("$name", column);
        if ((long)info.ExecuteScalar()! == 0)
        {
            Execute(connection, $"ALTER TABLE devices ADD COLUMN {column} {type}");
        }
    }

    /// <summary>Records first/last seen and firmware from the twins, in a transaction of its own.</summary>
    public void RecordSeen(IReadOnlyList<DeviceTwin> twins)
    {
        using SqliteConnection connection = OpenConnection();
        using SqliteTransaction transaction = connection.BeginTransaction();
        RecordSeen(twins, transaction);
        transaction.Commit();
    }

    /// <summary>
    /// Records first/last seen and firmware inside the caller's transaction: the twin keeper writes the twins and
    /// this in one transaction, so the pass takes SQLite's write lock (shared with the event log's commits) once.
    /// </summary>
    public static void RecordSeen(IReadOnlyList<DeviceTwin> twins, SqliteTransaction transaction)
    {
        using SqliteCommand seen = transaction.Connection!.CreateCommand();
        seen.Transaction = transaction;
        seen.CommandText = "UPDATE devices SET first_seen = COALESCE(first_seen, $seen), last_seen = $seen, firmware = COALESCE($fw, firmware) WHERE id = $id";
        foreach (DeviceTwin twin in twins)
        {
            TwinSnapshot snapshot = twin.Snapshot();
            if (snapshot.LastSeen is not { } lastSeen)
            {
                continue;
            }

            seen.Parameters.Clear();
            seen.Parameters.AddWithValue("$seen", lastSeen.ToString("O"));
            seen.Parameters.AddWithValue("$fw", (object?)snapshot.FirmwareVersion ?? DBNull.Value);
            seen.Parameters.AddWithValue("$id", snapshot.Id);
            seen.ExecuteNonQuery();
        }
    }

    private List<string> Validate(DeviceDefinition device)
    {
        var problems = new List<string>();
        foreach ((string what, string value) in new[] { ("id", device.Id), ("floor", device.Floor), ("zone", device.Zone) })
        {
            if (!Topics.IsValidLevel(value))
            {
                problems.Add($"{what} '{value}' must be 1-{MessageLimits.MaxIdLength} characters of a-z, 0-9, '-' or '_'");
            }
        }

        if (device.Site != _layout.Site)
        {
            problems.Add($"site '{device.Site}' is not this edge's site '{_layout.Site}'");
        }

        if (!_layout.HasBuilding(device.Building))
        {
            problems.Add($"building '{device.Building}' is not in the layout; buildings come from the layout file ({string.Join(", ", _layout.Buildings.Select(b => b.Id))})");
        }

        if (!DeviceKinds.RolesByKind.TryGetValue(device.Kind, out string[]? roles))
        {
            problems.Add($"unknown device kind '{device.Kind}'; known kinds: {string.Join(", ", DeviceKinds.RolesByKind.Keys)}");
        }
        else if (!roles.Contains(device.Role))
        {
            problems.Add($"a {device.Kind} cannot have role '{device.Role}'; use one of: {string.Join(", ", roles)}");
        }

        if (device.FeedsSprinklers && device.Kind != DeviceKinds.Leak)
        {
            problems.Add($"feedsSprinklers applies to valves (kind {DeviceKinds.Leak}) only, not to a {device.Kind}");
        }
        else if (device.FeedsSprinklers && device.Role != DeviceKinds.RoleValve)
        {
            problems.Add($"a valve that feeds sprinklers must have role '{DeviceKinds.RoleValve}' (no leak probe of its own): a probe would close it locally");
        }
        else if (device.FeedsSprinklers && device.Parameter(LayoutLoader.ExerciseIntervalParameter, 0) != 0)
        {
            problems.Add($"a valve that feeds sprinklers is never exercised; set {LayoutLoader.ExerciseIntervalParameter} to 0 or leave it out");
        }

        problems.AddRange(device.Pins.Where(p => p.Value is < 0 or > 255).Select(p => $"pin {p.Key} = {p.Value} is out of range; GPIO numbers are 0-255"));
        problems.AddRange(DoorKeyProblems(device));
        return problems;
    }

    // The layout loader's checks of the door keys (hardware-docs/layout.md), for devices saved through the API.
    private IEnumerable<string> DoorKeyProblems(DeviceDefinition device)
    {
        if (device.Kind != DeviceKinds.Door)
        {
            if (device.LockMode is not null || device.EgressCritical is not null || device.Groups.Count > 0 || device.Direction is not null)
            {
                yield return $"lockMode, egressCritical, groups and direction apply to doors (kind {DeviceKinds.Door}) only, not to a {device.Kind}";
            }

            yield break;
        }

        if (device.LockMode is { } lockMode && LayoutLoader.LockModeProblem(device.Role, lockMode) is { } lockProblem)
        {
            yield return lockProblem;
        }

        if (device.Direction is not (null or DeviceKinds.DirectionIn or DeviceKinds.DirectionOut))
        {
            yield return $"direction '{device.Direction}' must be {DeviceKinds.DirectionIn} or {DeviceKinds.DirectionOut}";
        }

        foreach (string group in device.Groups)
        {
            if (_layout.FindDoorGroup(group) is not { } definition)
            {
                yield return $"unknown door group '{group}'; groups come from the layout file's doorGroups ({string.Join(", ", _layout.DoorGroups.Select(g => g.Id))})";
            }
            else if (definition.NeedsDirection && device.Direction is null)
            {
                yield return $"group '{group}' has antiPassback {DoorGroup.NameOf(definition.AntiPassback)}, which needs the door's direction: give direction in or out";
            }
        }

        if (device.Groups.Distinct(StringComparer.Ordinal).Count() != device.Groups.Count)
        {
            yield return "a door group is listed twice";
        }
    }

    // Devices of the file are inserted; an entry changed in the file since the last import replaces the stored one;
    // devices that were the file's and are gone from it are retired.
    private void ImportLayout(SqliteConnection connection)
    {
        Dictionary<string, (string? Hash, string Origin, bool Retired)> stored = ReadImportState(connection);
        foreach (DeviceDefinition device in _layout.DeclaredDevices)
        {
            string hash = LayoutHash(device);
            if (stored.TryGetValue(device.Id, out var row) && row.Hash == hash && !(row.Retired && row.Origin == OriginLayout))
            {
                continue;
            }

            if (stored.ContainsKey(device.Id))
            {
                LogLayoutChanged(_logger, device.Id);
            }

            Upsert(connection, device, OriginLayout, hash);
        }

        var declared = _layout.DeclaredDevices.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach ((string id, var row) in stored.Where(s => s.Value.Origin == OriginLayout && !s.Value.Retired && !declared.Contains(s.Key)))
        {
            using SqliteCommand retire = connection.CreateCommand();
            retire.CommandText = "UPDATE devices SET retired = 1, updated_at = $at WHERE id = $id";
            retire.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O"));
            retire.Parameters.AddWithValue("$id", id);
            retire.ExecuteNonQuery();
            LogRetiredFromLayout(_logger, id);
        }
    }

    private void Upsert(SqliteConnection connection, DeviceDefinition device, string origin, string? layoutHash)
    {
        using SqliteCommand upsert = connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO devices (id, kind, site, building, floor, zone, role, config, origin, layout_hash, retired, updated_at)
            VALUES ($id, $kind, $site, $building, $floor, $zone, $role, $config, $origin, $hash, 0, $at)
            ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, site = excluded.site, building = excluded.building, floor = excluded.floor,
              zone = excluded.zone, role = excluded.role, config = excluded.config, origin = excluded.origin,
              layout_hash = COALESCE(excluded.layout_hash, devices.layout_hash), retired = 0, updated_at = excluded.updated_at
            """;
        upsert.Parameters.AddWithValue("$id", device.Id);
        upsert.Parameters.AddWithValue("$kind", device.Kind);
        upsert.Parameters.AddWithValue("$site", device.Site);
        upsert.Parameters.AddWithValue("$building", device.Building);
        upsert.Parameters.AddWithValue("$floor", device.Floor);
        upsert.Parameters.AddWithValue("$zone", device.Zone);
        upsert.Parameters.AddWithValue("$role", device.Role);
        upsert.Parameters.AddWithValue("$config", JsonSerializer.Serialize(new StoredConfig(device.Pins.ToDictionary(), device.Parameters.ToDictionary(), device.Unit, device.FeedsSprinklers)
        {
            LockMode = device.LockMode, EgressCritical = device.EgressCritical, Groups = device.Groups.Count > 0 ? device.Groups.ToList() : null, Direction = device.Direction,
        }));
        upsert.Parameters.AddWithValue("$origin", origin);
        upsert.Parameters.AddWithValue("$hash", (object?)layoutHash ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O"));
        upsert.ExecuteNonQuery();
    }

    // Makes the registry's active devices the ones every part of the edge sees.
    private void Publish(SqliteConnection connection) =>
        _layout.ReplaceDevices(ReadAll(connection).Where(d => !d.Retired).Select(d => d.Definition));

    private static List<RegisteredDevice> ReadAll(SqliteConnection connection)
    {
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT id, kind, site, building, floor, zone, role, config, origin, retired, password_hash IS NOT NULL, firmware, first_seen, last_seen FROM devices";
        using SqliteDataReader row = select.ExecuteReader();
        var devices = new List<RegisteredDevice>();
        while (row.Read())
        {
            StoredConfig config = JsonSerializer.Deserialize<StoredConfig>(row.GetString(7)) ?? new StoredConfig([], [], null, false);
            var definition = new DeviceDefinition(row.GetString(0), row.GetString(1), row.GetString(6), row.GetString(2), row.GetString(3), row.GetString(4), row.GetString(5),
                config.Pins, config.Parameters)
            {
                Unit = config.Unit, FeedsSprinklers = config.FeedsSprinklers, LockMode = config.LockMode, EgressCritical = config.EgressCritical, Groups = config.Groups ?? [], Direction = config.Direction,
            };
            devices.Add(new RegisteredDevice(definition, row.GetString(8), row.GetInt64(9) != 0, row.GetBoolean(10), row.IsDBNull(11) ? null : row.GetString(11),
                ParseTime(row, 12), ParseTime(row, 13)));
        }

        return devices;
    }

    private static Dictionary<string, (string? Hash, string Origin, bool Retired)> ReadImportState(SqliteConnection connection)
    {
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT id, layout_hash, origin, retired FROM devices";
        using SqliteDataReader row = select.ExecuteReader();
        var state = new Dictionary<string, (string?, string, bool)>(StringComparer.Ordinal);
        while (row.Read())
        {
            state[row.GetString(0)] = (row.IsDBNull(1) ? null : row.GetString(1), row.GetString(2), row.GetInt64(3) != 0);
        }

        return state;
    }

    private object? ReadColumn(string id, string column)
    {
        using SqliteConnection connection = OpenConnection();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = $"SELECT {column} FROM devices WHERE id = $id AND retired = 0";
        select.Parameters.AddWithValue("$id", id);
        object? value = select.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static DateTimeOffset? ParseTime(SqliteDataReader row, int column) =>
        row.IsDBNull(column) ? null : DateTimeOffset.Parse(row.GetString(column), CultureInfo.InvariantCulture);

    private static string LayoutHash(DeviceDefinition device)
    {
        string canonical = string.Join("\n", device.Id, device.Kind, device.Role, device.Site, device.Building, device.Floor, device.Zone,
            string.Join(",", device.Pins.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)),
            string.Join(",", device.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)),
            "unit=" + device.Unit, "sprinklers=" + device.FeedsSprinklers);

        // The door keys came later; added only when set, so a device whose entry did not change keeps its hash.
        if (device.LockMode is not null || device.EgressCritical is not null || device.Groups.Count > 0 || device.Direction is not null)
        {
            canonical += "\n" + string.Join("\n", "lockMode=" + device.LockMode, "egressCritical=" + device.EgressCritical, "groups=" + string.Join(",", device.Groups), "direction=" + device.Direction);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private EventRecord AuditRecord(DeviceDefinition device, string name, string operatorName, object details) =>
        new(_time.GetUtcNow(), device.Site, device.Building, device.Id, "operator", name, 0, 0,
            JsonSerializer.Serialize(new { by = operatorName, details }), EventLane.Priority);

    private SqliteConnection OpenConnection() => EdgeDatabase.Open(_databasePath);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Device} saved in the registry by {Operator}")]
    private static partial void LogChanged(ILogger logger, string device, string @operator);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Device} changed in the layout file since the last start; the file's entry replaces the registry's")]
    private static partial void LogLayoutChanged(ILogger logger, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Device} is no longer in the layout file; retired")]
    private static partial void LogRetiredFromLayout(ILogger logger, string device);

    // Unit and FeedsSprinklers arrived after the first rows were written: absent in those, they read as null and false;
    // so do the door keys (lockMode, egressCritical, groups, direction), which came later still.
    private sealed record StoredConfig(Dictionary<string, int> Pins, Dictionary<string, long> Parameters, string? Unit, bool FeedsSprinklers)
    {
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public string? LockMode { get; init; }

        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public bool? EgressCritical { get; init; }

        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public List<string>? Groups { get; init; }

        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public string? Direction { get; init; }
    }
}

/// <summary>A device as the registry holds it.</summary>
public sealed record RegisteredDevice(
    DeviceDefinition Definition,
    string Origin,
    bool Retired,
    bool HasCredentials,
    string? Firmware,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen);

/// <summary>Credentials shown once, when issued: for the device's configuration bundle, never stored in the clear.</summary>
public sealed record DeviceSecrets(string DeviceId, string MqttPassword, byte[] SigningKey)
{
    /// <summary>The signing key's id: the bundle's "commandKeyId" (protocol.md §7).</summary>
    public long SigningKeyId { get; init; } = 1;
}

public enum KeyRotationOutcome
{
    Rotated,
    UnknownDevice,
    NoKey,
    Refused,
    NotAcknowledged,
}

/// <summary>How a key rotation ended; <see cref="Command"/> is the rekey command's record when one was sent.</summary>
public sealed record KeyRotation(KeyRotationOutcome Outcome, CommandRecord? Command, string? Why)
{
    public long KeyId { get; init; }
}
