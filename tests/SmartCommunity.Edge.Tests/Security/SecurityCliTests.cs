namespace SmartCommunity.Edge.Tests.Security;

using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.Operations;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary><c>sc-edge ca export</c> and <c>sc-edge operator add --role</c> as processes.</summary>
[TestClass]
public sealed class SecurityCliTests
{
    [TestMethod]
    public async Task CaExport_AfterFirstStart_WritesTheBuildingCaCertificateOnly()
    {
        using var data = new TempFolder();
        await using (await SecureEdge.StartAsync(data))
        {
        }

        string pemPath = data.File("exported.pem");
        (int exitCode, string output) = await ScEdgeCli.RunAsync("ca", "export", "--data", data.Path, "--out", pemPath);

        Assert.AreEqual(0, exitCode, output);
        string pem = await File.ReadAllTextAsync(pemPath);
        Assert.AreEqual(await File.ReadAllTextAsync(BuildingCertificates.CaPathIn(data.Path)), pem);
        Assert.DoesNotContain("PRIVATE KEY", pem);
    }

    [TestMethod]
    public async Task CaExport_FolderWithoutACa_Exit2SayingHowToGetOne()
    {
        using var data = new TempFolder();

        (int exitCode, string output) = await ScEdgeCli.RunAsync("ca", "export", "--data", data.Path);

        Assert.AreEqual(2, exitCode, output);
        StringAssert.Contains(output, "no building CA");
    }

    [TestMethod]
    public async Task OperatorAdd_ViewerRole_TokenReadsButMayNotCommand()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);

        (int added, string addOutput) = await ScEdgeCli.RunAsync("operator", "add", "vera", "--role", OperatorRoles.Viewer, "--data", data.Path);
        string token = addOutput.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(OperatorStore.TokenPrefix, System.StringComparison.Ordinal));
        using HttpClient http = OperatorClient.WithToken(edge, token);
        using HttpResponseMessage read = await http.GetAsync("/alarms");
        using HttpResponseMessage ack = await http.PostAsync("/alarms/fire-b1/ack", null);

        Assert.AreEqual(0, added, addOutput);
        Assert.AreEqual(HttpStatusCode.OK, read.StatusCode);
        await OperatorClient.ProblemAsync(ack, HttpStatusCode.Forbidden);
    }
}
