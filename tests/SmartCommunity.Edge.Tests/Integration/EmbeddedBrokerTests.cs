namespace SmartCommunity.Edge.Tests.Integration;

using System.Collections.Concurrent;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Simulation.Devices;

/// <summary>
/// What the embedded broker does with each publish, seen from real MQTT clients: refusals counted and not
/// forwarded, and the QoS 1 PUBACK sent only once the message is committed (hardware-docs/protocol.md §8).
/// </summary>
[TestClass]
public sealed class EmbeddedBrokerTests
{
    // The raw test client takes this device's client id; the virtual community runs every other device.
    private const string RawDevice = DemoLayout.FirstFloorSmoke;
    private const string RawEventTopic = "sc/v1/riverside/b1/smoke/b1-f1-smoke/event";

    [TestMethod]
    public async Task Publish_MalformedAndForeignMessages_RefusedCountedAndTheEdgeKeepsWorking()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using VirtualBuilding community = await EdgeRig.StartCommunityAsync(edge, DemoLayout.Without(edge.Layout, RawDevice));
        await EdgeRig.WaitUntilEnergisedAsync(EdgeRig.Doors(community, DemoLayout.AlarmBuildingDoors), "b1 doors have read the clear state");
        using IMqttClient raw = await EdgeRig.ConnectRawAsync(edge, RawDevice);

        MqttClientPublishResult malformed = await PublishAsync(raw, RawEventTopic, "{\"v\":1,\"dev\":");
        MqttClientPublishResult unknown = await PublishAsync(raw, "sc/v1/riverside/b1/smoke/ghost/event", Event("ghost", 1, "alarm"));
        MqttClientPublishResult spoofed = await PublishAsync(raw, "sc/v1/riverside/b1/smoke/b1-lobby-smoke/event", Event("b1-lobby-smoke", 99, "alarm"));

        // The PUBACK comes after the edge's handler, so the counts are final when each publish returns.
        Assert.IsTrue(new[] { malformed, unknown, spoofed }.All(r => r.ReasonCode == MqttClientPublishReasonCode.PayloadFormatInvalid));
        Assert.AreEqual(3L, edge.Counters.Refused);
        Assert.AreEqual(1L, edge.Counters.RefusedByReason["malformed"]);
        Assert.AreEqual(1L, edge.Counters.RefusedByReason["unknown-device"]);
        Assert.AreEqual(1L, edge.Counters.RefusedByReason["not-own-topic"]);
        Assert.IsFalse(edge.FireRule.IsLatched("b1"), "an alarm in another device's name is not believed");
        Assert.IsTrue(EdgeRig.Doors(community, DemoLayout.AlarmBuildingDoors).All(d => d.DoorOutput!.Energised));
        Assert.IsTrue(raw.IsConnected, "a bad message costs the sender the message, not its connection");

        await EdgeRig.RaiseAlarmInAlarmBuildingAsync(edge, community);
        Assert.AreEqual(3L, edge.Counters.Refused);
    }

    [TestMethod]
    public async Task Publish_DeviceOnBuildingFireTopic_RefusedAndNotForwardedToTheDoors()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using VirtualBuilding community = await EdgeRig.StartCommunityAsync(edge, DemoLayout.Without(edge.Layout, RawDevice));
        var alarmDoors = EdgeRig.Doors(community, DemoLayout.AlarmBuildingDoors).ToList();
        await EdgeRig.WaitUntilEnergisedAsync(alarmDoors, "b1 doors have read the clear state");
        using IMqttClient raw = await EdgeRig.ConnectRawAsync(edge, RawDevice);

        MqttClientPublishResult result = await PublishAsync(raw, "sc/v1/riverside/b1/fire", """{"v":1,"state":"alarm"}""", retain: true);

        Assert.AreEqual(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        Assert.AreEqual(1L, edge.Counters.RefusedByReason["malformed"]);
        JsonElement retained = await RetainedAsync(edge, "sc/v1/riverside/b1/fire");
        Assert.AreEqual("clear", retained.GetProperty("state").GetString(), "the retained fire state is still the edge's");
        Assert.IsTrue(alarmDoors.All(d => d.DoorOutput!.Energised && ((DoorController)d.Firmware).BuildingFire == Protocol.FireState.Clear));
        Assert.IsFalse(edge.FireRule.IsLatched("b1"));
    }

    [TestMethod]
    public async Task Publish_QoS1Event_RecordIsCommittedWhenThePubackArrives()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using IMqttClient raw = await EdgeRig.ConnectRawAsync(edge, RawDevice);

        for (int seq = 1; seq <= 20; seq++)
        {
            MqttClientPublishResult result = await PublishAsync(raw, RawEventTopic, Event(RawDevice, seq, "self-test-report"));

            Assert.IsTrue(result.IsSuccess, $"PUBACK reason {result.ReasonCode}");
            StoredEvent? stored = edge.EventLog.ReadRecent(1, RawDevice).SingleOrDefault();
            Assert.IsNotNull(stored, $"message {seq} acknowledged but not in the log");
            Assert.AreEqual((seq, "self-test-report"), ((int)stored.Sequence, stored.Name));
        }

        Assert.AreEqual(20L, edge.Counters.Accepted);
    }

    [TestMethod]
    public async Task Publish_SameMessageTwice_AcknowledgedBothTimesRecordedOnce()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using IMqttClient raw = await EdgeRig.ConnectRawAsync(edge, RawDevice);

        MqttClientPublishResult first = await PublishAsync(raw, RawEventTopic, Event(RawDevice, 1, "pre-alarm"));
        MqttClientPublishResult again = await PublishAsync(raw, RawEventTopic, Event(RawDevice, 1, "pre-alarm"));

        Assert.IsTrue(first.IsSuccess, $"PUBACK reason {first.ReasonCode}");
        Assert.IsTrue(again.IsSuccess, $"a redelivery is acknowledged again, not refused ({again.ReasonCode})");
        Assert.HasCount(1, edge.EventLog.ReadRecent(10, RawDevice));
        Assert.AreEqual(1L, edge.Counters.Duplicates);
    }

    [TestMethod]
    public async Task Disconnect_ConnectionDroppedWithoutDisconnect_LastWillMarksTheDeviceOffline()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        DeviceDefinition device = edge.Layout.DevicesById[RawDevice];
        string statusTopic = "sc/v1/riverside/b1/smoke/b1-f1-smoke/status";
        IMqttClient raw = new MqttClientFactory().CreateMqttClient();
        await raw.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", edge.MqttPort)
            .WithClientId(device.Id)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithWillTopic(statusTopic)
            .WithWillPayload("""{"v":1,"dev":"b1-f1-smoke","online":false}""")
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        await PublishAsync(raw, statusTopic, """{"v":1,"dev":"b1-f1-smoke","seq":1,"boot":1,"up":5,"online":true,"fw":"raw-1"}""", retain: true);
        Assert.IsTrue(edge.Twins.Find(device.Id)!.Online);

        // Disposing without DISCONNECT closes the socket as a lost network would, so the broker sends the Will.
        raw.Dispose();

        await Eventually.WaitUntilAsync(() => !edge.Twins.Find(device.Id)!.Online, "the edge marks the device offline");
        Assert.AreEqual(0L, edge.Counters.Refused, "the Last Will carries no sequence and is still accepted");
    }

    [TestMethod]
    public async Task Connect_ClientUsingTheEdgesOwnId_RefusedSoItCannotPublishAsTheEdge()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);

        // MQTTnet 5 reports a refused CONNECT in the result rather than by throwing.
        using IMqttClient impostor = await EdgeRig.ConnectRawAsync(edge, EmbeddedBroker.EdgeClientId);

        Assert.IsFalse(impostor.IsConnected);

        Assert.AreEqual(1L, edge.Counters.RefusedByReason["edge-client-id"]);
        JsonElement retained = await RetainedAsync(edge, "sc/v1/riverside/b1/fire");
        Assert.AreEqual("clear", retained.GetProperty("state").GetString());
    }

    [TestMethod]
    public async Task CutNetwork_VirtualDeviceLosesItsLink_LastWillMarksItOfflineAndItReturnsOnRestore()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using VirtualBuilding community = await EdgeRig.StartCommunityAsync(edge);
        VirtualDevice door = community[DemoLayout.AlarmBuildingDoors.First()];
        await Eventually.WaitUntilAsync(() => edge.Twins.Find(door.Definition.Id)!.Online, "the door is online");

        await door.Transport.CutNetworkAsync();
        await Eventually.WaitUntilAsync(() => !edge.Twins.Find(door.Definition.Id)!.Online, "the Will marks the door offline");

        door.Transport.RestoreNetwork();
        await Eventually.WaitUntilAsync(() => edge.Twins.Find(door.Definition.Id)!.Online, "the door is back online");
    }

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, string payload, bool retain = false) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build());

    private static string Event(string device, int seq, string name) =>
        $$"""{"v":1,"dev":"{{device}}","seq":{{seq}},"boot":1,"up":{{seq * 100}},"event":"{{name}}","state":"alarm","level":900}""";

    /// <summary>What a client subscribing now gets as the retained message of <paramref name="topic"/>.</summary>
    private static async Task<JsonElement> RetainedAsync(EdgeHost edge, string topic)
    {
        var received = new ConcurrentQueue<string>();
        using IMqttClient watcher = await EdgeRig.ConnectRawAsync(edge, "test-watcher");
        watcher.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await watcher.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await Eventually.WaitUntilAsync(() => !received.IsEmpty, $"the retained message of {topic} arrives");
        Assert.HasCount(1, received, "one retained message per topic");
        using JsonDocument document = JsonDocument.Parse(received.Single());
        return document.RootElement.Clone();
    }
}
