namespace SmartCommunity.Edge.Tests.Integration;

using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>The operator's HTTP API over a real socket, on an edge with no devices connected; requests carry an operator's token.</summary>
[TestClass]
public sealed class EdgeApiTests
{
    [TestMethod]
    public async Task GetHealth_StartedEdge_OkWithBrokerPortAndLogPath()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = EdgeRig.Http(edge);

        using HttpResponseMessage response = await http.GetAsync("/health");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual("ok", body.GetProperty("status").GetString());
        Assert.AreEqual(edge.MqttPort, body.GetProperty("mqtt").GetProperty("port").GetInt32());
        Assert.AreEqual(edge.EventLog.Path, body.GetProperty("eventLog").GetProperty("path").GetString());
    }

    [TestMethod]
    public async Task GetDevices_DemoLayout_EveryDeviceSortedById()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        JsonElement devices = await http.GetFromJsonAsync<JsonElement>("/devices");

        string[] ids = devices.EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToArray();
        CollectionAssert.AreEqual(edge.Layout.Devices.Select(d => d.Id).Order(System.StringComparer.Ordinal).ToArray(), ids);
        Assert.IsTrue(devices.EnumerateArray().All(d => !d.GetProperty("online").GetBoolean()), "nothing has connected yet");
    }

    [TestMethod]
    public async Task GetDevice_NotInLayout_NotFound()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        using HttpResponseMessage known = await http.GetAsync("/devices/b1-stair-door");
        using HttpResponseMessage unknown = await http.GetAsync("/devices/ghost");

        Assert.AreEqual(HttpStatusCode.OK, known.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [TestMethod]
    [DataRow("/buildings/b1/fire/reset")]
    [DataRow("/buildings/b1/fire/reset?operator=")]
    [DataRow("/buildings/b1/fire/reset?operator=%20%20")]
    [DataRow("/buildings/b1/fire/reset?operator=alice")]
    public async Task PostReset_NoToken_UnauthorizedWhateverNameTheQueryClaims(string path)
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await edge.FireRule.LatchAsync("b1", "test");
        await edge.Operators.IssueAsync("alice");
        using HttpClient http = EdgeRig.Http(edge);

        using HttpResponseMessage response = await http.PostAsync(path, null);

        JsonElement problem = await OperatorClient.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("operator", problem.GetProperty("detail").GetString()!);
        Assert.IsTrue(edge.FireRule.IsLatched("b1"), "an anonymous reset changes nothing");
    }

    [TestMethod]
    public async Task PostReset_UnknownBuilding_NotFound()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge, "alice");

        using HttpResponseMessage response = await http.PostAsync("/buildings/b9/fire/reset", null);

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
    }

    [TestMethod]
    public async Task PostReset_NoAlarmStanding_Conflict()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge, "alice");

        using HttpResponseMessage response = await http.PostAsync("/buildings/b2/fire/reset", null);

        Assert.AreEqual(HttpStatusCode.Conflict, response.StatusCode);
        Assert.IsFalse(edge.EventLog.ReadRecent(100, "edge").Any(e => e.Name == "fire-reset" && e.Channel != OperatorAudit.Channel), "nothing to reset, nothing reset");
        Assert.IsTrue(edge.EventLog.ReadRecent(100, "edge").Any(e => e.Name == "fire-reset" && e.Channel == OperatorAudit.Channel), "the attempt is audited");
    }

    [TestMethod]
    public async Task GetEvents_SourceFilter_OnlyThatSourceNewestFirst()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge, "alice");
        await edge.FireRule.LatchAsync("b1", "test");
        await edge.FireRule.ResetAsync("b1", "alice");

        JsonElement events = await http.GetFromJsonAsync<JsonElement>("/events?source=edge&limit=10");

        CollectionAssert.AreEqual(
            new[] { "cleared", "fire-reset", "raised", "fire-latched", "operator-added" },
            events.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToArray());
    }
}
