namespace SmartCommunity.Edge.Tests.Access;

using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>
/// Access control end to end on loopback: a real edge (embedded broker, SQLite, HTTP with operator tokens) over the
/// access layout, an operator's HTTP client, and a door controller as a raw MQTT client.
/// </summary>
[TestClass]
public sealed class AccessEndpointsTests
{
    private const string CardPath = "/access/cards/4001";

    [TestMethod]
    public async Task Cards_PutGetListDelete_EachChangeAuditedWithWhoAndWhat()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data, AccessRig.Yaml);
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);

        HttpResponseMessage created = await OperatorClient.PutJsonAsync(alice, CardPath, """{"name":"Ann Lee","unit":"flat 12","doors":["b1-main"],"groups":["gym"],"validTo":"2026-01-31T00:00:00+01:00"}""");
        JsonElement card = await OperatorClient.JsonAsync(created, HttpStatusCode.Created);
        Assert.AreEqual("/access/cards/4001", created.Headers.Location?.OriginalString);
        Assert.AreEqual(("4001", "Ann Lee", "flat 12", "alice"), (card.GetProperty("card").GetString(), card.GetProperty("name").GetString(), card.GetProperty("unit").GetString(), card.GetProperty("updatedBy").GetString()));
        Assert.AreEqual(new DateTimeOffset(2026, 1, 30, 23, 0, 0, TimeSpan.Zero), card.GetProperty("validTo").GetDateTimeOffset());

        JsonElement changed = await OperatorClient.JsonAsync(await OperatorClient.PutJsonAsync(alice, "/access/cards/0004001", """{"name":"Ann Lee","doors":["b1-main"]}"""), HttpStatusCode.OK);
        Assert.AreEqual(0, changed.GetProperty("groups").GetArrayLength(), "a PUT replaces the card; leading zeros name the same card");
        Assert.AreEqual("Ann Lee", (await OperatorClient.GetJsonAsync(alice, CardPath)).GetProperty("card").GetProperty("name").GetString());
        Assert.AreEqual("4001", (await OperatorClient.GetJsonAsync(alice, "/access/cards")).EnumerateArray().Single().GetProperty("card").GetString());
        JsonElement door = await OperatorClient.GetJsonAsync(alice, "/access/doors/b1-main");
        Assert.AreEqual("4001:0:0", string.Join(";", door.GetProperty("entries").EnumerateArray().Select(e => $"{e.GetProperty("card").GetString()}:{e.GetProperty("from")}:{e.GetProperty("to")}")));

        Assert.AreEqual(HttpStatusCode.NoContent, (await alice.DeleteAsync(CardPath)).StatusCode);
        await OperatorClient.ProblemAsync(await alice.GetAsync(CardPath), HttpStatusCode.NotFound);
        await OperatorClient.ProblemAsync(await alice.DeleteAsync(CardPath), HttpStatusCode.NotFound);

        string[] audited = edge.EventLog.ReadRecent(1000, "edge").Where(e => e.Channel == "operator" && e.Name!.StartsWith("access-card-", StringComparison.Ordinal))
            .OrderBy(e => e.Id).Select(e => e.Name + (e.Payload.Contains("\"by\":\"alice\"", StringComparison.Ordinal) && e.Payload.Contains("4001", StringComparison.Ordinal) ? " by alice" : "")).ToArray();
        CollectionAssert.AreEqual(new[] { "access-card-added by alice", "access-card-changed by alice", "access-card-deleted by alice" }, audited);
        string changeRecord = edge.EventLog.ReadRecent(1000, "edge").Single(e => e.Name == "access-card-changed").Payload;
        Assert.Contains("\"before\"", changeRecord, "a change records what the card was");
    }

    [TestMethod]
    [DataRow("/access/cards/abc", """{"name":"A","doors":["b1-main"]}""", "not a card number")]
    [DataRow("/access/cards/123456789012345678901", """{"name":"A","doors":["b1-main"]}""", "not a card number")]
    [DataRow(CardPath, "not json", "send JSON like")]
    [DataRow(CardPath, """{"name":"A","doors":["b1-main"],"colour":"red"}""", "send JSON like")]
    [DataRow(CardPath, """{"doors":["b1-main"]}""", "name is required")]
    [DataRow(CardPath, """{"name":"A"}""", "the card opens nothing")]
    [DataRow(CardPath, """{"name":"A","doors":["b1-lift"]}""", "unknown door 'b1-lift'")]
    [DataRow(CardPath, """{"name":"A","groups":["spa"]}""", "unknown door group 'spa'; the layout's door groups are residents, garage, gym, pool")]
    [DataRow(CardPath, """{"name":"A","doors":["b1-main"],"validFrom":"2026-02-01T00:00:00Z","validTo":"2026-01-01T00:00:00Z"}""", "must be before validTo")]
    [DataRow(CardPath, """{"name":"A","doors":["b1-main"],"validTo":"2026-01-01T00:00:00"}""", "ISO 8601 time with its offset")]
    [DataRow(CardPath, """{"name":"A","doors":["b1-main"],"validTo":"next tuesday"}""", "ISO 8601 time with its offset")]
    [DataRow(CardPath, """{"name":"A","doors":["b1-main"],"validTo":"2107-01-01T00:00:00Z"}""", "the latest time a door can hold")]
    [DataRow(CardPath, """{"name":"A","doors":["b1-stair"]}""", "it has no lock for a card to open")]
    public async Task PutCard_BadInput_ProblemSayingWhatToFixAndNothingStored(string path, string body, string detail)
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data, AccessRig.Yaml);
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);

        JsonElement problem = await OperatorClient.ProblemAsync(await OperatorClient.PutJsonAsync(alice, path, body), HttpStatusCode.BadRequest);

        Assert.Contains(detail, problem.GetProperty("detail").GetString()!);
        Assert.IsEmpty(edge.Access.Cards);
    }

    [TestMethod]
    [DataRow("?card=12x", "card '12x' must be the card number")]
    [DataRow("?from=yesterday", "from 'yesterday' must be an ISO 8601 time")]
    [DataRow("?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from must be before to")]
    [DataRow("?limit=0", "limit must be a whole number")]
    public async Task Events_BadQuery_ProblemSayingWhatToFix(string query, string detail)
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data, AccessRig.Yaml);
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);

        JsonElement problem = await OperatorClient.ProblemAsync(await alice.GetAsync("/access/events" + query), HttpStatusCode.BadRequest);

        Assert.Contains(detail, problem.GetProperty("detail").GetString()!);
    }

    [TestMethod]
    public async Task AccessRoutes_WithoutAToken_Unauthorized()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data, AccessRig.Yaml);
        using HttpClient anonymous = EdgeRig.Http(edge);

        await OperatorClient.ProblemAsync(await anonymous.GetAsync("/access/cards"), HttpStatusCode.Unauthorized);
        await OperatorClient.ProblemAsync(await OperatorClient.PutJsonAsync(anonymous, CardPath, """{"name":"A","doors":["b1-main"]}"""), HttpStatusCode.Unauthorized);
        await OperatorClient.ProblemAsync(await anonymous.GetAsync("/access/events"), HttpStatusCode.Unauthorized);
    }

    [TestMethod]
    public async Task DoorOverMqtt_CardAdded_GetsItsListThenAnOnlineGrantAndTheTrailShowsBoth()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data, AccessRig.Yaml);
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);
        await using DoorClient door = await DoorClient.ConnectAsync(edge, "b1-main");
        await door.OnlineAsync();
        await door.StateAsync();

        await OperatorClient.JsonAsync(await OperatorClient.PutJsonAsync(alice, CardPath, """{"name":"Ann Lee","groups":["residents"]}"""), HttpStatusCode.Created);

        await Eventually.WaitUntilAsync(() => door.ListVersion == 1, "the door holds the edge's list v1");
        Assert.AreEqual("4001:0:0", door.Table.Text);
        await door.StateAsync();
        await Eventually.WaitUntilAsync(() => edge.Twins.Find("b1-main")!.Snapshot().ListVersion == 1, "the twin shows the door's version");
        JsonElement twin = await OperatorClient.GetJsonAsync(alice, "/devices/b1-main");
        Assert.AreEqual((1L, 1L), (twin.GetProperty("listVersion").GetInt64(), twin.GetProperty("listTarget").GetInt64()));
        JsonElement status = (await OperatorClient.GetJsonAsync(alice, "/access/doors")).EnumerateArray().Single(d => d.GetProperty("door").GetString() == "b1-main");
        Assert.AreEqual((1L, 1L, 1), (status.GetProperty("targetVersion").GetInt64(), status.GetProperty("reportedVersion").GetInt64(), status.GetProperty("entries").GetInt32()));

        await door.EventAsync("access-request", "\"card\":\"4001\",\"bits\":26,\"reader\":\"wiegand\",\"req\":1");
        await door.EventAsync("access-request", "\"card\":\"4002\",\"bits\":26,\"reader\":\"wiegand\",\"req\":2");

        await Eventually.WaitUntilAsync(() => door.Answer(1) is not null && door.Answer(2) is not null, "the door hears both answers");
        Assert.AreEqual(CommandNames.Grant, door.Answer(1)!.Value.GetProperty("cmd").GetString());
        Assert.AreEqual((CommandNames.Deny, "unknown-card"), (door.Answer(2)!.Value.GetProperty("cmd").GetString(), door.Answer(2)!.Value.GetProperty("reason").GetString()));
        JsonElement trail = await OperatorClient.GetJsonAsync(alice, "/access/events?door=b1-main&card=4001");
        JsonElement decision = trail.EnumerateArray().Single();
        Assert.AreEqual(("decision", "granted", "valid", 1L), (decision.GetProperty("event").GetString(), decision.GetProperty("decision").GetString(),
            decision.GetProperty("why").GetString(), decision.GetProperty("details").GetProperty("req").GetInt64()));
        Assert.IsTrue(decision.GetProperty("at").GetString()!.Contains('T', StringComparison.Ordinal), "times are ISO 8601");
        Assert.AreEqual(2, (await OperatorClient.GetJsonAsync(alice, "/access/events?door=b1-main")).GetArrayLength());
        JsonElement summary = await OperatorClient.GetJsonAsync(alice, "/access");
        Assert.AreEqual((1, 6), (summary.GetProperty("cards").GetInt32(), summary.GetProperty("doors").GetInt32()), "the hold-open door takes no cards");
        JsonElement groups = await OperatorClient.GetJsonAsync(alice, "/access/groups");
        Assert.AreEqual("b1-garage-in,b1-garage-out", string.Join(",", groups.EnumerateArray().Single(g => g.GetProperty("id").GetString() == "garage").GetProperty("doors").EnumerateArray().Select(d => d.GetString())));
    }
}
