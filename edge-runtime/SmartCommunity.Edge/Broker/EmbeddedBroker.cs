namespace SmartCommunity.Edge.Broker;

using System;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SmartCommunity.Edge.Ingest;

/// <summary>
/// The MQTT server inside the edge process (MQTTnet.Server). Every device publish goes through
/// <see cref="IngestPipeline"/> inside InterceptingPublishAsync; MQTTnet sends the QoS 1 PUBACK only after that
/// handler completes, so an acknowledged message is a committed one. Listens on loopback unless told otherwise.
/// </summary>
public sealed partial class EmbeddedBroker : IDownlink, IAsyncDisposable
{
    /// <summary>The client id the edge uses for what it publishes itself.</summary>
    public const string EdgeClientId = "sc-edge";

    private readonly MqttServer _server;
    private readonly ILogger _logger;
    private readonly EdgeCounters _counters;
    private IngestPipeline? _pipeline;

    public EmbeddedBroker(IPAddress address, int port, EdgeCounters counters, ILogger logger)
    {
        _logger = logger;
        _counters = counters;
        Port = port;
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(address)
            .WithDefaultEndpointPort(port)
            // After a crash the old connections linger in TIME_WAIT; without SO_REUSEADDR the restarted edge could
            // not listen on its port again until they expire.
            .WithDefaultEndpointReuseAddress()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.ValidatingConnectionAsync += e =>
        {
            // Only the edge itself publishes as the edge (fire states, commands); a client claiming its id is refused.
            if (e.ClientId == EdgeClientId)
            {
                e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
                _counters.CountRefused("edge-client-id");
                LogImpostorRefused(_logger, e.RemoteEndPoint?.ToString() ?? "?");
            }

            return Task.CompletedTask;
        };
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
