namespace SmartCommunity.Edge.Tests.Calls;

using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SmartCommunity.Edge.Calls;
using SmartCommunity.Edge.Tests.Relays;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>
/// The backend's acknowledgement message: a real edge relays a call to a real Mosquitto; the backend, a client on
/// that broker, answers on {topicPrefix}/{edge}/acks naming the call, and the edge takes that as the acknowledgement.
/// </summary>
[TestClass]
public sealed class UpstreamAckTests
{
    private const string AckTopic = $"sc-up/v1/{RelayRig.Edge}/acks";

    [TestMethod]
    public async Task Ack_BackendMessageOnTheUpstreamBroker_AcknowledgesTheCallByItsId()
    {
        using var data = new TempFolder();
        await using Mosquitto mosquitto = await Mosquitto.StartAsync(data);
        var relayed = new ConcurrentQueue<(string Topic, JsonElement Envelope)>();
        using IMqttClient backend = await ConnectBackendAsync(mosquitto.Port, relayed);
        await using EdgeHost edge = await CallEndpointsTests.StartEdgeAsync(data, $"""
            edge: {RelayRig.Edge}
            relays:
              - name: cloud
                type: mqtt
                host: 127.0.0.1
                port: {mosquitto.Port}
                backoff: {"{"} initialMs: 20, maxMs: 100 {"}"}
            calls:
              chain: [cloud]
            """);
        await using CallPointClient point = await CallPointClient.ConnectAsync(edge, CallRig.Flat12);

        await point.EventAsync("call", "7");
        await Eventually.WaitUntilAsync(() => relayed.Any(r => r.Envelope.GetProperty("name").GetString() == CallRecords.Dispatched), "the backend gets the dispatched call");
        Assert.AreEqual($"sc-up/v1/{RelayRig.Edge}/riverside/b1/{CallRig.Flat12}/call", relayed.First(r => r.Envelope.GetProperty("name").GetString() == CallRecords.Dispatched).Topic);
        Assert.AreEqual(CallState.Open, edge.Calls.Find(CallRig.Flat12, "7")!.State, "the broker's PUBACK for the relayed call is not an acknowledgement");

        await PublishAsync(backend, "not json");
        await PublishAsync(backend, """{"device":"b1-flat12-call"}""");
        await PublishAsync(backend, """{"device":"b1-flat12-call","call":"7","by":"Riverside Care desk"}""");

        await Eventually.WaitUntilAsync(() => edge.Calls.Find(CallRig.Flat12, "7")!.State == CallState.Acknowledged, "the backend's message acknowledges call 7");
        EmergencyCall call = edge.Calls.Find(CallRig.Flat12, "7")!;
        Assert.AreEqual(("Riverside Care desk", "mqtt:cloud"), (call.AcknowledgedBy, call.AcknowledgedVia));
        Assert.AreEqual(2L, edge.Calls.Refused["bad-ack-message"], "unusable acknowledgement messages are counted");
        await Eventually.WaitUntilAsync(() => point.Heard(CommandNames.CallHandled, "7"), "the call point hears that help is coming");
    }

    private static async Task<IMqttClient> ConnectBackendAsync(int port, ConcurrentQueue<(string, JsonElement)> relayed)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            using JsonDocument document = JsonDocument.Parse(e.ApplicationMessage.ConvertPayloadToString());
            relayed.Enqueue((e.ApplicationMessage.Topic, document.RootElement.Clone()));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("care-backend")
            .WithProtocolVersion(MqttProtocolVersion.V500).WithCleanSession(true).Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"sc-up/v1/{RelayRig.Edge}/+/+/+/+", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return client;
    }

    private static Task PublishAsync(IMqttClient backend, string payload) =>
        backend.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(AckTopic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
}
