namespace SmartCommunity.Edge.Tests.Operations;

using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary><c>sc-edge operator add|list|revoke</c> as processes, against an edge that is running.</summary>
[TestClass]
public sealed class OperatorCliTests
{
    [TestMethod]
    public async Task OperatorVerbs_WhileTheEdgeRuns_TokenWorksUntilRevokedAndBothChangesAreAudited()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);

        (int added, string addOutput) = await ScEdgeCli.RunAsync("operator", "add", "alice", "--data", data.Path);
        string token = addOutput.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(OperatorStore.TokenPrefix, System.StringComparison.Ordinal));
        using HttpClient http = OperatorClient.WithToken(edge, token);
        using HttpResponseMessage before = await http.GetAsync("/devices");
        (int listed, string listOutput) = await ScEdgeCli.RunAsync("operator", "list", "--data", data.Path);
        (int revoked, string revokeOutput) = await ScEdgeCli.RunAsync("operator", "revoke", "alice", "--data", data.Path);
        using HttpResponseMessage after = await http.GetAsync("/devices");
        (int again, string againOutput) = await ScEdgeCli.RunAsync("operator", "revoke", "alice", "--data", data.Path);

        Assert.AreEqual(0, added, addOutput);
        Assert.AreEqual(HttpStatusCode.OK, before.StatusCode);
        Assert.AreEqual(0, listed, listOutput);
        StringAssert.Contains(listOutput, "alice");
        StringAssert.Contains(listOutput, "live");
        Assert.AreEqual(0, revoked, revokeOutput);
        await OperatorClient.ProblemAsync(after, HttpStatusCode.Unauthorized);
        Assert.AreEqual(1, again, againOutput);
        StringAssert.Contains(againOutput, "no live token");
        var audit = edge.EventLog.ReadRecent(100, "edge").Where(e => e.Channel == OperatorAudit.Channel).Select(e => e.Name).ToArray();
        CollectionAssert.AreEqual(new[] { "operator-revoked", "operator-added" }, audit);
    }

    [TestMethod]
    public async Task OperatorAdd_FolderWithoutAnEdgeDatabase_Exit1SayingSo()
    {
        using var data = new TempFolder();

        (int exitCode, string output) = await ScEdgeCli.RunAsync("operator", "add", "alice", "--data", data.Path);

        Assert.AreEqual(1, exitCode, output);
        StringAssert.Contains(output, "no edge database");
    }

    [TestMethod]
    public async Task OperatorAdd_BadName_Exit1WithTheRule()
    {
        using var data = new TempFolder();
        await using (await EdgeRig.StartEdgeAsync(data))
        {
        }

        (int exitCode, string output) = await ScEdgeCli.RunAsync("operator", "add", "alice smith", "--data", data.Path);

        Assert.AreEqual(1, exitCode, output);
        StringAssert.Contains(output, "letters, digits");
    }
}
