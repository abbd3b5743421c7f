namespace SmartCommunity.Edge.Tests.Rules;

using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Tests.TestSupport;

[TestClass]
public sealed class RuleEndpointsTests
{
    [TestMethod]
    public async Task GetRules_RunningEngine_StatusWithEachRuleAndTheLastLoadError()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.LockOnClose);
        await rig.EventAsync(DemoLayout.LobbySmoke, "alarm");
        await rig.EventAsync(DemoLayout.LobbyEntrance, "door-closed");
        rig.WriteRules("schema: 1\nrules:\n  - name: x\n    when: { event: { kind: smoke, event: alarm } }\n    then: [ { alert: { txt: x } } ]\n");
        await rig.Engine.CheckForChangesAsync();
        await using WebApplication app = await StartAsync(rig.Engine);
        using var http = new HttpClient { BaseAddress = new System.Uri(app.Urls.First()) };

        using JsonDocument status = JsonDocument.Parse(await http.GetStringAsync("/rules"));

        JsonElement root = status.RootElement;
        Assert.AreEqual((1, false), (root.GetProperty("ruleCount").GetInt32(), root.GetProperty("runningLastGood").GetBoolean()));
        StringAssert.StartsWith(root.GetProperty("lastLoadError").GetProperty("message").GetString(), rig.RulesPath + ":5:");
        JsonElement rule = root.GetProperty("rules").EnumerateArray().Single();
        Assert.AreEqual(("lock-on-close", "event", 1L, 1L), (rule.GetProperty("name").GetString(), rule.GetProperty("trigger").GetString(),
            rule.GetProperty("firings").GetInt64(), rule.GetProperty("commandsRefused").GetInt64()));
        Assert.AreEqual(DemoLayout.LobbyEntrance, rule.GetProperty("lastRefusal").GetProperty("device").GetString());
    }

    [TestMethod]
    public async Task GetRule_UnknownName_NotFoundProblem()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.LockOnClose);
        await using WebApplication app = await StartAsync(rig.Engine);
        using var http = new HttpClient { BaseAddress = new System.Uri(app.Urls.First()) };

        using HttpResponseMessage missing = await http.GetAsync("/rules/nope");
        using HttpResponseMessage found = await http.GetAsync("/rules/lock-on-close");

        Assert.AreEqual((HttpStatusCode.NotFound, "application/problem+json"), (missing.StatusCode, missing.Content.Headers.ContentType!.MediaType));
        Assert.AreEqual(HttpStatusCode.OK, found.StatusCode);
    }

    private static async Task<WebApplication> StartAsync(RuleEngine engine)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        app.MapRuleEndpoints(engine);
        await app.StartAsync();
        return app;
    }
}
