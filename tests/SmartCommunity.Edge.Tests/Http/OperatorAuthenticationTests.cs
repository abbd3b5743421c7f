namespace SmartCommunity.Edge.Tests.Http;

using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>Bearer tokens per operator over a real socket: every route but the probes and /metrics needs one.</summary>
[TestClass]
public sealed class OperatorAuthenticationTests
{
    [TestMethod]
    public async Task Get_NoAuthorizationHeader_401ProblemWithBearerChallenge()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = EdgeRig.Http(edge);

        using HttpResponseMessage response = await http.GetAsync("/devices");

        JsonElement problem = await OperatorClient.ProblemAsync(response, HttpStatusCode.Unauthorized);
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "sc-edge operator add");
        Assert.AreEqual("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [TestMethod]
    [DataRow("Bearer sce_not-a-token-anyone-was-given")]
    [DataRow("Bearer ")]
    [DataRow("Basic YWxpY2U6c2VjcmV0")]
    [DataRow("sce_token-without-scheme")]
    public async Task Get_UnknownOrMalformedCredentials_401Problem(string authorization)
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await edge.Operators.IssueAsync("alice");
        using HttpClient http = EdgeRig.Http(edge);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/devices");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using HttpResponseMessage response = await http.SendAsync(request);

        await OperatorClient.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [TestMethod]
    public async Task Get_TokenRevokedAfterUse_WorksThen401()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge, "alice");
        using HttpResponseMessage before = await http.GetAsync("/devices");

        Assert.IsTrue(await edge.Operators.RevokeAsync("alice", "test"));
        using HttpResponseMessage after = await http.GetAsync("/devices");

        Assert.AreEqual(HttpStatusCode.OK, before.StatusCode);
        JsonElement problem = await OperatorClient.ProblemAsync(after, HttpStatusCode.Unauthorized);
        StringAssert.Contains(problem.GetProperty("title").GetString(), "revoked");
    }

    [TestMethod]
    [DataRow("/health")]
    [DataRow("/health/live")]
    [DataRow("/health/ready")]
    [DataRow("/metrics")]
    public async Task Get_OpenRouteWithoutToken_Answers(string path)
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = EdgeRig.Http(edge);

        using HttpResponseMessage response = await http.GetAsync(path);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task Get_UnknownRoute_401WithoutTokenAnd404ProblemWithOne()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient anonymous = EdgeRig.Http(edge);
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);

        using HttpResponseMessage hidden = await anonymous.GetAsync("/no/such/route");
        using HttpResponseMessage missing = await alice.GetAsync("/no/such/route");

        await OperatorClient.ProblemAsync(hidden, HttpStatusCode.Unauthorized);
        JsonElement problem = await OperatorClient.ProblemAsync(missing, HttpStatusCode.NotFound);
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "/no/such/route");
    }

    [TestMethod]
    public async Task Get_TwoOperators_EachTokenIsItsOwnersName()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await edge.FireRule.LatchAsync("b1", "test");
        await edge.FireRule.LatchAsync("b2", "test");
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge, "alice");
        using HttpClient bob = await OperatorClient.AsOperatorAsync(edge, "bob");

        using HttpResponseMessage byAlice = await alice.PostAsync("/buildings/b1/fire/reset", null);
        using HttpResponseMessage byBob = await bob.PostAsync("/buildings/b2/fire/reset", null);

        Assert.AreEqual("alice", (await OperatorClient.JsonAsync(byAlice, HttpStatusCode.OK)).GetProperty("by").GetString());
        Assert.AreEqual("bob", (await OperatorClient.JsonAsync(byBob, HttpStatusCode.OK)).GetProperty("by").GetString());
    }

    [TestMethod]
    public async Task Get_OperatorAddedWhileEdgeRuns_AuditedInTheEventLogWithWhoAddedIt()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);

        await edge.Operators.IssueAsync("carol", "cli:installer");
        await edge.Operators.RevokeAsync("carol", "cli:installer");

        var audit = edge.EventLog.ReadRecent(100, "edge").Where(e => e.Channel == "operator").ToList();
        CollectionAssert.AreEqual(new[] { "operator-revoked", "operator-added" }, audit.Select(e => e.Name).ToArray());
        Assert.IsTrue(audit.All(e => e.Payload.Contains("\"by\":\"cli:installer\"") && e.Payload.Contains("carol")), audit[0].Payload);
    }
}
