namespace SmartCommunity.Edge.Tests.Relays;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

/// <summary>A backend's consumer on the upstream broker: subscribes to every relayed topic and keeps what arrives, in order.</summary>
internal sealed class UpstreamSubscriber : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Topic, Envelope Envelope)> _received = new();
    private IMqttClient? _client;

    public IReadOnlyList<(string Topic, Envelope Envelope)> Received => _received.ToArray();

    public IReadOnlyList<Envelope> Envelopes => Received.Select(r => r.Envelope).ToList();

    public HashSet<string> Keys => Received.Select(r => r.Envelope.Key).ToHashSet();

    /// <summary>Connects (again, after a broker restart) and subscribes to sc-up/v1/# at QoS 1.</summary>
    public async Task ConnectAsync(int port)
    {
        _client?.Dispose();
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            using JsonDocument document = JsonDocument.Parse(e.ApplicationMessage.ConvertPayloadToString());
            _received.Enqueue((e.ApplicationMessage.Topic, Envelope.From(document.RootElement)));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("backend-consumer")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanSession(true)
            .Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("sc-up/v1/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        _client = client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is { IsConnected: true })
        {
            await _client.DisconnectAsync();
        }

        _client?.Dispose();
    }
}
