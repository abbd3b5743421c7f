namespace SmartCommunity.Edge.Tests.Safety;

using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using MQTTnet.Protocol;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>
/// The reset policy as an operator meets it: the real edge (embedded broker on loopback, SQLite file, HTTP), devices
/// as raw MQTT clients under their own ids, operators and admins with their own tokens.
/// </summary>
[TestClass]
public sealed class FireResetApiTests
{
    [TestMethod]
    public async Task PostReset_DetectorStillInAlarm_409NamingItAndTheAttemptAudited()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await StartAsync(data);
        await using var lobby = await DeviceAsync(edge, FireRig.LobbyA);
        await lobby.EventAsync("alarm");
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge, "alice");

        JsonElement problem = await OperatorClient.ProblemAsync(await alice.PostAsync("/buildings/b1/fire/reset", null), HttpStatusCode.Conflict);

        Assert.AreEqual("devices-in-alarm", problem.GetProperty("reason").GetString());
        JsonElement device = problem.GetProperty("devices").EnumerateArray().Single();
        Assert.AreEqual((FireRig.LobbyA, "alarm", true), (device.GetProperty("device").GetString(), device.GetProperty("state").GetString(), device.GetProperty("online").GetBoolean()));
        StringAssert.Contains(problem.GetProperty("detail").GetString(), FireRig.LobbyA);
        Assert.IsTrue(edge.FireRule.IsLatched("b1"));
        StoredEvent audit = edge.EventLog.ReadRecent(100, "edge").First(e => e.Channel == OperatorAudit.Channel && e.Name == "fire-reset");
        StringAssert.Contains(audit.Payload, "DevicesInAlarm");
        StringAssert.Contains(audit.Payload, "\"by\":\"alice\"");
    }

    [TestMethod]
    public async Task PostReset_ForceAskedByAnOperatorWhoIsNoAdmin_403AndLatchKept()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await StartAsync(data);
        await using var lobby = await DeviceAsync(edge, FireRig.LobbyA);
        await lobby.EventAsync("alarm");
        await lobby.OfflineAsync();
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge, "alice");

        JsonElement problem = await OperatorClient.ProblemAsync(await OperatorClient.PostJsonAsync(alice, "/buildings/b1/fire/reset", """{"force":true}"""), HttpStatusCode.Forbidden);

        Assert.AreEqual("admin-required", problem.GetProperty("reason").GetString());
        Assert.IsTrue(edge.FireRule.IsLatched("b1"));
        Assert.IsTrue(edge.EventLog.ReadRecent(100, "edge").Any(e => e.Channel == OperatorAudit.Channel && e.Name == "fire-reset" && e.Payload.Contains("Forbidden")));
    }

    [TestMethod]
    public async Task PostReset_AdminForcesPastAnOfflineDetector_200NamingItAndAuditedWithWhoAndWhich()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await StartAsync(data);
        await using var lobby = await DeviceAsync(edge, FireRig.LobbyA);
        await lobby.EventAsync("alarm");
        await lobby.OfflineAsync();
        using HttpClient root = OperatorClient.WithToken(edge, await edge.Operators.IssueAsync("root", "test", OperatorRoles.Admin));

        JsonElement plain = await OperatorClient.ProblemAsync(await root.PostAsync("/buildings/b1/fire/reset", null), HttpStatusCode.Conflict);
        JsonElement forced = await OperatorClient.JsonAsync(await OperatorClient.PostJsonAsync(root, "/buildings/b1/fire/reset", """{"force":true}"""), HttpStatusCode.OK);

        StringAssert.Contains(plain.GetProperty("detail").GetString(), "force", "the refusal says an admin may force past the offline detector");
        Assert.IsFalse(plain.GetProperty("devices").EnumerateArray().Single().GetProperty("online").GetBoolean());
        Assert.AreEqual(("clear", "root", true), (forced.GetProperty("fire").GetString(), forced.GetProperty("by").GetString(), forced.GetProperty("forced").GetBoolean()));
        Assert.AreEqual(FireRig.LobbyA, forced.GetProperty("overridden").EnumerateArray().Single().GetString());
        Assert.IsFalse(edge.FireRule.IsLatched("b1"));
        StoredEvent reset = edge.EventLog.ReadRecent(100, "edge").First(e => e.Channel == "rule" && e.Name == "fire-reset");
        StringAssert.Contains(reset.Payload, "\"by\":\"root\"");
        StringAssert.Contains(reset.Payload, FireRig.LobbyA);
        StoredEvent audit = edge.EventLog.ReadRecent(100, "edge").First(e => e.Channel == OperatorAudit.Channel && e.Name == "fire-reset");
        StringAssert.Contains(audit.Payload, "\"overridden\":[\"" + FireRig.LobbyA + "\"]");
    }

    [TestMethod]
    public async Task PostReset_AdminForcesButTheDetectorIsOnline_409AndLatchKept()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await StartAsync(data);
        await using var lobby = await DeviceAsync(edge, FireRig.LobbyA);
        await lobby.EventAsync("alarm");
        using HttpClient root = OperatorClient.WithToken(edge, await edge.Operators.IssueAsync("root", "test", OperatorRoles.Admin));

        JsonElement problem = await OperatorClient.ProblemAsync(await OperatorClient.PostJsonAsync(root, "/buildings/b1/fire/reset", """{"force":true}"""), HttpStatusCode.Conflict);

        StringAssert.Contains(problem.GetProperty("detail").GetString(), "never past one that is online");
        Assert.IsTrue(edge.FireRule.IsLatched("b1"));
    }

    [TestMethod]
    [DataRow("""{"force":"yes"}""", "bad force")]
    [DataRow("""{"forced":true}""", "unknown field")]
    [DataRow("""{"force":""", "malformed JSON")]
    public async Task PostReset_BadBody_400SayingWhat(string body, string title)
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await StartAsync(data);
        await edge.FireRule.LatchAsync("b1", "test");
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge, "alice");

        JsonElement problem = await OperatorClient.ProblemAsync(await OperatorClient.PostJsonAsync(alice, "/buildings/b1/fire/reset", body), HttpStatusCode.BadRequest);

        Assert.AreEqual(title, problem.GetProperty("title").GetString());
        Assert.IsTrue(edge.FireRule.IsLatched("b1"));
    }

    [TestMethod]
    public async Task GetAlarms_FireStanding_OneEntryWithItsDevicesAndTheRulesAlertsFoldedIn()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await StartAsync(data);
        await using var lobby = await DeviceAsync(edge, FireRig.LobbyA);
        await lobby.EventAsync("pre-alarm");
        await lobby.EventAsync("alarm");
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge, "alice");

        JsonElement fire = (await OperatorClient.GetJsonAsync(alice, "/alarms")).EnumerateArray().Single();
        await OperatorClient.JsonAsync(await alice.PostAsync("/alarms/fire-b1/ack", null), HttpStatusCode.OK);

        Assert.AreEqual(("fire-b1", "any-detector"), (fire.GetProperty("id").GetString(), fire.GetProperty("confirmation").GetString()));
        Assert.AreEqual(FireRig.LobbyA, fire.GetProperty("devicesInAlarm").EnumerateArray().Single().GetProperty("device").GetString());
        CollectionAssert.AreEquivalent(new[] { FireRule.ConfirmedAlert, FireRule.PreAlarmAlert },
            fire.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("rule").GetString()).ToArray());
        Assert.IsTrue(edge.Alerts.List().Where(a => a.Building == "b1").All(a => a.AcknowledgedBy == "alice"), "acknowledging the fire acknowledges its alerts");
    }

    private static async Task<EdgeHost> StartAsync(TempFolder data)
    {
        string layout = data.File("layout.yaml");
        await File.WriteAllTextAsync(layout, FireRig.LayoutYaml("any-detector", 30, false));
        return await EdgeHost.StartAsync(new EdgeOptions { LayoutPath = layout, DataDirectory = data.Path, MqttPort = 0, HttpPort = 0 }, NullLoggerFactory.Instance, TimeProvider.System);
    }

    private static async Task<RawDevice> DeviceAsync(EdgeHost edge, string id) => new(edge, id, await EdgeRig.ConnectRawAsync(edge, id));

    /// <summary>A device as a bare MQTT client: each publish returns once the edge has committed it (QoS 1 PUBACK).</summary>
    private sealed class RawDevice(EdgeHost edge, string id, IMqttClient client) : IAsyncDisposable
    {
        private long _seq;

        public Task EventAsync(string name) => PublishAsync(Channel.Event, $$"""{"v":1,"dev":"{{id}}","seq":{{++_seq}},"boot":1,"up":{{_seq * 1000}},"event":"{{name}}"}""");

        /// <summary>What its Last Will says when it drops off the network.</summary>
        public async Task OfflineAsync()
        {
            await PublishAsync(Channel.Status, $$"""{"v":1,"dev":"{{id}}","online":false}""");
            Assert.IsFalse(edge.Twins.Find(id)!.Online);
        }

        public async ValueTask DisposeAsync()
        {
            await client.DisconnectAsync();
            client.Dispose();
        }

        private async Task PublishAsync(string channel, string json)
        {
            MqttClientPublishResult result = await client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(Messages.TopicOf(edge.Layout.DevicesById[id], channel))
                .WithPayload(json)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
            Assert.IsTrue(result.IsSuccess, result.ReasonString);
        }
    }
}
