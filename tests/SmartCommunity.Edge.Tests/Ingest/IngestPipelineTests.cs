namespace SmartCommunity.Edge.Tests.Ingest;

using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

[TestClass]
public sealed class IngestPipelineTests
{
    [TestMethod]
    public async Task AcceptAsync_ValidEvent_CommittedWhenTheTaskCompletes()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        var message = Messages.Event(door, 1, "door-opened", boot: 2);

        IngestResult result = await edge.Pipeline.AcceptAsync(door.Id, message.Topic, Messages.Bytes(message.Payload));

        Assert.AreEqual(IngestResult.Accepted, result);
        StoredEvent stored = edge.Log.ReadRecent(10, door.Id).Single();
        Assert.AreEqual((Channel.Event, "door-opened", 1L, 2L), (stored.Channel, stored.Name, stored.Sequence, stored.Boot));
        Assert.AreEqual(message.Payload, stored.Payload);
        Assert.AreEqual((1L, 0L), (edge.Counters.Accepted, edge.Counters.Refused));
        Assert.IsTrue(edge.Twin(door.Id).Online);
    }

    [TestMethod]
    public async Task AcceptAsync_SmokeAlarm_DoorsReleasedBeforeTheTaskCompletes()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition smoke = edge.Device(DemoLayout.LobbySmoke);
        var alarm = Messages.Event(smoke, 1, "alarm");

        await edge.Pipeline.AcceptAsync(smoke.Id, alarm.Topic, Messages.Bytes(alarm.Payload));

        Assert.IsTrue(edge.FireRule.IsLatched("b1"));
        Assert.HasCount(3, edge.Downlink.Commands);
        Assert.IsTrue(edge.Log.ReadFireLatches().Single().Latched, "the latch is committed with the message that caused it");
    }

    [TestMethod]
    public async Task AcceptAsync_Malformed_RefusedAndCounted()
    {
        await using var edge = new EdgeParts();

        IngestResult result = await edge.Pipeline.AcceptAsync(DemoLayout.LobbySmoke, "sc/v1/riverside/b1/smoke/b1-lobby-smoke/event", Messages.Bytes("{not json"));

        AssertRefused(edge, result, "malformed");
    }

    [TestMethod]
    public async Task AcceptAsync_DeviceNotInLayout_RefusedAsUnknownDevice()
    {
        await using var edge = new EdgeParts();
        const string Topic = "sc/v1/riverside/b1/smoke/ghost/event";

        IngestResult result = await edge.Pipeline.AcceptAsync("ghost", Topic, Messages.Bytes("""{"v":1,"dev":"ghost","seq":1,"boot":1,"up":0,"event":"alarm"}"""));

        AssertRefused(edge, result, "unknown-device");
        Assert.IsFalse(edge.FireRule.IsLatched("b1"));
    }

    [TestMethod]
    public async Task AcceptAsync_AnotherDevicesTopic_RefusedAsNotOwnTopic()
    {
        await using var edge = new EdgeParts();
        var spoofed = Messages.Event(edge.Device(DemoLayout.LobbySmoke), 1, "alarm");

        IngestResult result = await edge.Pipeline.AcceptAsync(DemoLayout.FirstFloorSmoke, spoofed.Topic, Messages.Bytes(spoofed.Payload));

        AssertRefused(edge, result, "not-own-topic");
        Assert.IsFalse(edge.FireRule.IsLatched("b1"), "a device cannot raise an alarm in another device's name");
        Assert.AreEqual(0L, edge.Twin(DemoLayout.LobbySmoke).LastSequence);
    }

    [TestMethod]
    public async Task AcceptAsync_OwnIdUnderAnotherBuilding_RefusedAsWrongTopic()
    {
        await using var edge = new EdgeParts();
        const string Topic = "sc/v1/riverside/b2/smoke/b1-lobby-smoke/event";

        IngestResult result = await edge.Pipeline.AcceptAsync(DemoLayout.LobbySmoke, Topic, Messages.Bytes("""{"v":1,"dev":"b1-lobby-smoke","seq":1,"boot":1,"up":0,"event":"alarm"}"""));

        AssertRefused(edge, result, "wrong-topic");
        Assert.IsFalse(edge.FireRule.IsLatched("b2"));
    }

    [TestMethod]
    public async Task AcceptAsync_Redelivery_AcceptedAgainButRecordedOnce()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        var message = Messages.Event(door, 1, "door-opened");

        await edge.Pipeline.AcceptAsync(door.Id, message.Topic, Messages.Bytes(message.Payload));
        IngestResult again = await edge.Pipeline.AcceptAsync(door.Id, message.Topic, Messages.Bytes(message.Payload));

        Assert.AreEqual(IngestResult.Accepted, again, "a QoS 1 redelivery is acknowledged again");
        Assert.HasCount(1, edge.Log.ReadRecent(10, door.Id));
        Assert.AreEqual((1L, 1L), (edge.Counters.Accepted, edge.Counters.Duplicates));
    }

    [TestMethod]
    public async Task AcceptAsync_Ack_SettlesTheCommandAndLogsTheResult()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        string id = await edge.Commands.SendAsync(door, CommandKind.Release, "fire");
        var ack = Messages.Ack(door, 1, id);

        await edge.Pipeline.AcceptAsync(door.Id, ack.Topic, Messages.Bytes(ack.Payload));

        Assert.IsFalse(edge.Commands.IsPending(id));
        StoredEvent logged = edge.Log.ReadRecent(1, door.Id).Single();
        Assert.AreEqual((Channel.Ack, CommandNames.ResultDone), (logged.Channel, logged.Name));
    }

    private static void AssertRefused(EdgeParts edge, IngestResult result, string category)
    {
        Assert.AreEqual(IngestResult.Refused, result);
        Assert.AreEqual(1L, edge.Counters.Refused);
        Assert.AreEqual(1L, edge.Counters.RefusedByReason.GetValueOrDefault(category), $"counted under '{category}'");
        Assert.AreEqual(0L, edge.Counters.Accepted);
        Assert.IsEmpty(edge.Log.ReadRecent(10), "a refused message is not logged as accepted");
    }
}
