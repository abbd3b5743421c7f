namespace SmartCommunity.Edge.Tests.Parking;

using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>
/// Parking end to end on loopback: a real edge (embedded broker, SQLite, HTTP with operator tokens) over the parking
/// layout, an operator's HTTP client, and barriers as raw MQTT clients.
/// </summary>
[TestClass]
public sealed class ParkingEndpointsTests
{
    [TestMethod]
    public async Task Barriers_EntryPassageCorrectionAndFull_AnsweredOverMqttAndShownByTheApi()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data, ParkingRig.Yaml);
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);
        await using BarrierClient entry = await BarrierClient.ConnectAsync(edge, ParkingRig.Entry);
        await using BarrierClient exit = await BarrierClient.ConnectAsync(edge, ParkingRig.ExitLane);
        await OperatorClient.JsonAsync(await OperatorClient.PutJsonAsync(alice, "/access/cards/4001", """{"name":"Ann Lee","groups":["garage-lanes"]}"""), HttpStatusCode.Created);

        await entry.EntryRequestAsync("4001", req: 1);
        await Eventually.WaitUntilAsync(() => entry.Answer(1) is not null, "the entry barrier hears its answer");
        Assert.AreEqual((CommandNames.Open, "valid"), (entry.Answer(1)!.Value.GetProperty("cmd").GetString(), entry.Answer(1)!.Value.GetProperty("why").GetString()));
        await entry.PassageAsync("in");

        JsonElement garage = (await OperatorClient.GetJsonAsync(alice, "/parking")).GetProperty("carParks").EnumerateArray().Single();
        Assert.AreEqual(("garage", 1L, 3, false), (garage.GetProperty("carPark").GetString(), garage.GetProperty("occupied").GetInt64(), garage.GetProperty("capacity").GetInt32(), garage.GetProperty("full").GetBoolean()));
        Assert.AreEqual("p0:1/2 p1:0/2", Levels(garage));

        JsonElement corrected = await OperatorClient.JsonAsync(await OperatorClient.PostJsonAsync(alice, "/parking/garage/count", """{"levels":{"p0":2,"p1":1}}"""), HttpStatusCode.OK);
        Assert.AreEqual((3L, true, "alice"), (corrected.GetProperty("occupied").GetInt64(), corrected.GetProperty("full").GetBoolean(), corrected.GetProperty("correctedBy").GetString()));
        Assert.Contains("\"by\":\"alice\"", edge.EventLog.ReadRecent(100, "edge").Single(e => e.Name == "parking-count-corrected").Payload);

        await entry.EntryRequestAsync("4001", req: 2);
        await exit.EntryRequestAsync("4001", req: 1);
        await Eventually.WaitUntilAsync(() => entry.Answer(2) is not null && exit.Answer(1) is not null, "both barriers hear their answers");
        Assert.AreEqual((CommandNames.Deny, "car-park-full"), (entry.Answer(2)!.Value.GetProperty("cmd").GetString(), entry.Answer(2)!.Value.GetProperty("why").GetString()));
        Assert.AreEqual((CommandNames.Open, "exit"), (exit.Answer(1)!.Value.GetProperty("cmd").GetString(), exit.Answer(1)!.Value.GetProperty("why").GetString()));
        JsonElement decisions = await OperatorClient.GetJsonAsync(alice, "/parking/decisions?barrier=b1-garage-entry");
        Assert.AreEqual("deny:car-park-full open:valid", string.Join(" ", decisions.EnumerateArray().Select(d => $"{d.GetProperty("decision").GetString()}:{d.GetProperty("why").GetString()}")));
    }

    [TestMethod]
    public async Task Passes_CreateListGetRevoke_EachChangeAuditedWithWho()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data, ParkingRig.Yaml);
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);

        HttpResponseMessage created = await OperatorClient.PostJsonAsync(alice, "/parking/passes",
            """{"code":"0555","carPark":"garage","name":"J. Visitor","plate":"AB-123-C","validFrom":"2026-05-01T08:00:00Z","validTo":"2026-05-01T20:00:00+02:00"}""");
        JsonElement pass = await OperatorClient.JsonAsync(created, HttpStatusCode.Created);
        Assert.AreEqual(("/parking/passes/555", "555", "alice"), (created.Headers.Location?.OriginalString, pass.GetProperty("code").GetString(), pass.GetProperty("createdBy").GetString()));
        Assert.AreEqual(new DateTimeOffset(2026, 5, 1, 18, 0, 0, TimeSpan.Zero), pass.GetProperty("validTo").GetDateTimeOffset());
        Assert.AreEqual("555", (await OperatorClient.GetJsonAsync(alice, "/parking/passes")).EnumerateArray().Single().GetProperty("code").GetString());

        JsonElement revoked = await OperatorClient.JsonAsync(await alice.DeleteAsync("/parking/passes/555"), HttpStatusCode.OK);
        Assert.AreEqual("alice", revoked.GetProperty("revokedBy").GetString());
        Assert.AreEqual("alice", (await OperatorClient.GetJsonAsync(alice, "/parking/passes/555")).GetProperty("revokedBy").GetString());
        await OperatorClient.ProblemAsync(await alice.DeleteAsync("/parking/passes/556"), HttpStatusCode.NotFound);
        CollectionAssert.AreEqual(new[] { "parking-pass-created", "parking-pass-revoked" },
            edge.EventLog.ReadRecent(100, "edge").Where(e => e.Name!.StartsWith("parking-pass", StringComparison.Ordinal) && e.Payload.Contains("\"by\":\"alice\"", StringComparison.Ordinal))
                .OrderBy(e => e.Id).Select(e => e.Name).ToArray());
    }

    [TestMethod]
    [DataRow("""{"carPark":"garage","name":"A"}""", "validTo is required")]
    [DataRow("""{"carPark":"lot","name":"A","validTo":"2026-05-01T20:00:00Z"}""", "carPark 'lot' is not a car park")]
    [DataRow("""{"carPark":"garage","validTo":"2026-05-01T20:00:00Z"}""", "give the visitor's name or the vehicle's plate")]
    [DataRow("""{"carPark":"garage","name":"A","validTo":"tomorrow"}""", "ISO 8601 time with its offset")]
    [DataRow("""{"carPark":"garage","name":"A","code":"12ab","validTo":"2026-05-01T20:00:00Z"}""", "must be 1-20 decimal digits")]
    [DataRow("""{"carPark":"garage","name":"A","colour":"red"}""", "send JSON like")]
    public async Task CreatePass_BadInput_ProblemSayingWhatToFixAndNothingStored(string body, string detail)
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data, ParkingRig.Yaml);
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);

        JsonElement problem = await OperatorClient.ProblemAsync(await OperatorClient.PostJsonAsync(alice, "/parking/passes", body), HttpStatusCode.BadRequest);

        Assert.Contains(detail, problem.GetProperty("detail").GetString()!);
        Assert.IsEmpty(edge.Parking.Passes);
    }

    [TestMethod]
    public async Task Reservations_SetListClear_AndProblemsForWhatCannotBe()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data, ParkingRig.Yaml);
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);
        await OperatorClient.JsonAsync(await OperatorClient.PutJsonAsync(alice, "/access/cards/4001", """{"name":"Ann Lee","groups":["garage-lanes"]}"""), HttpStatusCode.Created);

        JsonElement reserved = await OperatorClient.JsonAsync(await OperatorClient.PutJsonAsync(alice, "/parking/garage/reservations/4001", ""), HttpStatusCode.OK);
        Assert.AreEqual(("4001", "garage", "alice"), (reserved.GetProperty("card").GetString(), reserved.GetProperty("carPark").GetString(), reserved.GetProperty("by").GetString()));
        Assert.AreEqual(1, (await OperatorClient.GetJsonAsync(alice, "/parking/reservations")).GetArrayLength());
        Assert.AreEqual(HttpStatusCode.NoContent, (await alice.DeleteAsync("/parking/garage/reservations/4001")).StatusCode);
        await OperatorClient.ProblemAsync(await alice.DeleteAsync("/parking/garage/reservations/4001"), HttpStatusCode.NotFound);

        JsonElement unknownCard = await OperatorClient.ProblemAsync(await OperatorClient.PutJsonAsync(alice, "/parking/garage/reservations/999", ""), HttpStatusCode.BadRequest);
        Assert.Contains("neither a resident's card", unknownCard.GetProperty("detail").GetString()!);
        await OperatorClient.ProblemAsync(await OperatorClient.PutJsonAsync(alice, "/parking/lot/reservations/4001", ""), HttpStatusCode.NotFound);
        Assert.IsEmpty(edge.Parking.Reservations);
    }

    [TestMethod]
    public async Task Count_BadInputUnknownCarParkOrNoToken_Problems()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data, ParkingRig.Yaml);
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);
        using HttpClient anonymous = EdgeRig.Http(edge);

        JsonElement badLevel = await OperatorClient.ProblemAsync(await OperatorClient.PostJsonAsync(alice, "/parking/garage/count", """{"levels":{"p3":1}}"""), HttpStatusCode.BadRequest);
        Assert.Contains("has no level 'p3'", badLevel.GetProperty("detail").GetString()!);
        JsonElement empty = await OperatorClient.ProblemAsync(await OperatorClient.PostJsonAsync(alice, "/parking/garage/count", "{}"), HttpStatusCode.BadRequest);
        Assert.Contains("give the counted vehicles per level", empty.GetProperty("detail").GetString()!);
        await OperatorClient.ProblemAsync(await OperatorClient.PostJsonAsync(alice, "/parking/lot/count", """{"levels":{"p0":1}}"""), HttpStatusCode.NotFound);
        await OperatorClient.ProblemAsync(await OperatorClient.PostJsonAsync(anonymous, "/parking/garage/count", """{"levels":{"p0":1}}"""), HttpStatusCode.Unauthorized);
        Assert.AreEqual(0L, edge.Parking.Occupancy("garage")!.Occupied);
    }

    private static string Levels(JsonElement carPark) =>
        string.Join(" ", carPark.GetProperty("levels").EnumerateArray().Select(l => $"{l.GetProperty("level").GetString()}:{l.GetProperty("occupied").GetInt64()}/{l.GetProperty("capacity").GetInt32()}"));

    /// <summary>A barrier as the edge sees it on the wire: a raw MQTT client under the barrier's id that acknowledges every command.</summary>
    private sealed class BarrierClient : DeviceClient
    {
        private BarrierClient(IMqttClient client, string id)
            : base(client, id, DeviceKinds.Barrier, "barrier")
        {
        }

        public static Task<BarrierClient> ConnectAsync(EdgeHost edge, string id) => ConnectAsync(edge, id, client => new BarrierClient(client, id));

        public Task EntryRequestAsync(string card, long req) =>
            PublishAsync("event", $"\"event\":\"entry-request\",\"card\":\"{card}\",\"bits\":26,\"reader\":\"wiegand\",\"req\":{req},\"barrier\":\"closed\",\"evacuating\":false");

        public Task PassageAsync(string direction) =>
            PublishAsync("event", $"\"event\":\"passage\",\"direction\":\"{direction}\",\"barrier\":\"open\",\"evacuating\":false");

        public JsonElement? Answer(long req) =>
            Commands.Where(c => c.GetProperty("cmd").GetString() is CommandNames.Open or CommandNames.Deny && c.TryGetProperty("req", out JsonElement r) && r.GetInt64() == req)
                .Select(c => (JsonElement?)c).FirstOrDefault();
    }
}
