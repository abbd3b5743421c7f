namespace SmartCommunity.Edge.Tests.Safety;

using System.Collections.Generic;
using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using SmartCommunity.Edge.Commands;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

[TestClass]
public sealed partial class FireRuleTests
{
    private const string B1Fire = "sc/v1/riverside/b1/fire";
    private const string B2Fire = "sc/v1/riverside/b2/fire";

    [TestMethod]
    public async Task OnMessageAsync_SmokeAlarmEvent_LatchesAndReleasesEveryDoorOfThatBuildingOnly()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition smoke = edge.Device(DemoLayout.LobbySmoke);

        await edge.FireRule.OnMessageAsync(Messages.Event(smoke, 3, FireRule.SmokeAlarmEvent), smoke);

        Assert.IsTrue(edge.FireRule.IsLatched("b1"));
        Assert.IsFalse(edge.FireRule.IsLatched("b2"));
        CollectionAssert.AreEquivalent(DemoLayout.AlarmBuildingDoors, ReleasedDoors(edge));
        Downlinked state = edge.Downlink.Published.Single(p => p.Topic == B1Fire);
        Assert.IsTrue(state.Retain, "the building's fire state is retained so a door that connects later reads it");
        Assert.AreEqual(FireStateDecoder.Alarm, state.Json.GetProperty("state").GetString());
        Assert.AreEqual($"smoke alarm at {DemoLayout.LobbySmoke}", state.Json.GetProperty("by").GetString());
        Assert.IsFalse(edge.Downlink.Published.Any(p => p.Topic == B2Fire));
    }

    [TestMethod]
    public async Task OnMessageAsync_SmokeAlarmEvent_LatchAndEdgeEventAreCommitted()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition smoke = edge.Device(DemoLayout.FirstFloorSmoke);

        await edge.FireRule.OnMessageAsync(Messages.Event(smoke, 3, FireRule.SmokeAlarmEvent), smoke);

        FireLatchRecord latch = edge.Log.ReadFireLatches().Single();
        Assert.AreEqual(("riverside", "b1", true, EdgeParts.Start), (latch.Site, latch.Building, latch.Latched, latch.Since));
        StoredEvent latched = edge.Log.ReadRecent(100, "edge").Single();
        Assert.AreEqual(("rule", "fire-latched"), (latched.Channel, latched.Name));
        Assert.HasCount(3, edge.Log.ReadRecent(100).Where(e => e.Channel == Channel.Command && e.Name == CommandNames.Release).ToList());
    }

    [TestMethod]
    public async Task OnMessageAsync_SmokeStateSaysAlarm_Latches()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition smoke = edge.Device("b2-lobby-smoke");

        await edge.FireRule.OnMessageAsync(Messages.State(smoke, 4, "alarm"), smoke);

        Assert.IsTrue(edge.FireRule.IsLatched("b2"));
        CollectionAssert.AreEquivalent(DemoLayout.QuietBuildingDoors, ReleasedDoors(edge));
    }

    [TestMethod]
    public async Task OnMessageAsync_SecondAlarmWhileLatched_SendsNothingMore()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition lobby = edge.Device(DemoLayout.LobbySmoke);
        DeviceDefinition firstFloor = edge.Device(DemoLayout.FirstFloorSmoke);
        await edge.FireRule.OnMessageAsync(Messages.Event(lobby, 3, FireRule.SmokeAlarmEvent), lobby);
        int published = edge.Downlink.Published.Count;

        await edge.FireRule.OnMessageAsync(Messages.Event(firstFloor, 3, FireRule.SmokeAlarmEvent), firstFloor);

        Assert.AreEqual(published, edge.Downlink.Published.Count);
        Assert.AreEqual($"smoke alarm at {DemoLayout.LobbySmoke}", edge.FireRule.Latches.Single(l => l.Building == "b1").By, "the first trigger is the one on record");
    }

    [TestMethod]
    [DataRow("pre-alarm")]
    [DataRow("fault")]
    [DataRow("alarm-cleared")]
    public async Task OnMessageAsync_SmokeEventThatIsNotAnAlarm_DoesNotLatch(string eventName)
    {
        await using var edge = new EdgeParts();
        DeviceDefinition smoke = edge.Device(DemoLayout.LobbySmoke);

        await edge.FireRule.OnMessageAsync(Messages.Event(smoke, 3, eventName), smoke);

        Assert.IsFalse(edge.FireRule.IsLatched("b1"));
        Assert.IsEmpty(edge.Downlink.Published);
    }

    [TestMethod]
    public async Task OnMessageAsync_DoorReportingAnAlarmEvent_DoesNotLatch()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);

        await edge.FireRule.OnMessageAsync(Messages.Event(door, 3, FireRule.SmokeAlarmEvent), door);

        Assert.IsFalse(edge.FireRule.IsLatched("b1"));
    }

    [TestMethod]
    public async Task OnMessageAsync_DoorComesOnlineWhileLatched_ReleasesThatDoorAgain()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition smoke = edge.Device(DemoLayout.LobbySmoke);
        DeviceDefinition door = edge.Device(DemoLayout.StairDoor);
        await edge.FireRule.OnMessageAsync(Messages.Event(smoke, 3, FireRule.SmokeAlarmEvent), smoke);

        await edge.FireRule.OnMessageAsync(Messages.Online(door, 1, boot: 2), door);

        IReadOnlyList<JsonElement> commands = edge.Downlink.CommandsTo("riverside", "b1", "door", door.Id);
        Assert.HasCount(2, commands);
        Assert.IsTrue(commands.All(c => c.GetProperty("cmd").GetString() == CommandNames.Release));
        Assert.AreNotEqual(commands[0].GetProperty("id").GetString(), commands[1].GetProperty("id").GetString(), "a new command, not a retry");
    }

    [TestMethod]
    public async Task OnMessageAsync_DoorComesOnlineWithoutAlarm_SendsNothing()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.StairDoor);

        await edge.FireRule.OnMessageAsync(Messages.Online(door, 1), door);

        Assert.IsEmpty(edge.Downlink.Published);
    }

    [TestMethod]
    public async Task ResetAsync_NoAlarm_ReturnsNotLatchedAndChangesNothing()
    {
        await using var edge = new EdgeParts();

        FireResetOutcome reset = await edge.FireRule.ResetAsync("b1", "alice");

        Assert.AreEqual(FireResetResult.NotLatched, reset.Result);
        Assert.IsEmpty(edge.Downlink.Published);
        Assert.IsEmpty(edge.Log.ReadFireLatches());
    }

    [TestMethod]
    public async Task ResetAsync_Latched_ClearsPublishesClearAndResetsTheReleasedDoors()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition smoke = edge.Device(DemoLayout.LobbySmoke);
        await edge.FireRule.OnMessageAsync(Messages.Event(smoke, 3, FireRule.SmokeAlarmEvent), smoke);
        await edge.FireRule.OnMessageAsync(Messages.Event(smoke, 4, "alarm-cleared"), smoke);
        int before = edge.Downlink.Published.Count;

        FireResetOutcome reset = await edge.FireRule.ResetAsync("b1", "alice");

        Assert.AreEqual(FireResetResult.Reset, reset.Result);
        Assert.IsFalse(edge.FireRule.IsLatched("b1"));
        List<Downlinked> after = edge.Downlink.Published.Skip(before).ToList();
        Downlinked clear = after.Single(p => p.Topic == B1Fire);
        Assert.IsTrue(clear.Retain);
        Assert.AreEqual(FireStateDecoder.Clear, clear.Json.GetProperty("state").GetString());
        Assert.AreEqual("alice", clear.Json.GetProperty("by").GetString());
        int clearAt = after.IndexOf(clear);
        List<Downlinked> resets = after.Where(p => p.Topic.EndsWith("/cmd", System.StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEquivalent(
            DemoLayout.AlarmBuildingDoors.Select(d => $"sc/v1/riverside/b1/door/{d}/cmd").ToList(),
            resets.Select(r => r.Topic).ToList());
        Assert.IsTrue(resets.All(r => r.Json.GetProperty("cmd").GetString() == CommandNames.Reset && after.IndexOf(r) > clearAt), "each door reads the clear state before its reset");
        Assert.AreEqual(new FireLatchRecord("riverside", "b1", false, EdgeParts.Start, "alice"), edge.Log.ReadFireLatches().Single());
        Assert.AreEqual("fire-reset", edge.Log.ReadRecent(1, "edge").Single().Name);
    }

    [TestMethod]
    public async Task StartAsync_NothingLatched_PublishesClearForEveryBuilding()
    {
        await using var edge = new EdgeParts();

        await edge.FireRule.StartAsync();

        Assert.AreEqual(2, edge.Downlink.Published.Count);
        foreach (string topic in new[] { B1Fire, B2Fire })
        {
            Downlinked state = edge.Downlink.Published.Single(p => p.Topic == topic);
            Assert.IsTrue(state.Retain);
            Assert.AreEqual(FireStateDecoder.Clear, state.Json.GetProperty("state").GetString());
        }
    }

    [TestMethod]
    public async Task StartAsync_LatchInTheLog_RestoresItPublishesAlarmAndReleasesAgain()
    {
        await using var edge = new EdgeParts();
        await edge.Log.SaveFireLatchAsync(new FireLatchRecord("riverside", "b1", true, EdgeParts.Start, "smoke alarm at b1-f1-smoke"));
        await edge.Log.SaveFireLatchAsync(new FireLatchRecord("another-site", "b2", true, EdgeParts.Start, "not ours"));

        await edge.FireRule.StartAsync();

        Assert.IsTrue(edge.FireRule.IsLatched("b1"));
        Assert.IsFalse(edge.FireRule.IsLatched("b2"), "a latch of another site does not apply here");
        Assert.AreEqual(FireStateDecoder.Alarm, edge.Downlink.Published.Single(p => p.Topic == B1Fire).Json.GetProperty("state").GetString());
        Assert.AreEqual(FireStateDecoder.Clear, edge.Downlink.Published.Single(p => p.Topic == B2Fire).Json.GetProperty("state").GetString());
        CollectionAssert.AreEquivalent(DemoLayout.AlarmBuildingDoors, ReleasedDoors(edge));
    }

    [TestMethod]
    public async Task Latches_EveryBuildingOfTheLayout_ClearUnlessLatched()
    {
        await using var edge = new EdgeParts();
        await edge.FireRule.LatchAsync("b2", "manual call point");

        IReadOnlyList<FireLatchRecord> latches = edge.FireRule.Latches;

        CollectionAssert.AreEqual(new[] { "b1", "b2" }, latches.Select(l => l.Building).ToList());
        CollectionAssert.AreEqual(new[] { false, true }, latches.Select(l => l.Latched).ToList());
    }

    /// <summary>Device ids that got a release command.</summary>
    private static List<string> ReleasedDoors(EdgeParts edge) =>
        edge.Downlink.Commands
            .Where(c => c.Json.GetProperty("cmd").GetString() == CommandNames.Release)
            .Select(c => c.Topic.Split('/')[5])
            .ToList();

    [TestMethod]
    public async Task WhyRefused_LockOrResetInLatchedBuilding_RefusedWhileOtherBuildingsAndReleasesPass()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition smoke = edge.Device(DemoLayout.LobbySmoke);
        await edge.FireRule.OnMessageAsync(Messages.Event(smoke, 3, FireRule.SmokeAlarmEvent), smoke);
        DeviceDefinition b1Door = edge.Device(DemoLayout.LobbyEntrance);
        DeviceDefinition b2Door = edge.Layout.DevicesIn("b2").First(d => d.Kind == DeviceKinds.Door);

        Assert.IsNotNull(edge.FireRule.WhyRefused(new CommandRequest(b1Door, CommandKind.Lock, "x", CommandOrigin.Operator, "alice")));
        Assert.IsNotNull(edge.FireRule.WhyRefused(new CommandRequest(b1Door, CommandKind.Reset, "x", CommandOrigin.Rule)));
        Assert.IsNull(edge.FireRule.WhyRefused(new CommandRequest(b1Door, CommandKind.Release, "x", CommandOrigin.Rule)));
        Assert.IsNull(edge.FireRule.WhyRefused(new CommandRequest(b1Door, CommandKind.Unlock, "x", CommandOrigin.Rule)));
        Assert.IsNull(edge.FireRule.WhyRefused(new CommandRequest(b2Door, CommandKind.Lock, "x", CommandOrigin.Rule)));
    }

    [TestMethod]
    public async Task OnMessageAsync_DoorReportsItsFirePanelInput_LatchesAndReleasesEveryDoorOfTheBuilding()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.StairDoor);

        await edge.FireRule.OnMessageAsync(Messages.Event(door, 2, "fire-input-active"), door);

        Assert.IsTrue(edge.FireRule.IsLatched("b1"));
        Assert.IsTrue(edge.FireRule.AlarmStands("b1"));
        Assert.IsFalse(edge.FireRule.AlarmStands("b2"));
        CollectionAssert.AreEquivalent(DemoLayout.AlarmBuildingDoors,
            edge.Downlink.Published.Where(p => p.Topic.EndsWith("/cmd", StringComparison.Ordinal)).Select(p => p.Topic.Split('/')[5]).ToArray());
        CommandTicket refused = await edge.Commands.RequestAsync(new CommandRequest(edge.Device(DemoLayout.LobbyEntrance), CommandKind.Lock, "x", CommandOrigin.Rule));
        Assert.IsFalse(refused.Accepted);
    }

    [TestMethod]
    public async Task AlarmStands_DoorFireInputClearsAfterTheReset_NoLongerStands()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.StairDoor);
        await edge.FireRule.OnMessageAsync(Messages.Event(door, 2, "fire-input-active"), door);
        Assert.AreEqual(FireResetResult.FireInputActive, (await edge.FireRule.ResetAsync("b1", "alice")).Result);

        await edge.FireRule.OnMessageAsync(Messages.Event(door, 3, "fire-input-clear"), door);
        Assert.IsTrue(edge.FireRule.AlarmStands("b1"), "the latch holds until the operator resets it");
        Assert.AreEqual(FireResetResult.Reset, (await edge.FireRule.ResetAsync("b1", "alice")).Result);

        Assert.IsFalse(edge.FireRule.AlarmStands("b1"));
    }

    [TestMethod]
    public async Task ResetAsync_DoorStillReadsFireInput_RefusedAndLatchKept()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition smoke = edge.Device(DemoLayout.LobbySmoke);
        DeviceDefinition door = edge.Device(DemoLayout.StairDoor);
        await edge.FireRule.OnMessageAsync(Messages.Event(smoke, 3, FireRule.SmokeAlarmEvent), smoke);
        string json = $$"""{"v":1,"dev":"{{door.Id}}","seq":4,"boot":1,"up":1000,"role":"hold-open","output":"released","fireInput":true}""";
        await edge.FireRule.OnMessageAsync(Messages.Decode(Messages.TopicOf(door, Channel.State), json), door);

        FireResetOutcome result = await edge.FireRule.ResetAsync("b1", "alice");

        Assert.AreEqual(FireResetResult.FireInputActive, result.Result);
        Assert.IsTrue(edge.FireRule.IsLatched("b1"));
        CollectionAssert.AreEqual(new[] { door.Id }, edge.FireRule.DoorsReportingFireInput("b1").ToArray());
    }

    [TestMethod]
    public async Task LatchAsync_PendingLockInTheBuilding_CancelledBeforeItCanArrive()
    {
        await using var edge = new EdgeParts();
        DeviceDefinition door = edge.Device(DemoLayout.LobbyEntrance);
        string lockId = (await edge.Commands.RequestAsync(new CommandRequest(door, CommandKind.Lock, "night", CommandOrigin.Rule))).Id!;

        await edge.FireRule.LatchAsync("b1", "smoke alarm at test");

        Assert.AreEqual(CommandState.Cancelled, edge.Commands.Find(lockId)!.State);
        Assert.IsTrue(edge.Log.ReadRecent(100, door.Id).Any(e => e.Name == "command-cancelled"));
    }
}
