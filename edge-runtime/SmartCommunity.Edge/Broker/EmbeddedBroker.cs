namespace SmartCommunity.Edge.Broker;

using System;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SmartCommunity.Edge.Ingest;

/// <summary>
/// The MQTT server inside the edge process (MQTTnet.Server). Every device publish goes through
/// <see cref="IngestPipeline"/> inside InterceptingPublishAsync; MQTTnet sends the QoS 1 PUBACK only after that
/// handler completes, so an acknowledged message is a committed one. Two listeners: plain MQTT, on loopback only
/// (development, local tools), and TLS for the building's network; <see cref="DeviceGate"/> authenticates devices,
/// applies the subscription ACL and the limits (hardware-docs/security.md).
/// </summary>
public sealed partial class EmbeddedBroker : IDownlink, IAsyncDisposable
{
    /// <summary>The client id the edge uses for what it publishes itself.</summary>
    public const string EdgeClientId = "sc-edge";

    private readonly MqttServer _server;
    private readonly ILogger _logger;
    private readonly EdgeCounters _counters;
    private readonly DeviceGate? _gate;
    private IngestPipeline? _pipeline;

    /// <param name="address">The plain listener's address: loopback only (<see cref="BrokerConfigurationException"/> otherwise).</param>
    /// <param name="gate">Authentication, ACL and limits; null lets every client in (unit tests of the broker alone).</param>
    /// <param name="tls">The TLS listener; null = none.</param>
    public EmbeddedBroker(IPAddress address, int port, EdgeCounters counters, ILogger logger, DeviceGate? gate = null, TlsListener? tls = null)
    {
        if (!IPAddress.IsLoopback(address))
        {
            throw new BrokerConfigurationException(
                $"plain MQTT (no TLS) may listen on loopback only, not on {address}: devices on the building's network connect over TLS. " +
                $"Bind the TLS listener there instead (sc-edge run --mqtts-bind {address}) and keep --mqtt-bind at 127.0.0.1");
        }

        _logger = logger;
        _counters = counters;
        _gate = gate;
        Port = port;
        TlsPort = tls?.Port;
        var builder = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(address)
            .WithDefaultEndpointPort(port)
            // After a crash the old connections linger in TIME_WAIT; without SO_REUSEADDR the restarted edge could
            // not listen on its port again until they expire.
            .WithDefaultEndpointReuseAddress();
        if (tls is not null)
        {
            builder = builder
                .WithEncryptedEndpoint()
                .WithEncryptedEndpointBoundIPAddress(tls.Address)
                .WithEncryptedEndpointPort(tls.Port)
                .WithEncryptionCertificate(tls.Certificate)
                .WithEncryptionSslProtocol(SslProtocols.Tls12 | SslProtocols.Tls13)
                .WithTlsEndpointReuseAddress();
        }

        _server = new MqttServerFactory().CreateMqttServer(builder.Build());
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.ValidatingConnectionAsync += e =>
        {
            // Only the edge itself publishes as the edge (fire states, commands); a client claiming its id is refused.
            if (e.ClientId == EdgeClientId)
            {
                e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
                _counters.CountRefused("edge-client-id");
                LogImpostorRefused(_logger, e.RemoteEndPoint?.ToString() ?? "?");
                return Task.CompletedTask;
            }

            _gate?.OnConnect(e);
            return Task.CompletedTask;
        };
        if (_gate is not null)
        {
            _server.InterceptingSubscriptionAsync += e =>
            {
                _gate.OnSubscribe(e);
                return Task.CompletedTask;
            };
        }

        _server.ClientConnectedAsync += e =>
        {
            LogClientConnected(_logger, e.ClientId, e.RemoteEndPoint?.ToString() ?? "?");
            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += e =>
        {
            LogClientDisconnected(_logger, e.ClientId, e.DisconnectType.ToString());
            return Task.CompletedTask;
        };
    }

    public int Port { get; }

    /// <summary>The TLS listener's port; null when there is none.</summary>
    public int? TlsPort { get; }

    public bool IsStarted => _server.IsStarted;

    public async Task<int> ConnectedClientsAsync() => (await _server.GetClientsAsync().ConfigureAwait(false)).Count;

    public async Task StartAsync(IngestPipeline pipeline)
    {
        _pipeline = pipeline;
        await _server.StartAsync().ConfigureAwait(false);
    }

    public Task PublishAsync(string topic, byte[] payload, bool retain)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        return _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = EdgeClientId });
    }

    public async ValueTask DisposeAsync()
    {
        if (_server.IsStarted)
        {
            await _server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
        }

        _server.Dispose();
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs args)
    {
        if (args.ClientId == EdgeClientId || _pipeline is null)
        {
            return;
        }

        if (_gate?.CheckPublish(args) is { } refusal)
        {
            // Dropped before decoding: too large, or the device is flooding. MQTT 5 clients see why.
            args.ProcessPublish = false;
            args.Response.ReasonCode = refusal == "message-rate" ? MqttPubAckReasonCode.QuotaExceeded : MqttPubAckReasonCode.PayloadFormatInvalid;
            return;
        }

        try
        {
            IngestResult result = await _pipeline.AcceptAsync(args.ClientId, args.ApplicationMessage.Topic, args.ApplicationMessage.Payload).ConfigureAwait(false);

            // Device uplink ends here: the edge is its consumer, and backends get it from the event log through the
            // relays. Not routing it through the broker's subscriptions halves the CPU per message with many devices
            // connected (measured with sc-sim load). The PUBACK is unaffected.
            args.ProcessPublish = false;
            if (result == IngestResult.Refused)
            {
                // MQTT 5 clients see the reason code; 3.1.1 clients get a plain PUBACK.
                args.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
            }
        }
        catch (Exception ex)
        {
            // The message could not be committed: no PUBACK. Closing the connection makes the device send it again.
            _counters.CountCommitFailure();
            LogIngestFailed(_logger, args.ClientId, args.ApplicationMessage.Topic, ex);
            args.ProcessPublish = false;
            args.CloseConnection = true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a connection from {Endpoint} that used the edge's own client id")]
    private static partial void LogImpostorRefused(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} connected from {Endpoint}")]
    private static partial void LogClientConnected(ILogger logger, string clientId, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} disconnected ({Type})")]
    private static partial void LogClientDisconnected(ILogger logger, string clientId, string type);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message from {ClientId} on {Topic} could not be committed; connection closed so it is sent again")]
    private static partial void LogIngestFailed(ILogger logger, string clientId, string topic, Exception exception);
}

/// <summary>The broker's TLS listener: where it binds and the certificate it presents (<see cref="BuildingCertificates"/>).</summary>
public sealed record TlsListener(IPAddress Address, int Port, X509Certificate2 Certificate);
