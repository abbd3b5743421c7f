namespace SmartCommunity.Edge.Tests.Calls;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using MQTTnet.Protocol;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>
/// An emergency call point as the edge sees it on the wire (hardware-docs/protocol.md): a raw MQTT client under the
/// point's id that publishes its events at QoS 1, takes its commands and acknowledges each one as done.
/// </summary>
internal sealed class CallPointClient : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly string _id;
    private readonly string _topic;
    private readonly ConcurrentQueue<JsonElement> _commands = new();
    private long _seq;

    private CallPointClient(IMqttClient client, string id)
    {
        _client = client;
        _id = id;
        _topic = $"sc/v1/riverside/b1/emergency-call-point/{id}";
    }

    public IReadOnlyList<JsonElement> Commands => _commands.ToArray();

    public static async Task<CallPointClient> ConnectAsync(EdgeHost edge, string id)
    {
        IMqttClient client = await EdgeRig.ConnectRawAsync(edge, id);
        var point = new CallPointClient(client, id);
        client.ApplicationMessageReceivedAsync += point.OnCommandAsync;
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(point._topic + "/cmd", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return point;
    }

    /// <summary>Publishes an event such as "call" with {"call": id}; the edge's PUBACK says it is committed.</summary>
    public Task EventAsync(string name, string callId) =>
        PublishAsync("event", $$"""{"v":1,"dev":"{{_id}}","seq":{{Interlocked.Increment(ref _seq)}},"boot":1,"up":1000,"event":"{{name}}","call":"{{callId}}"}""");

    public bool Heard(string command, string callId) =>
        Commands.Any(c => c.GetProperty("cmd").GetString() == command && c.GetProperty("call").GetString() == callId);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private async Task PublishAsync(string channel, string payload)
    {
        MqttClientPublishResult result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"{_topic}/{channel}")
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.IsTrue(result.IsSuccess, $"the edge accepts the call point's {channel}: {result.ReasonCode}");
    }

    private Task OnCommandAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        using JsonDocument document = JsonDocument.Parse(e.ApplicationMessage.ConvertPayloadToString());
        JsonElement command = document.RootElement.Clone();
        _commands.Enqueue(command);
        string ack = $$"""{"v":1,"dev":"{{_id}}","seq":{{Interlocked.Increment(ref _seq)}},"boot":1,"up":1000,"id":"{{command.GetProperty("id").GetString()}}","cmd":"{{command.GetProperty("cmd").GetString()}}","result":"done"}""";

        // Off the client's receive loop: publishing from inside its handler would wait for a PUBACK that loop delivers.
        _ = Task.Run(() => _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"{_topic}/ack").WithPayload(ack).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()));
        return Task.CompletedTask;
    }
}
