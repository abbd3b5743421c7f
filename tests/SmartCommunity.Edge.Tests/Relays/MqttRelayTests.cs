namespace SmartCommunity.Edge.Tests.Relays;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using MQTTnet.Protocol;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>
/// The MQTT relay from a real edge to a real Mosquitto on loopback: devices (raw MQTT clients under device ids of
/// the demo layout) publish to the edge, a backend's consumer subscribes on Mosquitto.
/// </summary>
[TestClass]
public sealed class MqttRelayTests
{
    private const string Smoke1 = "b1-f1-smoke";
    private const string Smoke2 = "b2-lobby-smoke";

    [TestMethod]
    public async Task Relay_DevicesPublishThroughTheEdge_ConsumerGetsEveryMessageOnceKeyedAndInOrder()
    {
        using var data = new TempFolder();
        await using Mosquitto mosquitto = await Mosquitto.StartAsync(data);
        await using var consumer = new UpstreamSubscriber();
        await consumer.ConnectAsync(mosquitto.Port);
        await using EdgeHost edge = await StartEdgeAsync(data, mosquitto.Port, requireSubscriber: false);
        using IMqttClient device1 = await EdgeRig.ConnectRawAsync(edge, Smoke1);
        using IMqttClient device2 = await EdgeRig.ConnectRawAsync(edge, Smoke2);

        await Task.WhenAll(PublishAsync(device1, "b1", Smoke1, 1, 60), PublishAsync(device2, "b2", Smoke2, 1, 60));
        List<string> keys = [.. RelayRig.KeysInLog(edge.EventLog)];
        await Eventually.WaitUntilAsync(() => consumer.Keys.IsSupersetOf(keys), "the consumer has every message of the event log");
        await Eventually.WaitUntilAsync(() => edge.Relays!.Status().Single().Lag == 0, "the relay's cursors are at the end");

        Assert.AreEqual(120, keys.Count);
        CollectionAssert.AreEquivalent(keys, consumer.Envelopes.Select(e => e.Key).ToList(), "each message exactly once");
        AssertInOrderPerDeviceAndLane(consumer.Envelopes);
        (string topic, Envelope envelope) = consumer.Received.First(r => r.Envelope.Key == $"{RelayRig.Edge}:{Smoke1}:1:8");
        Assert.AreEqual($"sc-up/v1/{RelayRig.Edge}/riverside/b1/{Smoke1}/event", topic);
        Assert.AreEqual("priority", envelope.Lane);
        Assert.AreEqual("self-test-report", envelope.Payload.GetProperty("event").GetString(), "the device's own JSON travels inside the envelope");
        Assert.AreEqual(RelayState.Connected, edge.Relays!.Status().Single().State);
    }

    [TestMethod]
    public async Task Relay_BrokerDownInTheMiddle_EverythingAcceptedArrivesAfterRecoveryPriorityFirst()
    {
        using var data = new TempFolder();
        await using Mosquitto mosquitto = await Mosquitto.StartAsync(data);
        await using var consumer = new UpstreamSubscriber();
        await consumer.ConnectAsync(mosquitto.Port);
        await using EdgeHost edge = await StartEdgeAsync(data, mosquitto.Port, requireSubscriber: true);
        using IMqttClient device1 = await EdgeRig.ConnectRawAsync(edge, Smoke1);
        using IMqttClient device2 = await EdgeRig.ConnectRawAsync(edge, Smoke2);

        await Task.WhenAll(PublishAsync(device1, "b1", Smoke1, 1, 40), PublishAsync(device2, "b2", Smoke2, 1, 40));
        await Eventually.WaitUntilAsync(() => consumer.Keys.IsSupersetOf(RelayRig.KeysInLog(edge.EventLog)), "the consumer has the first messages");
        await Eventually.WaitUntilAsync(() => edge.Relays!.Status().Single().Lag == 0, "the relay is caught up before the outage");
        int beforeOutage = consumer.Received.Count;

        await mosquitto.StopAsync();
        // While the broker is down the edge still accepts: a telemetry backlog from one device, then alarms from another.
        await PublishStatesAsync(device1, "b1", Smoke1, 41, 300);
        await PublishEventsAsync(device2, "b2", Smoke2, 41, 20);
        await Eventually.WaitUntilAsync(() => edge.Relays!.Status().Single().State == RelayState.BackingOff, "the relay backs off");
        RelayStatus down = edge.Relays!.Status().Single();
        Assert.AreEqual(20L, down.Priority.Lag);
        Assert.AreEqual(300L, down.Bulk.Lag);

        await mosquitto.StartAsync();
        await consumer.ConnectAsync(mosquitto.Port);
        List<string> keys = [.. RelayRig.KeysInLog(edge.EventLog)];
        await Eventually.WaitUntilAsync(() => consumer.Keys.IsSupersetOf(keys), "every accepted message reaches the consumer after recovery");

        var afterOutage = consumer.Envelopes.Skip(beforeOutage).ToList();
        int lastPriority = afterOutage.FindLastIndex(e => e.Lane == "priority");
        int firstBulk = afterOutage.FindIndex(e => e.Lane == "bulk");
        Assert.IsTrue(lastPriority < firstBulk, $"the alarms queued during the outage arrive before the telemetry backlog (last alarm at {lastPriority}, first telemetry at {firstBulk})");
        Assert.AreEqual(0L, edge.Relays.Status().Single().DeadLettered);
        Assert.IsTrue(edge.Relays.Status().Single().FailedAttempts > 0);
    }

    internal static Task<EdgeHost> StartEdgeAsync(TempFolder data, int brokerPort, bool requireSubscriber, int batchSize = 50) =>
        EdgeHost.StartAsync(
            new EdgeOptions
            {
                LayoutPath = DemoLayout.Path,
                DataDirectory = data.Path,
                MqttPort = 0,
                HttpPort = 0,
                Relays = new RelayConfiguration
                {
                    EdgeId = RelayRig.Edge,
                    Relays =
                    [
                        new RelayDefinition
                        {
                            Name = "upstream",
                            Kind = RelayKind.Mqtt,
                            Delivery = RelayRig.Fast(batchSize),
                            Mqtt = new MqttRelayOptions { Host = "127.0.0.1", Port = brokerPort, RequireSubscriber = requireSubscriber },
                        },
                    ],
                },
            },
            NullLoggerFactory.Instance,
            TimeProvider.System);

    /// <summary>First arrivals of each device are in sequence order within each lane (a later copy may repeat one).</summary>
    private static void AssertInOrderPerDeviceAndLane(IEnumerable<Envelope> envelopes)
    {
        foreach (var group in envelopes.GroupBy(e => (e.Source, e.Lane)))
        {
            var firstArrivals = group.Select(e => e.Sequence).Distinct().ToList();
            CollectionAssert.AreEqual(firstArrivals.Order().ToList(), firstArrivals, $"{group.Key.Source} {group.Key.Lane} in order");
        }
    }

    /// <summary>Every fourth message an event (priority lane), the others state (bulk), like a device with a heartbeat.</summary>
    private static async Task PublishAsync(IMqttClient device, string building, string id, int from, int count)
    {
        for (int seq = from; seq < from + count; seq++)
        {
            await (seq % 4 == 0 ? PublishEventsAsync(device, building, id, seq, 1) : PublishStatesAsync(device, building, id, seq, 1));
        }
    }

    private static async Task PublishStatesAsync(IMqttClient device, string building, string id, int from, int count)
    {
        for (int seq = from; seq < from + count; seq++)
        {
            await PublishOneAsync(device, $"sc/v1/riverside/{building}/smoke/{id}/state",
                string.Create(CultureInfo.InvariantCulture, $$"""{"v":1,"dev":"{{id}}","seq":{{seq}},"boot":1,"up":{{seq * 100}},"state":"normal","level":{{seq % 50}}}"""));
        }
    }

    private static async Task PublishEventsAsync(IMqttClient device, string building, string id, int from, int count)
    {
        for (int seq = from; seq < from + count; seq++)
        {
            await PublishOneAsync(device, $"sc/v1/riverside/{building}/smoke/{id}/event",
                string.Create(CultureInfo.InvariantCulture, $$"""{"v":1,"dev":"{{id}}","seq":{{seq}},"boot":1,"up":{{seq * 100}},"event":"self-test-report","result":"pass"}"""));
        }
    }

    private static async Task PublishOneAsync(IMqttClient device, string topic, string payload)
    {
        MqttClientPublishResult result = await device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.IsTrue(result.IsSuccess, $"the edge accepts {topic}: {result.ReasonCode}");
    }
}
