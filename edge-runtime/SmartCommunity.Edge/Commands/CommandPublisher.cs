namespace SmartCommunity.Edge.Commands;

using System;
using System.Collections.Concurrent;
using System.IO;
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

/// <summary>
/// Sends commands to devices (hardware-docs/protocol.md §4): a fresh id and counter per command, an expiry on the
/// device's own clock when the edge knows it, the MAC field reserved. A command without an ack is sent again with
/// the same id until it is acknowledged, expires, or runs out of attempts; the device acts on an id only once.
/// </summary>
public sealed partial class CommandPublisher : IAsyncDisposable
{
    private readonly IDownlink _downlink;
    private readonly EventLog _log;
    private readonly TwinRegistry _twins;
    private readonly EdgeCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CommandOptions _options;
    private readonly ConcurrentDictionary<string, PendingCommand> _pending = new(StringComparer.Ordinal);
    private readonly string _idPrefix;
    private readonly ITimer _retryTimer;
    private long _nextId;
    private long _counter;

    public CommandPublisher(IDownlink downlink, EventLog log, TwinRegistry twins, EdgeCounters counters, TimeProvider time, ILogger logger, CommandOptions options)
    {
        _downlink = downlink;
        _log = log;
        _twins = twins;
        _counters = counters;
        _time = time;
        _logger = logger;
        _options = options;

        // Ids must not repeat across edge restarts (a device would take a new command for a retry), so they start
        // with the edge's start time; counters start there too so they keep growing across restarts.
        long startMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        _idPrefix = (startMs / 1000).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        _counter = startMs;
        _retryTimer = time.CreateTimer(_ => _ = RetryDueAsync(), null, options.RetryInterval, options.RetryInterval);
    }

    public int PendingCount => _pending.Count;

    /// <summary>Publishes the command and completes once it is sent and its log record committed. Returns the command id.</summary>
    public async Task<string> SendAsync(DeviceDefinition device, CommandKind kind, string reason)
    {
        string id = _idPrefix + "-" + Interlocked.Increment(ref _nextId).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        long counter = Interlocked.Increment(ref _counter);
        (long boot, long expiresAt) = Expiry(device.Id);
        byte[] payload = Encode(id, kind, counter, boot, expiresAt, reason);
        string topic = Topics.Device(device.Site, device.Building, device.Kind, device.Id, Channel.Command);
        _pending[id] = new PendingCommand(id, device, topic, payload, _time.GetUtcNow() + _options.RetryInterval, 1, _time.GetUtcNow() + _options.TimeToLive);

        await _downlink.PublishAsync(topic, payload, retain: false).ConfigureAwait(false);
        _counters.CountCommandSent();
        LogCommandSent(_logger, CommandNames.NameOf(kind), device.Id, id, reason);
        await _log.AppendAsync(new EventRecord(_time.GetUtcNow(), device.Site, device.Building, device.Id, Channel.Command,
            CommandNames.NameOf(kind), 0, 0, Encoding.UTF8.GetString(payload))).ConfigureAwait(false);
        return id;
    }

    /// <summary>Settles the pending command an ack names. Unknown ids (e.g. from before a restart) are only logged.</summary>
    public void OnAck(DeviceMessage ack)
    {
        string? id = ack.StringField("id");
        bool rejected = ack.StringField("result") != CommandNames.ResultDone;
        _counters.CountAck(rejected);
        if (id is not null && _pending.TryRemove(id, out _) && rejected)
        {
            LogCommandRejected(_logger, id, ack.DeviceId, ack.StringField("reason") ?? "unknown");
        }
    }

    public bool IsPending(string id) => _pending.ContainsKey(id);

    public async ValueTask DisposeAsync()
    {
        await _retryTimer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Sends again, with the same id, every command whose retry time has come.</summary>
    public async Task RetryDueAsync()
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
                }

                continue;
            }

            _pending[command.Id] = command with { Attempts = command.Attempts + 1, NextAttemptAt = now + _options.RetryInterval };
            try
            {
                await _downlink.PublishAsync(command.Topic, command.Payload, retain: false).ConfigureAwait(false);
                _counters.CountCommandRetry();
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException)
            {
                LogRetryFailed(_logger, command.Id, ex);
            }
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

    private static byte[] Encode(string id, CommandKind kind, long counter, long boot, long expiresAt, string reason)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", ProtocolVersion.Current);
            writer.WriteString("id", id);
            writer.WriteString("cmd", CommandNames.NameOf(kind));
            writer.WriteNumber("ctr", counter);
            writer.WriteNumber("boot", boot);
            writer.WriteNumber("exp", expiresAt);
            writer.WriteString("mac", "");
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Command} to {Device} (id {Id}): {Reason}")]
    private static partial void LogCommandSent(ILogger logger, string command, string device, string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Device} rejected command {Id}: {Reason}")]
    private static partial void LogCommandRejected(ILogger logger, string id, string device, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Id} to {Device} got no ack after {Attempts} attempts; given up")]
    private static partial void LogCommandUnacknowledged(ILogger logger, string id, string device, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retry of command {Id} failed")]
    private static partial void LogRetryFailed(ILogger logger, string id, Exception exception);

    private sealed record PendingCommand(string Id, DeviceDefinition Device, string Topic, byte[] Payload, DateTimeOffset NextAttemptAt, int Attempts, DateTimeOffset GiveUpAt);
}
