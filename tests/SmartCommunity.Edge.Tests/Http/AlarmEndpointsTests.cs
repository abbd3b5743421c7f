namespace SmartCommunity.Edge.Tests.Http;

using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Simulation.Devices;

/// <summary>Alarms as operators handle them: list, acknowledge, reset; each action audited with the token's owner.</summary>
[TestClass]
public sealed class AlarmEndpointsTests
{
    [TestMethod]
    public async Task GetAlarms_NothingStanding_EmptyList()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        JsonElement alarms = await OperatorClient.GetJsonAsync(http, "/alarms");

        Assert.AreEqual(0, alarms.GetArrayLength());
    }

    [TestMethod]
    public async Task PostAck_StandingFire_FirstAcknowledgementStandsAndEachIsAudited()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await edge.FireRule.LatchAsync("b1", "smoke alarm at b1-lobby-smoke");
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge, "alice");
        using HttpClient bob = await OperatorClient.AsOperatorAsync(edge, "bob");
        JsonElement before = (await OperatorClient.GetJsonAsync(alice, "/alarms")).EnumerateArray().Single();

        JsonElement first = await OperatorClient.JsonAsync(await alice.PostAsync("/alarms/fire-b1/ack", null), HttpStatusCode.OK);
        JsonElement second = await OperatorClient.JsonAsync(await bob.PostAsync("/alarms/fire-b1/ack", null), HttpStatusCode.OK);
        JsonElement after = (await OperatorClient.GetJsonAsync(bob, "/alarms")).EnumerateArray().Single();

        Assert.AreEqual(("fire-b1", "fire", true, JsonValueKind.Null), (before.GetProperty("id").GetString(), before.GetProperty("kind").GetString(),
            before.GetProperty("latched").GetBoolean(), before.GetProperty("acknowledged").ValueKind));
        Assert.AreEqual(("alice", false), (first.GetProperty("acknowledgedBy").GetString(), first.GetProperty("alreadyAcknowledged").GetBoolean()));
        Assert.AreEqual(("alice", true), (second.GetProperty("acknowledgedBy").GetString(), second.GetProperty("alreadyAcknowledged").GetBoolean()));
        Assert.AreEqual("alice", after.GetProperty("acknowledged").GetProperty("by").GetString());
        Assert.IsTrue(edge.FireRule.IsLatched("b1"), "acknowledging does not reset");
        var audit = edge.EventLog.ReadRecent(100, "edge").Where(e => e.Channel == OperatorAudit.Channel && e.Name == "alarm-ack").ToList();
        Assert.HasCount(2, audit);
        StringAssert.Contains(audit[0].Payload, "\"by\":\"bob\"");
        StringAssert.Contains(audit[1].Payload, "\"by\":\"alice\"");
    }

    [TestMethod]
    public async Task PostAck_AfterEdgeRestart_AcknowledgementOfTheStillLatchedAlarmKept()
    {
        using var data = new TempFolder();
        await using (EdgeHost first = await EdgeRig.StartEdgeAsync(data))
        {
            await first.FireRule.LatchAsync("b1", "test");
            using HttpClient alice = await OperatorClient.AsOperatorAsync(first, "alice");
            await OperatorClient.JsonAsync(await alice.PostAsync("/alarms/fire-b1/ack", null), HttpStatusCode.OK);
        }

        await using EdgeHost second = await EdgeRig.StartEdgeAsync(data);
        using HttpClient bob = await OperatorClient.AsOperatorAsync(second, "bob");
        JsonElement alarm = (await OperatorClient.GetJsonAsync(bob, "/alarms")).EnumerateArray().Single();

        Assert.AreEqual("alice", alarm.GetProperty("acknowledged").GetProperty("by").GetString());
    }

    [TestMethod]
    public async Task PostAck_UnknownAlarmOrClearBuilding_404And409Problems()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        await OperatorClient.ProblemAsync(await http.PostAsync("/alarms/fire-b9/ack", null), HttpStatusCode.NotFound);
        await OperatorClient.ProblemAsync(await http.PostAsync("/alarms/leak-b1/ack", null), HttpStatusCode.NotFound);
        JsonElement clear = await OperatorClient.ProblemAsync(await http.PostAsync("/alarms/fire-b2/ack", null), HttpStatusCode.Conflict);

        StringAssert.Contains(clear.GetProperty("detail").GetString(), "nothing to acknowledge");
    }

    [TestMethod]
    public async Task RuleAlert_ListedAcknowledgedAndCleared_ByTheTokensOwnerAndAudited()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        Alert raised = await edge.Alerts.RaiseAsync("door-held-open", AlertSeverity.Warning, "b1-lobby-entrance open for 5 min", DemoLayout.LobbyEntrance, "b1");
        string id = "alert-" + raised.Id;
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge, "alice");
        using HttpClient bob = await OperatorClient.AsOperatorAsync(edge, "bob");

        JsonElement listed = (await OperatorClient.GetJsonAsync(alice, "/alarms")).EnumerateArray().Single();
        JsonElement acked = await OperatorClient.JsonAsync(await alice.PostAsync($"/alarms/{id}/ack", null), HttpStatusCode.OK);
        JsonElement cleared = await OperatorClient.JsonAsync(await bob.PostAsync($"/alarms/{id}/clear", null), HttpStatusCode.OK);
        JsonElement again = await OperatorClient.ProblemAsync(await bob.PostAsync($"/alarms/{id}/clear", null), HttpStatusCode.Conflict);
        JsonElement afterwards = await OperatorClient.GetJsonAsync(alice, "/alarms");

        Assert.AreEqual((id, "alert", "warning", "raised"), (listed.GetProperty("id").GetString(), listed.GetProperty("kind").GetString(),
            listed.GetProperty("severity").GetString(), listed.GetProperty("state").GetString()));
        Assert.AreEqual("alice", acked.GetProperty("acknowledgedBy").GetString());
        Assert.AreEqual(("alice", "bob"), (cleared.GetProperty("acknowledged").GetProperty("by").GetString(), cleared.GetProperty("cleared").GetProperty("by").GetString()));
        StringAssert.Contains(again.GetProperty("detail").GetString(), "bob");
        Assert.AreEqual(0, afterwards.GetArrayLength());
        var audit = edge.EventLog.ReadRecent(100, DemoLayout.LobbyEntrance).Where(e => e.Channel == OperatorAudit.Channel).Select(e => (e.Name, e.Payload.Contains("\"by\":\"alice\""))).ToArray();
        CollectionAssert.AreEqual(new[] { ("alarm-clear", false), ("alarm-clear", false), ("alarm-ack", true) }, audit);
    }

    [TestMethod]
    public async Task Alarms_UnknownAlertOrClearingAFireAlarm_404And409()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await edge.FireRule.LatchAsync("b1", "test");
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        await OperatorClient.ProblemAsync(await http.PostAsync("/alarms/alert-999/ack", null), HttpStatusCode.NotFound);
        await OperatorClient.ProblemAsync(await http.PostAsync("/alarms/alert-999/clear", null), HttpStatusCode.NotFound);
        JsonElement fire = await OperatorClient.ProblemAsync(await http.PostAsync("/alarms/fire-b1/clear", null), HttpStatusCode.Conflict);

        StringAssert.Contains(fire.GetProperty("detail").GetString(), "/buildings/b1/fire/reset");
        Assert.IsTrue(edge.FireRule.IsLatched("b1"));
    }

    [TestMethod]
    public async Task GetRules_NeedsAToken()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient anonymous = EdgeRig.Http(edge);
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);

        await OperatorClient.ProblemAsync(await anonymous.GetAsync("/rules"), HttpStatusCode.Unauthorized);
        Assert.AreEqual(HttpStatusCode.OK, (await alice.GetAsync("/rules")).StatusCode);
    }

    [TestMethod]
    public async Task PostReset_NoAlarm_409NotLatchedAndTheAttemptAudited()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge, "alice");

        JsonElement problem = await OperatorClient.ProblemAsync(await http.PostAsync("/buildings/b2/fire/reset", null), HttpStatusCode.Conflict);
        JsonElement unknown = await OperatorClient.ProblemAsync(await http.PostAsync("/buildings/b9/fire/reset", null), HttpStatusCode.NotFound);

        Assert.AreEqual("not-latched", problem.GetProperty("reason").GetString());
        StringAssert.Contains(unknown.GetProperty("detail").GetString(), "b9");
        StoredEvent audit = edge.EventLog.ReadRecent(100, "edge").Single(e => e.Channel == OperatorAudit.Channel && e.Name == "fire-reset");
        Assert.AreEqual("b2", audit.Building);
        StringAssert.Contains(audit.Payload, "NotLatched");
        StringAssert.Contains(audit.Payload, "alice");
    }

    [TestMethod]
    public async Task PostReset_DoorStillReadsTheFirePanel_409FireInputActiveNamingTheDoorAndLatchKept()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using VirtualBuilding community = await EdgeRig.StartCommunityAsync(edge);
        await EdgeRig.WaitUntilEnergisedAsync(EdgeRig.Doors(community, DemoLayout.AlarmBuildingDoors), "b1 doors have read the clear state");
        await EdgeRig.RaiseAlarmInAlarmBuildingAsync(edge, community);
        community[DemoLayout.StairDoor].FireInput!.Active = true;
        await Eventually.WaitUntilAsync(() => edge.FireRule.DoorsReportingFireInput("b1").Count == 1, "the edge hears the stair door's fire input");
        community[DemoLayout.LobbySmoke].SmokeHead!.Value = VirtualDevice.CleanAirLevel;
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge, "alice");

        JsonElement problem = await OperatorClient.ProblemAsync(await http.PostAsync("/buildings/b1/fire/reset", null), HttpStatusCode.Conflict);
        JsonElement alarm = (await OperatorClient.GetJsonAsync(http, "/alarms")).EnumerateArray().Single();

        Assert.AreEqual("fire-input-active", problem.GetProperty("reason").GetString());
        StringAssert.Contains(problem.GetProperty("detail").GetString(), DemoLayout.StairDoor);
        Assert.IsTrue(edge.FireRule.IsLatched("b1"));
        Assert.AreEqual(DemoLayout.StairDoor, alarm.GetProperty("doorsReportingFireInput").EnumerateArray().Single().GetString());
    }
}
