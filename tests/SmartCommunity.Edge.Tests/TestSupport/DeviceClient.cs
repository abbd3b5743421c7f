namespace SmartCommunity.Edge.Tests.TestSupport;

using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using MQTTnet.Protocol;
using SmartCommunity.Protocol;

/// <summary>
/// A device as the edge sees it on the wire: a raw MQTT client under the device's id (building b1 of riverside) that
/// publishes at QoS 1 with its next sequence number and its uptime, takes its commands and acknowledges each one with
/// done unless <see cref="Refusal"/> gives a reason.
/// </summary>
internal abstract class DeviceClient : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly string _id;
    private readonly string _topic;
    private readonly string _what;
    private readonly ConcurrentQueue<JsonElement> _commands = new();

    // One publish at a time, so sequence numbers reach the edge in order (a lower one after a higher is a duplicate).
    private readonly SemaphoreSlim _publish = new(1, 1);
    private long _seq;

    /// <param name="what">The device as assertion messages name it, e.g. "door".</param>
    protected DeviceClient(IMqttClient client, string id, string kind, string what)
    {
        _client = client;
        _id = id;
        _topic = $"sc/v1/riverside/b1/{kind}/{id}";
        _what = what;
    }

    public IReadOnlyList<JsonElement> Commands => _commands.ToArray();

    /// <summary>The uptime the next message carries.</summary>
    protected virtual long UptimeMs => Environment.TickCount64;

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    /// <summary>Connects a raw client under <paramref name="id"/>, wraps it and subscribes to the device's commands.</summary>
    protected static async Task<T> ConnectAsync<T>(EdgeHost edge, string id, Func<IMqttClient, T> create)
        where T : DeviceClient
    {
        IMqttClient client = await EdgeRig.ConnectRawAsync(edge, id);
        T device = create(client);
        client.ApplicationMessageReceivedAsync += device.OnCommandAsync;
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(device._topic + "/cmd", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return device;
    }

    /// <summary>Publishes {"v","dev","seq","boot","up"} plus <paramref name="fields"/> (JSON members, no braces); the edge's PUBACK says it is committed.</summary>
    protected async Task PublishAsync(string channel, string fields)
    {
        await _publish.WaitAsync();
        try
        {
            string payload = $$"""{"v":1,"dev":"{{_id}}","seq":{{++_seq}},"boot":1,"up":{{UptimeMs}},{{fields}}}""";
            MqttClientPublishResult result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic($"{_topic}/{channel}")
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
            Assert.IsTrue(result.IsSuccess, $"the edge accepts the {_what}'s {channel}: {result.ReasonCode}");
        }
        finally
        {
            _publish.Release();
        }
    }

    /// <summary>Applies a command before it shows in <see cref="Commands"/>: null acknowledges it as done, a reason rejects it.</summary>
    protected virtual string? Refusal(JsonElement command, byte[] payload) => null;

    private Task OnCommandAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        byte[] payload = e.ApplicationMessage.Payload.ToArray();
        using JsonDocument document = JsonDocument.Parse(payload);
        JsonElement command = document.RootElement.Clone();
        string id = command.GetProperty("id").GetString()!;
        string cmd = command.GetProperty("cmd").GetString()!;
        string? reason = Refusal(command, payload);
        _commands.Enqueue(command);
        string ack = $$"""{"id":"{{id}}","cmd":"{{cmd}}","result":"{{(reason is null ? CommandNames.ResultDone : CommandNames.ResultRejected)}}"{{(reason is null ? "" : $",\"reason\":\"{reason}\"")}}""";

        // Off the client's receive loop: publishing from inside its handler would wait for a PUBACK that loop delivers.
        _ = Task.Run(() => PublishAsync("ack", ack));
        return Task.CompletedTask;
    }
}
