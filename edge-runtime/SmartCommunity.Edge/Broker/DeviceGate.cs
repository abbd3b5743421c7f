namespace SmartCommunity.Edge.Broker;

using System;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>What the broker needs from the device registry to let a device in.</summary>
public interface IDeviceCredentials
{
    /// <summary>Whether an MQTT password was issued for the device.</summary>
    bool HasCredentials(string deviceId);

    bool VerifyPassword(string deviceId, string password);
}

/// <summary>
/// Who may connect, subscribe and publish on the embedded broker (hardware-docs/security.md): device
/// authentication at CONNECT, the subscription ACL and the limits. Publishing under another device's topics is
/// refused by the ingest pipeline, which checks every message against its sender. Every refusal is counted under a
/// short category in <see cref="EdgeCounters.RefusedByReason"/> and logged, at most one line per category every 10 s.
/// </summary>
public sealed partial class DeviceGate(
    Func<BuildingLayout> layout,
    IDeviceCredentials? credentials,
    BrokerSecurityOptions options,
    EdgeCounters counters,
    TimeProvider time,
    ILogger logger)
{
    private const string SessionKey = "sc.session";
    private const string SimulatorTopicPrefix = "sc-sim/";

    private readonly ConcurrentDictionary<string, TokenBucket> _connectsByAddress = new();
    private readonly ConcurrentDictionary<string, TokenBucket> _messagesByDevice = new();
    private readonly ConcurrentDictionary<string, LogState> _lastLogged = new();

    /// <summary>Validates a CONNECT; sets the reason code when the client is refused.</summary>
    public void OnConnect(ValidatingConnectionEventArgs e)
    {
        string id = e.ClientId ?? "";
        string endpoint = e.RemoteEndPoint?.ToString() ?? "?";
        bool secure = e.IsSecureConnection;
        BrokerLimits limits = options.Limits;
        if ((secure || limits.ApplyRatesOnLoopback) && limits.ConnectsPerMinutePerAddress > 0)
        {
            string address = (e.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? endpoint;
            TokenBucket bucket = _connectsByAddress.GetOrAdd(address, _ => new TokenBucket(limits.ConnectsPerMinutePerAddress, limits.ConnectsPerMinutePerAddress / 60.0, Now()));
            if (!bucket.TryTake(Now()))
            {
                Refuse(e, MqttConnectReasonCode.ConnectionRateExceeded, "connect-rate", id, endpoint,
                    $"more than {limits.ConnectsPerMinutePerAddress} connection attempts a minute from {address}");
                return;
            }

            Prune(_connectsByAddress);
        }

        if (!string.IsNullOrEmpty(e.UserName) && e.UserName != id)
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "connect-client-id-mismatch", id, endpoint,
                $"user name '{e.UserName}' is not the client id '{id}'; a device connects with its device id as both");
            return;
        }

        bool development = !secure && options.AllowUnprovisionedOnLoopback;
        if (!layout().DevicesById.TryGetValue(id, out DeviceDefinition? device))
        {
            if (development)
            {
                // A local tool or test watcher on the development listener: it may read; ingest refuses its publishes.
                e.SessionItems[SessionKey] = new Session(null, secure);
                return;
            }

            Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, "connect-unknown-device", id, endpoint,
                $"'{id}' is not a device of this site (or is retired); register it first (PUT /registry/devices/{id})");
            return;
        }

        bool issued = credentials?.HasCredentials(id) ?? false;
        if (!issued)
        {
            if (development)
            {
                e.SessionItems[SessionKey] = new Session(device, secure);
                return;
            }

            Refuse(e, MqttConnectReasonCode.NotAuthorized, "connect-no-credentials", id, endpoint,
                $"no credentials were issued for '{id}'; issue them (POST /registry/devices/{id}/credentials, installer role) and write them into the device's configuration bundle");
            return;
        }

        if (string.IsNullOrEmpty(e.UserName) || string.IsNullOrEmpty(e.Password))
        {
            Refuse(e, MqttConnectReasonCode.NotAuthorized, "connect-no-credentials", id, endpoint,
                $"'{id}' has credentials but sent no user name and password; check mqtt.user and mqtt.password in its configuration bundle");
            return;
        }

        if (!credentials!.VerifyPassword(id, e.Password))
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "connect-bad-password", id, endpoint,
                $"wrong password for '{id}'; re-issue its credentials and write them into its configuration bundle if it was reprovisioned");
            return;
        }

        e.SessionItems[SessionKey] = new Session(device, secure);
    }

    /// <summary>A device subscribes to its own command topic and its building's fire state; nothing else.</summary>
    public void OnSubscribe(InterceptingSubscriptionEventArgs e)
    {
        if (e.ClientId == EmbeddedBroker.EdgeClientId || e.SessionItems[SessionKey] is not Session session)
        {
            return;
        }

        string topic = e.TopicFilter.Topic;
        if (session.Device is not { } device)
        {
            return;
        }

        if (topic == Topics.Device(device.Site, device.Building, device.Kind, device.Id, Channel.Command)
            || topic == Topics.FireState(device.Site, device.Building)
            || (!session.Secure && options.AllowUnprovisionedOnLoopback && topic.StartsWith(SimulatorTopicPrefix, StringComparison.Ordinal)))
        {
            return;
        }

        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        Count("subscribe-not-allowed", e.ClientId, $"subscription to '{Truncate(topic)}' refused: a device subscribes only to its own cmd topic and its building's fire topic");
    }

    /// <summary>The limits on a publish before it is decoded: size, then the device's message rate. Null when it may go on, else the refusal's category.</summary>
    public string? CheckPublish(InterceptingPublishEventArgs e)
    {
        long size = e.ApplicationMessage.Payload.Length;
        BrokerLimits limits = options.Limits;
        if (size > limits.MaxPayloadBytes)
        {
            Count("oversized", e.ClientId, $"payload of {size} bytes on '{Truncate(e.ApplicationMessage.Topic)}' exceeds the {limits.MaxPayloadBytes}-byte limit (hardware-docs/protocol.md §6)");
            return "oversized";
        }

        bool secure = e.SessionItems[SessionKey] is Session { Secure: true };
        if ((secure || limits.ApplyRatesOnLoopback) && limits.MessagesPerSecond > 0)
        {
            // Per device id, not per connection, so reconnecting does not refill the bucket.
            TokenBucket bucket = _messagesByDevice.GetOrAdd(e.ClientId, _ => new TokenBucket(Math.Max(1, limits.MessageBurst), limits.MessagesPerSecond, Now()));
            if (!bucket.TryTake(Now()))
            {
                Count("message-rate", e.ClientId, $"more than {limits.MessagesPerSecond} messages a second (burst {limits.MessageBurst}); message on '{Truncate(e.ApplicationMessage.Topic)}' dropped");
                return "message-rate";
            }

            Prune(_messagesByDevice);
        }

        return null;
    }

    private void Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string category, string id, string endpoint, string why)
    {
        e.ReasonCode = code;
        Count(category, $"{id}@{endpoint}", "connection refused: " + why);
    }

    private void Count(string category, string client, string why)
    {
        counters.CountRefused(category);
        long now = Now();
        LogState state = _lastLogged.GetOrAdd(category, _ => new LogState());
        long suppressed;
        lock (state)
        {
            if (state.Logged && now - state.LastTicks < BrokerLimits.LogEvery.Ticks)
            {
                state.Suppressed++;
                return;
            }

            suppressed = state.Suppressed;
            state.Suppressed = 0;
            state.LastTicks = now;
            state.Logged = true;
        }

        LogRefused(logger, category, client, why, suppressed);
    }

    private long Now() => time.GetTimestamp() * TimeSpan.TicksPerSecond / time.TimestampFrequency;

    // Forget addresses and devices whose bucket is full again, so a scan from many addresses cannot grow the tables for ever.
    private void Prune(ConcurrentDictionary<string, TokenBucket> buckets)
    {
        if (buckets.Count < 10_000)
        {
            return;
        }

        long now = Now();
        foreach (var pair in buckets)
        {
            if (pair.Value.IsFull(now))
            {
                buckets.TryRemove(pair);
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused ({Category}) {Client}: {Why} ({Suppressed} more of this kind not logged since the last line)")]
    private static partial void LogRefused(ILogger logger, string category, string client, string why, long suppressed);

    private sealed record Session(DeviceDefinition? Device, bool Secure);

    private sealed class LogState
    {
        public long LastTicks;
        public long Suppressed;
        public bool Logged;
    }
}
