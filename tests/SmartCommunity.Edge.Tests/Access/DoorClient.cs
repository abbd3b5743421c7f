namespace SmartCommunity.Edge.Tests.Access;

using System;
using System.Buffers;
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
using SmartCommunity.Protocol;

/// <summary>
/// A door controller as the edge sees it on the wire (the access contract): a raw MQTT client under the door's id that
/// publishes at QoS 1, keeps an allow-list table (<see cref="DoorTable"/>, fed by the device's own decoder) and
/// acknowledges every command, refusing allow-list commands the way a door would.
/// </summary>
internal sealed class DoorClient : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly string _id;
    private readonly string _topic;
    private readonly ConcurrentQueue<JsonElement> _commands = new();
    private readonly object _tableLock = new();

    // One publish at a time, so sequence numbers reach the edge in order (a lower one after a higher is a duplicate).
    private readonly SemaphoreSlim _publish = new(1, 1);
    private long _seq;

    private DoorClient(IMqttClient client, string id)
    {
        _client = client;
        _id = id;
        _topic = $"sc/v1/riverside/b1/door/{id}";
    }

    public DoorTable Table { get; } = new();

    public IReadOnlyList<JsonElement> Commands => _commands.ToArray();

    public static async Task<DoorClient> ConnectAsync(EdgeHost edge, string id)
    {
        IMqttClient client = await EdgeRig.ConnectRawAsync(edge, id);
        var door = new DoorClient(client, id);
        client.ApplicationMessageReceivedAsync += door.OnCommandAsync;
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(door._topic + "/cmd", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return door;
    }

    public long ListVersion
    {
        get
        {
            lock (_tableLock)
            {
                return Table.Version;
            }
        }
    }

    public Task OnlineAsync() => PublishAsync("status", "\"online\":true,\"fw\":\"test\"");

    public Task StateAsync() => PublishAsync("state", $"\"listVersion\":{ListVersion},\"listFull\":false");

    public Task EventAsync(string name, string fields) => PublishAsync("event", $"\"event\":\"{name}\",{fields}");

    public JsonElement? Answer(long req) =>
        Commands.Where(c => c.GetProperty("cmd").GetString() is CommandNames.Grant or CommandNames.Deny && c.GetProperty("req").GetInt64() == req)
            .Select(c => (JsonElement?)c).FirstOrDefault();

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private async Task PublishAsync(string channel, string fields)
    {
        await _publish.WaitAsync();
        try
        {
            string payload = $$"""{"v":1,"dev":"{{_id}}","seq":{{++_seq}},"boot":1,"up":{{Environment.TickCount64}},{{fields}}}""";
            MqttClientPublishResult result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic($"{_topic}/{channel}")
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
            Assert.IsTrue(result.IsSuccess, $"the edge accepts the door's {channel}: {result.ReasonCode}");
        }
        finally
        {
            _publish.Release();
        }
    }

    private Task OnCommandAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        byte[] payload = e.ApplicationMessage.Payload.ToArray();
        using JsonDocument document = JsonDocument.Parse(payload);
        JsonElement command = document.RootElement.Clone();
        string id = command.GetProperty("id").GetString()!;
        string cmd = command.GetProperty("cmd").GetString()!;
        string? reason = null;
        if (cmd == CommandNames.AllowList)
        {
            lock (_tableLock)
            {
                reason = Table.Answered.Add(id) ? Table.Apply(payload).Reason : null;
            }
        }

        _commands.Enqueue(command);
        string ack = $$"""{"id":"{{id}}","cmd":"{{cmd}}","result":"{{(reason is null ? CommandNames.ResultDone : CommandNames.ResultRejected)}}"{{(reason is null ? "" : $",\"reason\":\"{reason}\"")}}""";

        // Off the client's receive loop: publishing from inside its handler would wait for a PUBACK that loop delivers.
        _ = Task.Run(() => PublishAsync("ack", ack));
        return Task.CompletedTask;
    }
}
