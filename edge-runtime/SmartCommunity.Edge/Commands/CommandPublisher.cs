namespace SmartCommunity.Edge.Commands;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;
using SmartCommunity.Protocol;
using SmartCommunity.Protocol.Crypto;

/// <summary>
/// Sends commands to devices and follows each one to its end (hardware-docs/protocol.md §4): a fresh id and counter
/// per command, an expiry on the device's own clock when the edge knows it, and the HMAC under the device's command
/// key when <see cref="Keys"/> holds one (§4.5); a retry resends the very same bytes. Every request
/// passes the safety gates first. A command without an ack is sent again with the same id, with growing pauses,
/// until it is acknowledged, expires or runs out of attempts; its outcome is kept for the API and the edge's own
/// conclusions (expired, cancelled, refused) go to the event log. The device acts on an id only once.
/// </summary>
public sealed partial class CommandPublisher : IAsyncDisposable
{
    /// <summary>How many settled commands the API can still show.</summary>
    public const int HistoryLimit = 2000;

    private readonly IDownlink _downlink;
    private readonly EventLog _log;
    private readonly TwinRegistry _twins;
    private readonly EdgeCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CommandOptions _options;
    private readonly ConcurrentDictionary<string, PendingCommand> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CommandRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _recordOrder = new();
    private readonly List<ISafetyGate> _gates = [];
    private readonly string _idPrefix;
    private readonly ITimer _retryTimer;

    // One retry pass at a time: the timer and a direct call must not send the same command twice.
    private readonly SemaphoreSlim _retryPass = new(1, 1);
    private long _signedSent;
    private long _securityRefusals;
    private long _nextId;
    private CommandCounter _counter;

    public CommandPublisher(IDownlink downlink, EventLog log, TwinRegistry twins, EdgeCounters counters, TimeProvider time, ILogger logger, CommandOptions options)
    {
        _downlink = downlink;
        _log = log;
        _twins = twins;
        _counters = counters;
        _time = time;
        _logger = logger;
        _options = options;

        // Ids must not repeat across edge restarts (a device would take a new command for a repeat), so they start
        // with the edge's start time in milliseconds; counters start there too so they keep growing across restarts.
        long startMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        _idPrefix = startMs.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        _counter = CommandCounter.InMemory(time);
        _retryTimer = time.CreateTimer(_ => _ = RetryDueAsync(), null, options.RetryInterval, options.RetryInterval);
    }

    /// <summary>Raised once per command when it settles (done, rejected, expired, cancelled); for metrics.</summary>
    public event Action<CommandRecord>? Settled;

    public int PendingCount => _pending.Count;

    /// <summary>The devices' command keys; a device with one gets every command signed (protocol.md §4.5).</summary>
    public ICommandKeys? Keys { get; init; }

    /// <summary>The counter ("ctr") commands carry; persisted by the host so it grows across restarts. In memory when not set.</summary>
    public CommandCounter Counter
    {
        get => _counter;
        init => _counter = value;
    }

    /// <summary>Commands sent signed, and ones a keyed device refused as forged or replayed (bad-mac, replayed).</summary>
    public long SignedSent => Interlocked.Read(ref _signedSent);

    public long SecurityRefusals => Interlocked.Read(ref _securityRefusals);

    public void AddSafetyGate(ISafetyGate gate) => _gates.Add(gate);

    /// <summary>
    /// Sends the command unless a safety gate refuses it. A refusal is logged, counted and returned with its
    /// reason; nothing is sent.
    /// </summary>
    public async Task<CommandTicket> RequestAsync(CommandRequest request)
    {
        foreach (ISafetyGate gate in _gates)
        {
            if (gate.WhyRefused(request) is { } why)
            {
                _counters.CountCommandRefused();
                LogCommandRefused(_logger, CommandNames.NameOf(request.Kind), request.Device.Id, request.Origin.ToString(), why);
                await _log.AppendAsync(EdgeRecord(request.Device, "command-refused", new
                {
                    cmd = CommandNames.NameOf(request.Kind),
                    origin = request.Origin.ToString(),
                    by = request.Operator,
                    reason = request.Reason,
                    refused = why,
                })).ConfigureAwait(false);
                return new CommandTicket(null, why);
            }
        }

        return new CommandTicket(await SendCoreAsync(request).ConfigureAwait(false), null);
    }

    /// <summary>The built-in life-safety path (releases): no gate can refuse a release, so this always sends.</summary>
    public Task<string> SendAsync(DeviceDefinition device, CommandKind kind, string reason) =>
        SendCoreAsync(new CommandRequest(device, kind, reason, CommandOrigin.LifeSafety));

    /// <summary>Settles the pending command an ack names. Unknown ids (e.g. from before a restart) are only logged.</summary>
    public void OnAck(DeviceMessage ack)
    {
        string? id = ack.StringField("id");
        bool rejected = ack.StringField("result") != CommandNames.ResultDone;
        _counters.CountAck(rejected);

        // Counted whatever the id: a refusal of a command the edge never sent (a forgery, a replay) matters most.
        string? reason = ack.StringField("reason");
        if (reason is "bad-mac" or "replayed")
        {
            Interlocked.Increment(ref _securityRefusals);
            LogSecurityRefusal(_logger, ack.DeviceId, id ?? "", reason);
        }

        if (id is null || !_pending.TryRemove(id, out _))
        {
            return;
        }

        if (rejected)
        {
            LogCommandRejected(_logger, id, ack.DeviceId, reason ?? "unknown");
        }

        Settle(id, rejected ? CommandState.Rejected : CommandState.Done, rejected ? reason ?? "rejected" : CommandNames.ResultDone);
    }

    public bool IsPending(string id) => _pending.ContainsKey(id);

    public CommandRecord? Find(string id) => _records.GetValueOrDefault(id);

    /// <summary>The newest commands first, optionally for one device.</summary>
    public IReadOnlyList<CommandRecord> Recent(int limit, string? device = null) =>
        _records.Values.Where(r => device is null || r.Device == device).OrderByDescending(r => r.SentAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Take(Math.Clamp(limit, 1, HistoryLimit)).ToList();

    /// <summary>
    /// Withdraws every pending command of <paramref name="building"/> that <paramref name="which"/> selects, e.g.
    /// locks and unlock timers when a fire latches. Each is recorded as cancelled; a retry will not go out.
    /// </summary>
    public async Task<int> CancelPendingAsync(string building, Func<CommandKind, bool> which, string why)
    {
        var cancelled = new List<Task>();
        foreach (PendingCommand command in _pending.Values.Where(c => c.Device.Building == building && which(c.Kind)))
        {
            if (_pending.TryRemove(command.Id, out _))
            {
                Settle(command.Id, CommandState.Cancelled, why);
                LogCommandCancelled(_logger, command.Id, command.Device.Id, why);
                cancelled.Add(_log.AppendAsync(EdgeRecord(command.Device, "command-cancelled", new { id = command.Id, cmd = CommandNames.NameOf(command.Kind), reason = why })));
            }
        }

        await Task.WhenAll(cancelled).ConfigureAwait(false);
        return cancelled.Count;
    }

    public async ValueTask DisposeAsync()
    {
        await _retryTimer.DisposeAsync().ConfigureAwait(false);
        await _retryPass.WaitAsync().ConfigureAwait(false);
        _retryPass.Dispose();
    }

    /// <summary>Sends again, with the same id, every command whose retry time has come; settles the expired ones.</summary>
    public async Task RetryDueAsync()
    {
        await _retryPass.WaitAsync().ConfigureAwait(false);
        try
        {
            await RetryDueCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _retryPass.Release();
        }
    }

    private async Task RetryDueCoreAsync()
    {
        DateTimeOffset now = _time.GetUtcNow();
        foreach (PendingCommand command in _pending.Values)
        {
            if (command.NextAttemptAt > now)
            {
                continue;
            }

            if (command.Attempts >= _options.MaxAttempts || now >= command.GiveUpAt)
            {
                if (_pending.TryRemove(command.Id, out _))
                {
                    LogCommandUnacknowledged(_logger, command.Id, command.Device.Id, command.Attempts);
                    Settle(command.Id, CommandState.Expired, $"no ack after {command.Attempts} attempts");
                    await _log.AppendAsync(EdgeRecord(command.Device, "command-expired", new { id = command.Id, cmd = CommandNames.NameOf(command.Kind), attempts = command.Attempts }))
                        .ConfigureAwait(false);
                }

                continue;
            }

            int attempts = command.Attempts + 1;
            _pending[command.Id] = command with { Attempts = attempts, NextAttemptAt = now + Backoff(attempts) };
            _records.AddOrUpdate(command.Id, _ => throw new InvalidOperationException("a pending command has a record"), (_, r) => r with { Attempts = attempts });
            try
            {
                await _downlink.PublishAsync(command.Topic, command.Payload, retain: false).ConfigureAwait(false);
                _counters.CountCommandRetry();
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                LogRetryFailed(_logger, command.Id, ex);
            }
        }
    }

    // The pause after attempt n is RetryInterval * 2^(n-1), capped: quick first retries for a lost packet, then
    // patience for a device that is rebooting.
    private TimeSpan Backoff(int attempts)
    {
        double factor = Math.Pow(2, Math.Min(attempts - 1, 10));
        return TimeSpan.FromTicks(Math.Min(_options.RetryInterval.Ticks * (long)factor, _options.MaxRetryInterval.Ticks));
    }

    private async Task<string> SendCoreAsync(CommandRequest request)
    {
        DeviceDefinition device = request.Device;
        string id = _idPrefix + "-" + Interlocked.Increment(ref _nextId).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        long counter = Counter.Next();
        (long boot, long expiresAt) = Expiry(device.Id);
        CommandSigningKey? key = Keys?.SigningKeyFor(device.Id);
        if (request.Kind == CommandKind.Rekey)
        {
            request = WithWrappedKey(request, id, key);
        }

        byte[] payload = Encode(id, request, counter, boot, expiresAt);
        if (key is not null)
        {
            // The same signed bytes are kept for every retry (protocol.md §4.2).
            payload = Sign(payload, key.Key);
            Interlocked.Increment(ref _signedSent);
        }
        string topic = Topics.Device(device.Site, device.Building, device.Kind, device.Id, Channel.Command);
        DateTimeOffset now = _time.GetUtcNow();
        Remember(new CommandRecord(id, device.Id, device.Building, CommandNames.NameOf(request.Kind), request.Origin, request.Operator, request.Reason,
            now, 1, CommandState.Pending, null, null));
        _pending[id] = new PendingCommand(id, device, request.Kind, topic, payload, now + Backoff(1), 1, now + _options.TimeToLive);

        await _downlink.PublishAsync(topic, payload, retain: false).ConfigureAwait(false);
        _counters.CountCommandSent();
        LogCommandSent(_logger, CommandNames.NameOf(request.Kind), device.Id, id, request.Reason);
        await _log.AppendAsync(new EventRecord(_time.GetUtcNow(), device.Site, device.Building, device.Id, Channel.Command,
            CommandNames.NameOf(request.Kind), 0, 0, Encoding.UTF8.GetString(payload), EventLane.Priority)).ConfigureAwait(false);
        return id;
    }

    // The new key travels wrapped under the current one, with a wrapping key derived from this command's id (§4.5).
    private static CommandRequest WithWrappedKey(CommandRequest request, string id, CommandSigningKey? current)
    {
        if (current is null || request.NewKey is not { Length: CommandKey.KeySize } newKey || request.NewKeyId < 1)
        {
            throw new InvalidOperationException($"rekey for {request.Device.Id} needs a current command key, a 32-byte new key and its id");
        }

        var wrapper = new CommandKey();
        wrapper.Set(current.Id, current.Key, 0);
        byte[] idBytes = Encoding.UTF8.GetBytes(id);
        string wrapped = wrapper.Wrap(idBytes, idBytes.Length, newKey);
        wrapper.Clear();
        var fields = new List<KeyValuePair<string, object>>(request.Fields ?? [])
        {
            new("kid", request.NewKeyId),
            new("key", wrapped),
        };
        return request with { Fields = fields };
    }

    /// <summary>
    /// Writes the HMAC-SHA256 under <paramref name="key"/> of the payload as it stands, with <c>"mac":""</c>, into
    /// that "mac" as 64 lowercase hex characters (protocol.md §4.5). Uses .NET's HMAC, so the device's own
    /// implementation is checked against it end to end.
    /// </summary>
    public static byte[] Sign(byte[] payload, byte[] key)
    {
        var reader = new PayloadReader();
        if (!reader.Load(payload, 0, payload.Length) || !reader.TryFind("mac", out int start, out int length, out JsonKind kind) || kind != JsonKind.String || length != 0)
        {
            throw new InvalidOperationException("a command to sign must hold an empty \"mac\"");
        }

        string hex = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, payload));
        byte[] signed = new byte[payload.Length + hex.Length];
        payload.AsSpan(0, start).CopyTo(signed);
        Encoding.ASCII.GetBytes(hex, signed.AsSpan(start));
        payload.AsSpan(start).CopyTo(signed.AsSpan(start + hex.Length));
        return signed;
    }

    private void Remember(CommandRecord record)
    {
        _records[record.Id] = record;
        _recordOrder.Enqueue(record.Id);
        while (_recordOrder.Count > HistoryLimit && _recordOrder.TryDequeue(out string? oldest))
        {
            if (_pending.ContainsKey(oldest))
            {
                _recordOrder.Enqueue(oldest);
                break;
            }

            _records.TryRemove(oldest, out _);
        }
    }

    private void Settle(string id, CommandState state, string result)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_records.TryGetValue(id, out CommandRecord? record))
        {
            CommandRecord settled = record with { State = state, SettledAt = now, Result = result };
            _records[id] = settled;
            Settled?.Invoke(settled);
        }
    }

    private (long Boot, long ExpiresAt) Expiry(string deviceId)
    {
        DeviceTwin? twin = _twins.Find(deviceId);
        if (twin is null || twin.Boot == 0 || twin.LastSeen is null)
        {
            return (0, 0);
        }

        // The device's uptime now is its last reported uptime plus the time since that message arrived.
        long sinceMs = (long)(_time.GetUtcNow() - twin.LastSeen.Value).TotalMilliseconds;
        return (twin.Boot, twin.LastUptimeMs + Math.Max(0, sinceMs) + (long)_options.TimeToLive.TotalMilliseconds);
    }

    /// <summary>
    /// The most bytes <paramref name="request"/> can take on the wire, whatever id, counter, boot and expiry it is sent
    /// with, so a caller that splits content over several commands (allow-list parts) can keep each within the
    /// 384-byte limit (protocol.md §6) without its reason being shortened.
    /// </summary>
    public static int MaxEncodedLength(CommandRequest request) =>
        Encode(new string('f', MessageLimits.MaxIdLength), request, long.MaxValue, long.MaxValue, long.MaxValue, request.Reason).Length + MessageLimits.MaxMacLength;

    // The reason is free text for people; it is shortened until the command fits the device's 384-byte limit
    // (protocol.md §6), so a long note can never make a device refuse the command as oversized.
    private static byte[] Encode(string id, CommandRequest request, long counter, long boot, long expiresAt)
    {
        string reason = request.Reason;
        while (true)
        {
            // Room is kept for the MAC whether or not this device signs, so every command fits once signed.
            byte[] payload = Encode(id, request, counter, boot, expiresAt, reason);
            int limit = MessageLimits.MaxDownlinkBytes - MessageLimits.MaxMacLength;
            if (payload.Length <= limit || reason.Length == 0)
            {
                return payload;
            }

            reason = reason[..Math.Max(0, reason.Length - Math.Max(1, payload.Length - limit))];
        }
    }

    private static byte[] Encode(string id, CommandRequest request, long counter, long boot, long expiresAt, string reason)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", ProtocolVersion.Current);
            writer.WriteString("id", id);
            writer.WriteString("cmd", CommandNames.NameOf(request.Kind));
            writer.WriteNumber("ctr", counter);
            writer.WriteNumber("boot", boot);
            writer.WriteNumber("exp", expiresAt);
            if (request.DurationMs > 0)
            {
                writer.WriteNumber("ms", request.DurationMs);
            }

            if (request.CallId is not null)
            {
                writer.WriteString("call", request.CallId);
            }

            foreach ((string name, object value) in request.Fields ?? [])
            {
                switch (value)
                {
                    case string text: writer.WriteString(name, text); break;
                    case long number: writer.WriteNumber(name, number); break;
                    case int number: writer.WriteNumber(name, number); break;
                    case bool flag: writer.WriteBoolean(name, flag); break;
                    default: throw new ArgumentException($"command field '{name}' must be a string, a whole number or a bool, not {value?.GetType().Name ?? "null"}", nameof(request));
                }
            }

            writer.WriteString("mac", "");
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private EventRecord EdgeRecord(DeviceDefinition device, string name, object details) =>
        new(_time.GetUtcNow(), device.Site, device.Building, device.Id, "edge", name, 0, 0,
            Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(details)), EventLane.Priority);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Command} to {Device} (id {Id}): {Reason}")]
    private static partial void LogCommandSent(ILogger logger, string command, string device, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Command} to {Device} from {Origin}: {Why}")]
    private static partial void LogCommandRefused(ILogger logger, string command, string device, string origin, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Device} rejected command {Id}: {Reason}")]
    private static partial void LogCommandRejected(ILogger logger, string id, string device, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Device} refused command {Id} as {Reason}: forged, replayed, or signed with a key it does not hold")]
    private static partial void LogSecurityRefusal(ILogger logger, string device, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Id} to {Device} got no ack after {Attempts} attempts; given up")]
    private static partial void LogCommandUnacknowledged(ILogger logger, string id, string device, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Id} to {Device} cancelled: {Why}")]
    private static partial void LogCommandCancelled(ILogger logger, string id, string device, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retry of command {Id} failed")]
    private static partial void LogRetryFailed(ILogger logger, string id, Exception exception);

    private sealed record PendingCommand(string Id, DeviceDefinition Device, CommandKind Kind, string Topic, byte[] Payload, DateTimeOffset NextAttemptAt, int Attempts, DateTimeOffset GiveUpAt);
}
