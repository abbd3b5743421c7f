namespace SmartCommunity.Edge.Relays;

using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

/// <summary>
/// MQTT upstream to any broker: each message is published with QoS 1 to
/// {prefix}/{edge}/{site}/{building}/{source}/{channel} with the JSON envelope as payload, and counts as delivered on
/// its PUBACK. Publishes are pipelined (up to <see cref="MqttRelayOptions.InFlight"/> awaiting a PUBACK) and issued in
/// batch order on one connection; MQTTnet sends them in that order. A lost connection is re-opened at the next attempt.
/// A relay of the emergency-call chain also subscribes to {prefix}/{edge}/acks for the backend's call
/// acknowledgements (hardware-docs/emergency-calls.md).
/// </summary>
public sealed partial class MqttRelay : IRelay
{
    private readonly MqttRelayOptions _options;
    private readonly string _edgeId;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly string? _callAckTopic;
    private uint _maximumPacketSize;

    public MqttRelay(string name, string edgeId, MqttRelayOptions options, TimeSpan connectTimeout, ILogger logger)
    {
        Name = name;
        _edgeId = edgeId;
        _options = options;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(options.ClientId ?? $"sc-edge-{edgeId}-{name}")
            .WithCleanSession(true)
            .WithProtocolVersion(options.Protocol == "3.1.1" ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500)
            .WithTimeout(connectTimeout);
        if (options.Username is not null)
        {
            builder.WithCredentials(options.Username, options.Password ?? "");
        }

        if (options.Tls)
        {
            builder.WithTlsOptions(tls => tls.UseTls());
        }

        _clientOptions = builder.Build();
        if (options.CallAcks is not null)
        {
            // A relay of the calls chain also listens for the backend's call acknowledgements (hardware-docs/emergency-calls.md).
            _callAckTopic = $"{options.TopicPrefix}/{edgeId}/acks";
            _client.ApplicationMessageReceivedAsync += OnCallAckAsync;
        }

        _client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected)
            {
                LogDisconnected(_logger, Name, options.Host, options.Port, e.Reason.ToString());
            }

            return Task.CompletedTask;
        };
    }

    public string Name { get; }

    public bool IsConnected => _client.IsConnected;

    public string TopicFor(RelayMessage message) =>
        $"{_options.TopicPrefix}/{_edgeId}/{Level(message.Site)}/{Level(message.Building)}/{Level(message.Source)}/{Level(message.Channel)}";

    public async Task<IReadOnlyList<DeliveryOutcome>> DeliverAsync(IReadOnlyList<RelayMessage> batch, CancellationToken cancellationToken)
    {
        await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
        var outcomes = new DeliveryOutcome[batch.Count];
        var pending = new Task[batch.Count];
        var window = new SemaphoreSlim(_options.InFlight);
        for (int i = 0; i < batch.Count; i++)
        {
            await window.WaitAsync(cancellationToken).ConfigureAwait(false);
            pending[i] = PublishAsync(batch[i], outcomes, i, window, cancellationToken);
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        return outcomes;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            // Going away anyway; the broker notices the closed socket.
        }

        _client.Dispose();
        _connecting.Dispose();
    }

    private async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return;
        }

        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client.IsConnected)
            {
                return;
            }

            MqttClientConnectResult result;
            try
            {
                result = await _client.ConnectAsync(_clientOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new MqttCommunicationException($"cannot connect to {_options.Host}:{_options.Port}: {ex.Message}", ex);
            }

            _maximumPacketSize = result.MaximumPacketSize ?? 0;
            LogConnected(_logger, Name, _options.Host, _options.Port);
            if (_callAckTopic is not null)
            {
                await SubscribeCallAcksAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task PublishAsync(RelayMessage message, DeliveryOutcome[] outcomes, int index, SemaphoreSlim window, CancellationToken cancellationToken)
    {
        try
        {
            string topic = TopicFor(message);
            byte[] envelope = message.ToEnvelope();
            if (_maximumPacketSize > 0 && envelope.Length + topic.Length + 16 > _maximumPacketSize)
            {
                outcomes[index] = DeliveryOutcome.Refused($"the envelope is {envelope.Length} bytes; the broker takes packets up to {_maximumPacketSize} bytes");
                return;
            }

            var builder = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(envelope)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
            if (_options.Protocol != "3.1.1")
            {
                builder.WithContentType("application/json");
            }

            MqttClientPublishResult result = await _client.PublishAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
            outcomes[index] = Outcome(result);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcomes[index] = DeliveryOutcome.RetryLater($"publish to {_options.Host}:{_options.Port} failed: {ex.Message}");
        }
        finally
        {
            window.Release();
        }
    }

    // Clean sessions: the subscription is made again on every connection. A refused subscription costs the
    // acknowledgement path over MQTT only; delivery goes on (the webhook callback and operators still acknowledge).
    private async Task SubscribeCallAcksAsync(CancellationToken cancellationToken)
    {
        try
        {
            MqttClientSubscribeResult result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(_callAckTopic, MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), cancellationToken).ConfigureAwait(false);
            foreach (MqttClientSubscribeResultItem item in result.Items)
            {
                if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
                {
                    LogCallAckSubscriptionRefused(_logger, Name, _callAckTopic!, item.ResultCode.ToString());
                }
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is MqttCommunicationException or InvalidOperationException or OperationCanceledException)
        {
            LogCallAckSubscriptionRefused(_logger, Name, _callAckTopic!, ex.Message);
        }
    }

    // The client sends the PUBACK after this handler, and only when the desk took the acknowledgement (stored, or
    // refused for good as unusable); otherwise the backend's broker keeps it for another try.
    private async Task OnCallAckAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (e.ApplicationMessage.Topic != _callAckTopic)
        {
            return;
        }

        try
        {
            e.ProcessingFailed = !await _options.CallAcks!.DeliverAsync(Name, e.ApplicationMessage.Payload.ToArray()).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            e.ProcessingFailed = true;
            LogCallAckFailed(_logger, Name, ex);
        }
    }

    /// <summary>MQTT 5 PUBACK reason codes (MQTT 5.0 §3.4.2.1); MQTT 3.1.1 has none, so its PUBACK is always a success.</summary>
    private DeliveryOutcome Outcome(MqttClientPublishResult result) => result.ReasonCode switch
    {
        MqttClientPublishReasonCode.Success => DeliveryOutcome.Delivered,
        MqttClientPublishReasonCode.NoMatchingSubscribers => _options.RequireSubscriber
            ? DeliveryOutcome.RetryLater("the broker has no subscriber for it (requireSubscriber is on)")
            : DeliveryOutcome.Delivered,
        MqttClientPublishReasonCode.NotAuthorized or MqttClientPublishReasonCode.TopicNameInvalid or MqttClientPublishReasonCode.PayloadFormatInvalid =>
            DeliveryOutcome.Refused($"the broker refused it: {result.ReasonCode} {result.ReasonString}".TrimEnd()),
        _ => DeliveryOutcome.RetryLater($"the broker answered {result.ReasonCode} {result.ReasonString}".TrimEnd()),
    };

    // Ids are validated topic levels already; this guards the edge's own records (e.g. a retention anchor has no
    // building) so that every topic has the same number of levels and no wildcard.
    private static string Level(string value) => value.Length == 0 ? "_" : value.Replace('/', '_').Replace('+', '_').Replace('#', '_');

    [LoggerMessage(Level = LogLevel.Error, Message = "Relay {Relay} cannot listen for call acknowledgements on {Topic}: {Reason}")]
    private static partial void LogCallAckSubscriptionRefused(ILogger logger, string relay, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Relay {Relay}: a call acknowledgement could not be handled; it is not acknowledged to the broker")]
    private static partial void LogCallAckFailed(ILogger logger, string relay, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay {Relay} connected to {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, string relay, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay {Relay} lost its connection to {Host}:{Port} ({Reason}); it reconnects at the next attempt")]
    private static partial void LogDisconnected(ILogger logger, string relay, string host, int port, string reason);
}
