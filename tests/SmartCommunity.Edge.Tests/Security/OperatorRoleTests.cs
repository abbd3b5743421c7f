namespace SmartCommunity.Edge.Tests.Security;

using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Http;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>What each operator role may do over the real HTTP API (hardware-docs/security.md, "Operator roles").</summary>
[TestClass]
public sealed class OperatorRoleTests
{
    [TestMethod]
    public async Task Viewer_ReadsButEveryChangeIsForbidden()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient viewer = await OperatorClient.AsRoleAsync(edge, OperatorRoles.Viewer);

        using HttpResponseMessage devices = await viewer.GetAsync("/devices");
        using HttpResponseMessage command = await OperatorClient.PostJsonAsync(viewer, $"/devices/{DemoLayout.LobbyEntrance}/commands", """{"cmd":"self-test"}""");
        using HttpResponseMessage reset = await OperatorClient.PostJsonAsync(viewer, "/buildings/b1/fire/reset", "{}");

        Assert.AreEqual(HttpStatusCode.OK, devices.StatusCode);
        JsonElement problem = await OperatorClient.ProblemAsync(command, HttpStatusCode.Forbidden);
        Assert.AreEqual("operator", problem.GetProperty("required").GetString());
        await OperatorClient.ProblemAsync(reset, HttpStatusCode.Forbidden);
        Assert.AreEqual(2L, edge.Api.Counters.UnauthorizedByReason["role"]);
        Assert.IsEmpty(EdgeRig.CommandsTo(edge, DemoLayout.LobbyEntrance, "self-test"));
        var refusals = edge.EventLog.ReadRecent(100, "edge").Where(e => e.Channel == OperatorAudit.Channel && e.Name == "forbidden").ToList();
        Assert.HasCount(2, refusals, "each refused attempt is in the audit trail");
        StringAssert.Contains(refusals[^1].Payload, "\"by\":\"viewer-user\"");
    }

    [TestMethod]
    public async Task Operator_CommandsButMayNotChangeTheRegistry()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient op = await OperatorClient.AsRoleAsync(edge, OperatorRoles.Operator);

        using HttpResponseMessage command = await OperatorClient.PostJsonAsync(op, $"/devices/{DemoLayout.LobbyEntrance}/commands", """{"cmd":"self-test"}""");
        using HttpResponseMessage credentials = await op.PostAsync($"/registry/devices/{DemoLayout.LobbySmoke}/credentials", null);

        Assert.AreEqual(HttpStatusCode.Accepted, command.StatusCode, await command.Content.ReadAsStringAsync());
        JsonElement problem = await OperatorClient.ProblemAsync(credentials, HttpStatusCode.Forbidden);
        Assert.AreEqual("installer", problem.GetProperty("required").GetString());
        Assert.IsFalse(edge.Registry.Find(DemoLayout.LobbySmoke)!.HasCredentials);
    }

    [TestMethod]
    public async Task Installer_IssuesCredentialsButMayNotForceAFireReset()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient installer = await OperatorClient.AsRoleAsync(edge, OperatorRoles.Installer, "ivan");

        using HttpResponseMessage credentials = await installer.PostAsync($"/registry/devices/{DemoLayout.LobbySmoke}/credentials", null);
        using HttpResponseMessage force = await OperatorClient.PostJsonAsync(installer, "/buildings/b1/fire/reset", """{"force":true}""");

        JsonElement issued = await OperatorClient.JsonAsync(credentials, HttpStatusCode.OK);
        Assert.IsTrue(edge.Registry.VerifyPassword(DemoLayout.LobbySmoke, issued.GetProperty("mqttPassword").GetString()!));
        JsonElement problem = await OperatorClient.ProblemAsync(force, HttpStatusCode.Forbidden);
        Assert.AreEqual("admin-required", problem.GetProperty("reason").GetString());
        StoredEvent audit = edge.EventLog.ReadRecent(100, DemoLayout.LobbySmoke).Single(e => e.Name == "credentials-issued");
        StringAssert.Contains(audit.Payload, "\"by\":\"ivan\"");
    }

    [TestMethod]
    public async Task RoleTable_EveryChangingRouteIsMappedAndAudited()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);

        var changing = edge.Api.Routes().Where(r => !r.StartsWith("GET ", System.StringComparison.Ordinal) && !r.StartsWith("HEAD ", System.StringComparison.Ordinal)).ToList();

        Assert.IsNotEmpty(changing);
        CollectionAssert.AreEquivalent(OperatorPermissions.Changes.Keys.ToList(), changing,
            "every route that changes something has its least role in OperatorPermissions.Changes, and the table names no route that does not exist");
        Assert.AreEqual(OperatorRoles.Admin, OperatorPermissions.Required("POST", "/some/new/route"), "an unlisted changing route is admin-only until decided");
    }

    [TestMethod]
    public async Task ChangingRoutes_RepresentativeActions_EachAuditedWithWhoAndWhat()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient admin = await OperatorClient.AsRoleAsync(edge, OperatorRoles.Admin, "root");

        (string Method, string Path, string? Body)[] actions =
        [
            ("POST", $"/devices/{DemoLayout.LobbyEntrance}/commands", """{"cmd":"self-test"}"""),
            ("PUT", "/registry/devices/b2-side-door", """{"kind":"door","role":"egress-lock","building":"b2","floor":"ground","zone":"lobby"}"""),
            ("POST", $"/registry/devices/{DemoLayout.LobbySmoke}/credentials", null),
            ("PUT", "/access/cards/4001", """{"name":"Ada","doors":["b1-lobby-entrance"]}"""),
            ("DELETE", "/access/cards/4001", null),
            ("DELETE", "/registry/devices/b2-side-door", null),
        ];
        foreach ((string method, string path, string? body) in actions)
        {
            long before = OperatorRecords(edge);
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            using HttpResponseMessage response = await admin.SendAsync(request);

            Assert.IsTrue(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Eventually.WaitUntilAsync(() => OperatorRecords(edge) > before, $"{method} {path} is in the audit trail");
        }
    }

    // Audit records carry the operator's name as "by"; the access and registry trails use their own channels.
    private static long OperatorRecords(EdgeHost edge) =>
        edge.EventLog.ReadRecent(10_000).Count(e => e.Payload.Contains("\"by\":\"root\"", System.StringComparison.Ordinal));
}
