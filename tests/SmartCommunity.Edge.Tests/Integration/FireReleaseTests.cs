namespace SmartCommunity.Edge.Tests.Integration;

using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Devices;

/// <summary>
/// The fire rule end to end on real parts (hardware-docs/safety.md): the edge with its embedded broker, SQLite
/// log and HTTP API on loopback, and the demo community running the real firmware on simulated pins.
/// </summary>
[TestClass]
public sealed class FireReleaseTests
{
    [TestMethod]
    public async Task SmokeAlarm_InBuildingOne_ReleasesItsDoorsOnlyAndRecordsItAll()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using VirtualBuilding community = await EdgeRig.StartCommunityAsync(edge);
        List<VirtualDevice> alarmDoors = EdgeRig.Doors(community, DemoLayout.AlarmBuildingDoors).ToList();
        List<VirtualDevice> quietDoors = EdgeRig.Doors(community, DemoLayout.QuietBuildingDoors).ToList();
        await EdgeRig.WaitUntilEnergisedAsync(alarmDoors.Concat(quietDoors), "every door has read the clear fire state");

        await EdgeRig.RaiseAlarmInAlarmBuildingAsync(edge, community);

        await Eventually.WaitUntilAsync(
            () => DemoLayout.AlarmBuildingDoors.All(d => EdgeRig.AcksFrom(edge, d, CommandNames.ResultDone).Count > 0),
            "every b1 door has acknowledged its release");
        IReadOnlyList<StoredEvent> log = edge.EventLog.ReadRecent(10_000);
        Assert.IsTrue(log.Any(e => e.Source == DemoLayout.LobbySmoke && e.Channel == Channel.Event && e.Name == "alarm"), "the smoke alarm is in the log");
        foreach (string door in DemoLayout.AlarmBuildingDoors)
        {
            Assert.HasCount(1, EdgeRig.CommandsTo(edge, door, CommandNames.Release), $"one release to {door}");
        }

        Assert.IsTrue(quietDoors.All(d => d.DoorOutput!.Energised), "b2 has no alarm: its doors stay energised");
        Assert.IsTrue(DemoLayout.QuietBuildingDoors.All(d => EdgeRig.CommandsTo(edge, d, CommandNames.Release).Count == 0));
        Assert.IsTrue(alarmDoors.All(d => !d.DoorOutput!.Energised));

        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);
        JsonElement buildings = await http.GetFromJsonAsync<JsonElement>("/buildings");
        Assert.AreEqual("alarm", Building(buildings, "b1").GetProperty("fire").GetString());
        Assert.AreEqual($"smoke alarm at {DemoLayout.LobbySmoke}", Building(buildings, "b1").GetProperty("by").GetString());
        Assert.AreEqual("clear", Building(buildings, "b2").GetProperty("fire").GetString());

        using HttpResponseMessage health = await http.GetAsync("/health");
        Assert.AreEqual(HttpStatusCode.OK, health.StatusCode);
        JsonElement body = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("ok", body.GetProperty("status").GetString());
        Assert.AreEqual(0L, body.GetProperty("messages").GetProperty("refused").GetInt64());
        Assert.AreEqual(0L, body.GetProperty("messages").GetProperty("commitFailures").GetInt64());
    }

    [TestMethod]
    public async Task Boot_Doors_ComeUpReleasedAndEnergiseOnlyAfterReadingTheRetainedClearState()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using var community = new VirtualBuilding(edge.Layout, "127.0.0.1", edge.MqttPort, System.TimeProvider.System, EdgeRig.Tick);
        List<VirtualDevice> doors = community.Devices.Where(d => d.DoorOutput is not null).ToList();
        Assert.IsTrue(doors.All(d => !d.DoorOutput!.Energised), "a door is released from the moment it boots");

        community.Start();

        // The edge published the clear state before any device existed, so each door can only read it retained.
        await Eventually.WaitUntilAsync(
            () =>
            {
                foreach (VirtualDevice door in doors)
                {
                    var controller = (DoorController)door.Firmware;
                    if (door.DoorOutput!.Energised && controller.BuildingFire != Protocol.FireState.Clear)
                    {
                        Assert.Fail($"{door.Definition.Id} energised before it read the building's fire state as clear");
                    }
                }

                return doors.All(d => d.DoorOutput!.Energised);
            },
            "every door has energised");
        foreach (VirtualDevice door in doors)
        {
            Assert.AreEqual(2L, door.DoorOutput!.Writes, $"{door.Definition.Id}: released at boot, energised once, nothing between");
            Assert.AreEqual(0, ((DoorController)door.Firmware).ReleaseReasonBits);
        }

        // Each door reports its state as it energises; every such report must already carry the clear state.
        await Eventually.WaitUntilAsync(
            () => doors.All(d => StatesOf(edge, d.Definition.Id).Any(s => s.GetProperty("output").GetString() == "energised")),
            "every door's energised state is in the log");
        foreach (VirtualDevice door in doors)
        {
            foreach (JsonElement state in StatesOf(edge, door.Definition.Id).Where(s => s.GetProperty("output").GetString() == "energised"))
            {
                Assert.AreEqual("clear", state.GetProperty("fireState").GetString(), $"{door.Definition.Id} reported energised with {state}");
            }
        }
    }

    [TestMethod]
    public async Task NetworkCut_DoorBackOnlineDuringAlarm_GetsTheReleaseAgainAndStaysReleased()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using VirtualBuilding community = await EdgeRig.StartCommunityAsync(edge);
        await EdgeRig.WaitUntilEnergisedAsync(EdgeRig.Doors(community, DemoLayout.AlarmBuildingDoors), "b1 doors have read the clear state");
        await EdgeRig.RaiseAlarmInAlarmBuildingAsync(edge, community);
        VirtualDevice door = community[DemoLayout.StairDoor];
        await Eventually.WaitUntilAsync(() => EdgeRig.AcksFrom(edge, door.Definition.Id, CommandNames.ResultDone).Count == 1, "the stair door acknowledged its release");
        int sessions = door.Transport.Sessions;

        await door.Transport.CutNetworkAsync();
        Assert.IsFalse(door.Transport.IsConnected);
        door.Transport.RestoreNetwork();

        await Eventually.WaitUntilAsync(() => door.Transport.Sessions > sessions, "the stair door reconnects");
        await Eventually.WaitUntilAsync(
            () => EdgeRig.AcksFrom(edge, door.Definition.Id, CommandNames.ResultDone).Count >= 2,
            "the stair door acknowledged a second release");
        IReadOnlyList<StoredEvent> releases = EdgeRig.CommandsTo(edge, door.Definition.Id, CommandNames.Release);
        Assert.HasCount(2, releases);
        Assert.AreNotEqual(CommandId(releases[0]), CommandId(releases[1]), "sent as a new command because the door came back, not as a retry");
        Assert.IsFalse(door.DoorOutput!.Energised);
        Assert.AreNotEqual(0, ((DoorController)door.Firmware).ReleaseReasonBits & ReleaseReasons.BuildingFire, "the door holds the building's alarm state");
    }

    [TestMethod]
    public async Task EdgeRestart_LatchedBuilding_StaysInAlarmAndRebootedDoorsStayReleased()
    {
        using var data = new TempFolder();
        await using (EdgeHost first = await EdgeRig.StartEdgeAsync(data))
        {
            await using VirtualBuilding community = await EdgeRig.StartCommunityAsync(first);
            await EdgeRig.WaitUntilEnergisedAsync(EdgeRig.Doors(community, DemoLayout.AlarmBuildingDoors), "b1 doors have read the clear state");
            await EdgeRig.RaiseAlarmInAlarmBuildingAsync(first, community);
            await Eventually.WaitUntilAsync(() => first.EventLog.ReadFireLatches().Any(l => l.Building == "b1" && l.Latched), "the latch is committed");
        }

        await using EdgeHost second = await EdgeRig.StartEdgeAsync(data);

        using HttpClient http = await OperatorClient.AsOperatorAsync(second);
        JsonElement buildings = await http.GetFromJsonAsync<JsonElement>("/buildings");
        Assert.AreEqual("alarm", Building(buildings, "b1").GetProperty("fire").GetString());
        Assert.AreEqual($"smoke alarm at {DemoLayout.LobbySmoke}", Building(buildings, "b1").GetProperty("by").GetString());
        Assert.AreEqual("clear", Building(buildings, "b2").GetProperty("fire").GetString());

        // The devices boot again with the edge (a power cut of the whole building): each door learns the fire
        // state only from the retained message the restarted edge published from its log.
        await using VirtualBuilding rebooted = await EdgeRig.StartCommunityAsync(second);
        List<VirtualDevice> alarmDoors = EdgeRig.Doors(rebooted, DemoLayout.AlarmBuildingDoors).ToList();
        await Eventually.WaitUntilAsync(
            () => alarmDoors.All(d => ((DoorController)d.Firmware).BuildingFire == Protocol.FireState.Alarm),
            "every b1 door has read the retained alarm state");
        await EdgeRig.WaitUntilEnergisedAsync(EdgeRig.Doors(rebooted, DemoLayout.QuietBuildingDoors), "b2 doors read clear and energise");
        Assert.IsTrue(alarmDoors.All(d => !d.DoorOutput!.Energised && d.DoorOutput.Writes == 1), "b1 doors never energised after the reboot");
    }

    [TestMethod]
    public async Task OperatorReset_AfterAlarm_DoorsEnergiseAgainAndTheResetIsLogged()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using VirtualBuilding community = await EdgeRig.StartCommunityAsync(edge);
        List<VirtualDevice> alarmDoors = EdgeRig.Doors(community, DemoLayout.AlarmBuildingDoors).ToList();
        await EdgeRig.WaitUntilEnergisedAsync(alarmDoors, "b1 doors have read the clear state");
        await EdgeRig.RaiseAlarmInAlarmBuildingAsync(edge, community);
        await Eventually.WaitUntilAsync(
            () => DemoLayout.AlarmBuildingDoors.All(d => EdgeRig.AcksFrom(edge, d, CommandNames.ResultDone).Count > 0),
            "every b1 door has acknowledged its release");
        community[DemoLayout.LobbySmoke].SmokeHead!.Value = VirtualDevice.CleanAirLevel;
        await Eventually.WaitUntilAsync(() => edge.FireRule.DevicesInAlarm("b1").Count == 0, "the edge hears the detector restore (a reset is refused before)");
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge, "alice");

        using HttpResponseMessage reset = await http.PostAsync("/buildings/b1/fire/reset", null);

        Assert.AreEqual(HttpStatusCode.OK, reset.StatusCode);
        JsonElement body = await reset.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual(("b1", "clear", "alice"), (body.GetProperty("building").GetString(), body.GetProperty("fire").GetString(), body.GetProperty("by").GetString()));
        await EdgeRig.WaitUntilEnergisedAsync(alarmDoors, "b1 doors energise again after the reset");
        StoredEvent logged = edge.EventLog.ReadRecent(10_000, "edge").First(e => e.Name == "fire-reset" && e.Channel == "rule");
        Assert.AreEqual("b1", logged.Building);
        Assert.Contains("alice", logged.Payload);
        JsonElement buildings = await http.GetFromJsonAsync<JsonElement>("/buildings");
        Assert.AreEqual("clear", Building(buildings, "b1").GetProperty("fire").GetString());
        Assert.IsFalse(edge.EventLog.ReadFireLatches().Single(l => l.Building == "b1").Latched);
    }

    private static JsonElement Building(JsonElement buildings, string id) =>
        buildings.EnumerateArray().Single(b => b.GetProperty("building").GetString() == id);

    private static List<JsonElement> StatesOf(EdgeHost edge, string deviceId) =>
        edge.EventLog.ReadRecent(10_000, deviceId)
            .Where(e => e.Channel == Channel.State)
            .Select(e =>
            {
                using JsonDocument payload = JsonDocument.Parse(e.Payload);
                return payload.RootElement.Clone();
            })
            .ToList();

    private static string? CommandId(StoredEvent command)
    {
        using JsonDocument payload = JsonDocument.Parse(command.Payload);
        return payload.RootElement.GetProperty("id").GetString();
    }
}
