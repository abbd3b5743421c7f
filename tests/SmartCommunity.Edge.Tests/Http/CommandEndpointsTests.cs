namespace SmartCommunity.Edge.Tests.Http;

using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Simulation.Devices;

/// <summary>An operator's command over real HTTP to the demo community's firmware, followed to its outcome.</summary>
[TestClass]
public sealed class CommandEndpointsTests
{
    [TestMethod]
    public async Task PostUnlockThenLock_OnlineEgressDoor_202WithLocationThenDoneAndTheDoorFollows()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using VirtualBuilding community = await EdgeRig.StartCommunityAsync(edge);
        VirtualDevice door = community[DemoLayout.LobbyEntrance];
        await EdgeRig.WaitUntilEnergisedAsync([door], "the entrance has read the clear fire state and locked");
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge, "alice");

        using HttpResponseMessage unlock = await OperatorClient.PostJsonAsync(http, $"/devices/{DemoLayout.LobbyEntrance}/commands",
            """{"cmd":"unlock","ms":60000,"reason":"parcel delivery"}""");

        JsonElement accepted = await OperatorClient.JsonAsync(unlock, HttpStatusCode.Accepted);
        string id = accepted.GetProperty("id").GetString()!;
        Assert.AreEqual($"/commands/{id}", unlock.Headers.Location?.ToString());
        // The door may ack before the response is written, so the 202 shows either; the outcome is checked below.
        CollectionAssert.Contains(new[] { "Pending", "Done" }, accepted.GetProperty("state").GetString());
        await WaitForStateAsync(http, unlock.Headers.Location!.ToString(), "Done");
        await EdgeRig.WaitUntilReleasedAsync([door], "the entrance unlocks");
        JsonElement record = await OperatorClient.GetJsonAsync(http, $"/commands/{id}");
        Assert.AreEqual(("unlock", "alice", "Operator", "parcel delivery"),
            (record.GetProperty("command").GetString(), record.GetProperty("operator").GetString(), record.GetProperty("origin").GetString(), record.GetProperty("reason").GetString()));

        using HttpResponseMessage relock = await OperatorClient.PostJsonAsync(http, $"/devices/{DemoLayout.LobbyEntrance}/commands", """{"cmd":"lock"}""");
        JsonElement lockAccepted = await OperatorClient.JsonAsync(relock, HttpStatusCode.Accepted);
        await WaitForStateAsync(http, relock.Headers.Location!.ToString(), "Done");
        await EdgeRig.WaitUntilEnergisedAsync([door], "the entrance locks again");

        JsonElement listed = await OperatorClient.GetJsonAsync(http, $"/commands?device={DemoLayout.LobbyEntrance}&limit=2");
        CollectionAssert.AreEqual(
            new[] { lockAccepted.GetProperty("id").GetString(), id },
            listed.EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToArray());
        StoredEvent audit = edge.EventLog.ReadRecent(1000, DemoLayout.LobbyEntrance).Last(e => e.Channel == OperatorAudit.Channel);
        Assert.AreEqual("command", audit.Name);
        StringAssert.Contains(audit.Payload, "\"by\":\"alice\"");
        StringAssert.Contains(audit.Payload, id);
    }

    [TestMethod]
    public async Task PostCloseAndReset_Valves_OperatorMayCloseAndReopenButNeverCloseASprinklerFeed()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsRoleAsync(edge, SmartCommunity.Edge.Operators.OperatorRoles.Installer, "alice");
        foreach ((string id, string body) in new[]
        {
            ("b2-riser", """{"kind":"leak","role":"valve","building":"b2","floor":"ground","zone":"lobby"}"""),
            ("b2-sprinkler-main", """{"kind":"leak","role":"valve","building":"b2","floor":"ground","zone":"lobby","feedsSprinklers":true}"""),
        })
        {
            using HttpResponseMessage saved = await http.PutAsync("/registry/devices/" + id, new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.AreEqual(HttpStatusCode.OK, saved.StatusCode, await saved.Content.ReadAsStringAsync());
        }

        using HttpResponseMessage close = await OperatorClient.PostJsonAsync(http, "/devices/b2-riser/commands", """{"cmd":"close","reason":"burst pipe"}""");
        using HttpResponseMessage reopen = await OperatorClient.PostJsonAsync(http, "/devices/b2-riser/commands", """{"cmd":"reset","reason":"pipe fixed"}""");
        using HttpResponseMessage sprinkler = await OperatorClient.PostJsonAsync(http, "/devices/b2-sprinkler-main/commands", """{"cmd":"close"}""");
        using HttpResponseMessage smoke = await OperatorClient.PostJsonAsync(http, $"/devices/{DemoLayout.LobbySmoke}/commands", """{"cmd":"close"}""");

        await OperatorClient.JsonAsync(close, HttpStatusCode.Accepted);
        await OperatorClient.JsonAsync(reopen, HttpStatusCode.Accepted);
        Assert.AreEqual(HttpStatusCode.BadRequest, sprinkler.StatusCode);
        StringAssert.Contains(await sprinkler.Content.ReadAsStringAsync(), "feeds sprinklers");
        Assert.AreEqual(HttpStatusCode.BadRequest, smoke.StatusCode);
        Assert.IsEmpty(EdgeRig.CommandsTo(edge, "b2-sprinkler-main", "close"));
    }

    [TestMethod]
    public async Task PostLock_DuringFireAlarm_409WithTheSafetyReasonNothingSentAndAudited()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await edge.FireRule.LatchAsync(DemoLayout.AlarmBuilding, "test");
        long sent = edge.Counters.CommandsSent;
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge, "mallory");

        using HttpResponseMessage response = await OperatorClient.PostJsonAsync(http, $"/devices/{DemoLayout.FirstFloorExit}/commands", """{"cmd":"lock","reason":"close up"}""");

        JsonElement problem = await OperatorClient.ProblemAsync(response, HttpStatusCode.Conflict);
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "fire alarm stands in building b1");
        Assert.AreEqual(sent, edge.Counters.CommandsSent, "nothing was sent");
        var log = edge.EventLog.ReadRecent(100, DemoLayout.FirstFloorExit);
        Assert.IsTrue(log.Any(e => e.Name == "command-refused" && e.Payload.Contains("mallory")), "the gate's refusal names the operator");
        StoredEvent audit = log.Single(e => e.Channel == OperatorAudit.Channel);
        StringAssert.Contains(audit.Payload, "\"refused\":\"a fire alarm stands");
        Assert.AreEqual((int)EventLane.Priority, LaneOf(edge, audit));
    }

    [TestMethod]
    [DataRow("""{"cmd":"fly"}""", "unknown command")]
    [DataRow("""{"ms":5000}""", "unknown command")]
    [DataRow("""{"cmd":"unlock","ms":0}""", "bad ms")]
    [DataRow("""{"cmd":"unlock","ms":600001}""", "bad ms")]
    [DataRow("""{"cmd":"unlock","ms":"5s"}""", "bad ms")]
    [DataRow("""{"cmd":"unlock","ms":1.5}""", "bad ms")]
    [DataRow("""{"cmd":"release","ms":100}""", "bad ms")]
    [DataRow("""{"cmd":"unlock","duration":5000}""", "unknown field")]
    [DataRow("""{"cmd":"release","reason":42}""", "bad reason")]
    [DataRow("""["release"]""", "JSON object expected")]
    [DataRow("""{"cmd":""", "malformed JSON")]
    public async Task PostCommand_BadBody_400ProblemSayingWhatIsWrong(string body, string title)
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        using HttpResponseMessage response = await OperatorClient.PostJsonAsync(http, $"/devices/{DemoLayout.LobbyEntrance}/commands", body);

        JsonElement problem = await OperatorClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.AreEqual(title, problem.GetProperty("title").GetString());
        Assert.AreEqual(0L, edge.Counters.CommandsSent);
    }

    [TestMethod]
    [DataRow(DemoLayout.StairDoor, """{"cmd":"unlock"}""", "egress-lock")]
    [DataRow(DemoLayout.LobbySmoke, """{"cmd":"release"}""", "self-test")]
    public async Task PostCommand_NotInTheDevicesCommandTable_400(string device, string body, string hint)
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        using HttpResponseMessage response = await OperatorClient.PostJsonAsync(http, $"/devices/{device}/commands", body);

        JsonElement problem = await OperatorClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        StringAssert.Contains(problem.GetProperty("detail").GetString(), hint);
    }

    [TestMethod]
    public async Task PostCommand_PlainTextBody_400AskingForJson()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        using HttpResponseMessage response = await http.PostAsync($"/devices/{DemoLayout.LobbyEntrance}/commands", new StringContent("unlock", Encoding.UTF8, "text/plain"));

        JsonElement problem = await OperatorClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "application/json");
    }

    [TestMethod]
    public async Task CommandRoutes_UnknownDeviceOrCommand_404Problem()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        using HttpResponseMessage post = await OperatorClient.PostJsonAsync(http, "/devices/ghost/commands", """{"cmd":"release"}""");
        using HttpResponseMessage list = await http.GetAsync("/commands?device=ghost");
        using HttpResponseMessage one = await http.GetAsync("/commands/6000-1");
        using HttpResponseMessage twin = await http.GetAsync("/devices/ghost");

        await OperatorClient.ProblemAsync(post, HttpStatusCode.NotFound);
        await OperatorClient.ProblemAsync(list, HttpStatusCode.NotFound);
        await OperatorClient.ProblemAsync(one, HttpStatusCode.NotFound);
        JsonElement problem = await OperatorClient.ProblemAsync(twin, HttpStatusCode.NotFound);
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "ghost");
    }

    [TestMethod]
    [DataRow("/commands?limit=0")]
    [DataRow("/commands?limit=lots")]
    [DataRow("/events?limit=-1")]
    [DataRow("/events?limit=10001")]
    public async Task Get_BadLimit_400Problem(string path)
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        using HttpResponseMessage response = await http.GetAsync(path);

        JsonElement problem = await OperatorClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "limit");
    }

    private static Task WaitForStateAsync(HttpClient http, string location, string state) =>
        Eventually.WaitUntilAsync(
            () => http.GetFromJsonSync(location).GetProperty("state").GetString() == state,
            $"{location} reaches {state}");

    private static int LaneOf(EdgeHost edge, StoredEvent stored)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={edge.EventLog.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT lane FROM events WHERE id = $id";
        command.Parameters.AddWithValue("$id", stored.Id);
        return System.Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

internal static class HttpClientSyncExtensions
{
    /// <summary>For <see cref="Eventually"/>'s synchronous condition.</summary>
    public static JsonElement GetFromJsonSync(this HttpClient http, string path)
    {
        string text = http.GetStringAsync(path).GetAwaiter().GetResult();
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
