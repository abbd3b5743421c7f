namespace SmartCommunity.Edge.Tests.Http;

using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Tests.TestSupport;

[TestClass]
public sealed class HealthEndpointsTests
{
    [TestMethod]
    public async Task GetReady_StartedEdge_ReadyWithEachCheck()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = EdgeRig.Http(edge);

        JsonElement body = await OperatorClient.JsonAsync(await http.GetAsync("/health/ready"), HttpStatusCode.OK);

        Assert.AreEqual("ready", body.GetProperty("status").GetString());
        CollectionAssert.AreEquivalent(new[] { "mqtt", "event-log", "lifecycle" }, body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToArray());
    }

    [TestMethod]
    public async Task GetReady_Stopping_503ProblemSayingWhyButLiveStillAnswers()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = EdgeRig.Http(edge);

        edge.Api.Health.MarkStopping();
        using HttpResponseMessage ready = await http.GetAsync("/health/ready");
        using HttpResponseMessage live = await http.GetAsync("/health/live");
        JsonElement health = await OperatorClient.JsonAsync(await http.GetAsync("/health"), HttpStatusCode.OK);

        JsonElement problem = await OperatorClient.ProblemAsync(ready, HttpStatusCode.ServiceUnavailable);
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "shutting down");
        Assert.AreEqual(HttpStatusCode.OK, live.StatusCode);
        Assert.AreEqual("stopping", health.GetProperty("status").GetString());
    }
}
