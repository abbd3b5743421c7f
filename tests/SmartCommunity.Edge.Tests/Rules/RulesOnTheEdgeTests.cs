namespace SmartCommunity.Edge.Tests.Rules;

using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using MQTTnet.Protocol;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>The rules in the real edge: embedded broker on loopback, real SQLite file, real clock, real file watcher.</summary>
[TestClass]
public sealed class RulesOnTheEdgeTests
{
    private const string Topic = "sc/v1/riverside/b1/smoke/b1-lobby-smoke/event";

    [TestMethod]
    public async Task Publish_PreAlarm_AlertIsCommittedBeforeThePubackAndABadEditKeepsTheRuleRunning()
    {
        using var data = new TempFolder();
        string rules = data.File("rules.yaml");
        await File.WriteAllTextAsync(rules, RuleEngineTests.Rules("""
            - name: pre-alarm
              when: { event: { kind: smoke, event: pre-alarm } }
              then:
                - alert: { severity: critical, text: "smoke at {device}" }
                - relay: {}
            """));
        await using EdgeHost edge = await EdgeHost.StartAsync(
            new EdgeOptions
            {
                LayoutPath = DemoLayout.Path,
                DataDirectory = data.Path,
                MqttPort = 0,
                HttpPort = 0,
                RulesPath = rules,
                RuleEngine = new RuleEngineOptions { ReloadDebounce = TimeSpan.FromMilliseconds(50), ChangeCheckInterval = TimeSpan.FromSeconds(1) },
            },
            NullLoggerFactory.Instance,
            TimeProvider.System);
        using IMqttClient smoke = await EdgeRig.ConnectRawAsync(edge, DemoLayout.LobbySmoke);

        MqttClientPublishResult first = await PublishAsync(smoke, 1);

        Assert.IsTrue(first.IsSuccess, first.ReasonString);
        Alert alert = edge.Alerts.List().Single(a => a.Rule == "pre-alarm");
        Assert.AreEqual(("smoke at b1-lobby-smoke", AlertSeverity.Critical), (alert.Text, alert.Severity), "raised and stored before the PUBACK");
        Assert.IsTrue(edge.EventLog.ReadRecent(100, "edge").Any(e => e.Channel == RuleEngine.RecordChannel && e.Name == "relay"), "the relay record is committed before the PUBACK");

        await File.WriteAllTextAsync(rules, "schema: 1\nrules:\n  - name: pre-alarm\n    whenn: {}\n");
        await Eventually.WaitUntilAsync(() => edge.Rules.Status().LastLoadError is not null, "the edge notices the broken file");
        await PublishAsync(smoke, 2);

        RuleEngineStatus status = edge.Rules.Status();
        Assert.AreEqual((1, 4L), (status.RuleCount, status.LastLoadError!.Line));
        Assert.AreEqual(1, edge.Alerts.List().Single(a => a.Rule == "pre-alarm").Repeats, "the rule that ran before the bad edit still runs");
    }

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, int seq) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topic)
            .WithPayload($$"""{"v":1,"dev":"b1-lobby-smoke","seq":{{seq}},"boot":1,"up":{{seq * 100}},"event":"pre-alarm","state":"pre-alarm","level":650}""")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
}
