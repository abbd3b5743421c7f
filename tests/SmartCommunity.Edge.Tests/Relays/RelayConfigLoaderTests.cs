namespace SmartCommunity.Edge.Tests.Relays;

using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>The relays file: what it accepts, and a file:line:column reason for everything it does not.</summary>
[TestClass]
public sealed class RelayConfigLoaderTests
{
    private const string File = "relays.yaml";

    [TestMethod]
    public void Parse_BothKinds_SettingsAndDefaults()
    {
        RelayConfiguration config = RelayConfigLoader.Parse("""
            edge: riverside-edge-1
            relays:
              - name: cloud
                type: mqtt
                host: broker.example.net
                tls: true
                username: edge
                password: secret
                requireSubscriber: true
                batchSize: 200
                backoff: { initialMs: 250, maxMs: 10000 }
                deadLetterAfter: 7
                timeoutMs: 5000
              - name: analytics
                type: webhook
                url: https://backend.example.net/ingest
                token: abc
            """, File);

        Assert.AreEqual("riverside-edge-1", config.EdgeId);
        Assert.AreEqual(2, config.Relays.Count);
        RelayDefinition cloud = config.Relays[0];
        Assert.AreEqual(RelayKind.Mqtt, cloud.Kind);
        Assert.AreEqual(8883, cloud.Mqtt!.Port, "the TLS port by default when tls is on");
        Assert.AreEqual("sc-up/v1", cloud.Mqtt.TopicPrefix);
        Assert.AreEqual("sc-edge-riverside-edge-1-cloud", cloud.Mqtt.ClientId);
        Assert.AreEqual("5", cloud.Mqtt.Protocol);
        Assert.IsTrue(cloud.Mqtt.RequireSubscriber);
        Assert.AreEqual(200, cloud.Delivery.BatchSize);
        Assert.AreEqual(TimeSpan.FromMilliseconds(250), cloud.Delivery.BackoffInitial);
        Assert.AreEqual(TimeSpan.FromSeconds(10), cloud.Delivery.BackoffMax);
        Assert.AreEqual(TimeSpan.FromSeconds(5), cloud.Delivery.AttemptTimeout);
        Assert.AreEqual(7, cloud.Delivery.DeadLetterAfter);
        RelayDefinition analytics = config.Relays[1];
        Assert.AreEqual(new Uri("https://backend.example.net/ingest"), analytics.Webhook!.Url);
        Assert.AreEqual("abc", analytics.Webhook.Token);
        Assert.AreEqual(500, analytics.Delivery.BatchSize, "the default batch");
        Assert.AreEqual(5, analytics.Delivery.DeadLetterAfter);
    }

    [TestMethod]
    public void Parse_NoRelays_RelayingOff()
    {
        Assert.AreEqual(0, RelayConfigLoader.Parse("edge: e1\n", File).Relays.Count);
        Assert.AreEqual(0, RelayConfigLoader.Parse("edge: e1\nrelays:\n", File).Relays.Count);
    }

    [TestMethod]
    [DataRow("edge: e1\nrelays:\n  - name: a\n    type: mqtt\n    host: h\n    prot: 5\n", 6, 5, "unknown key 'prot'")]
    [DataRow("edge: e1\nrelays:\n  - name: a\n    type: webhook\n    url: http://h/x\n    host: h\n", 6, 5, "'host' is not a setting of a webhook relay")]
    [DataRow("edge: e1\nrelays:\n  - name: a\n    type: kafka\n", 4, 11, "unknown relay type 'kafka'")]
    [DataRow("edge: e1\nrelays:\n  - name: a\n    type: webhook\n", 3, 5, "'url' is missing")]
    [DataRow("edge: e1\nrelays:\n  - name: a\n    type: webhook\n    url: ftp://h/x\n", 5, 10, "must be an absolute http:// or https:// address")]
    [DataRow("edge: e1\nrelays:\n  - name: a\n    type: mqtt\n    host: h\n    port: 70000\n", 6, 11, "port 70000 is out of range")]
    [DataRow("edge: e1\nrelays:\n  - name: a\n    type: mqtt\n    host: h\n    batchSize: lots\n", 6, 16, "batchSize 'lots' must be a whole number")]
    [DataRow("edge: e1\nrelays:\n  - name: a\n    type: mqtt\n    host: h\n    topicPrefix: up/#\n", 6, 18, "topicPrefix 'up/#'")]
    [DataRow("edge: e1\nrelays:\n  - name: a\n    type: mqtt\n    host: h\n    backoff: { initialMs: 900, maxMs: 100 }\n", 6, 14, "maxMs (100) is below initialMs (900)")]
    [DataRow("edge: e1\nrelays:\n  - name: a\n    type: mqtt\n    host: h\n  - name: a\n    type: mqtt\n    host: h\n", 6, 11, "relay 'a' is declared twice")]
    [DataRow("edge: Edge One\nrelays: []\n", 1, 7, "edge id 'Edge One' must be 1-32 characters")]
    [DataRow("relays: []\n", 1, 1, "'edge' is missing")]
    [DataRow("edge: e1\nrelays:\n  - name: a\n    type: mqtt\n    host: h\n    tls: yes please\n", 6, 10, "tls 'yes please' must be true or false")]
    [DataRow("edge: e1\nrelays: [\n", 3, 1, "not valid YAML")]
    public void Parse_Mistake_FileLineColumnAndReason(string yaml, int line, int column, string reason)
    {
        var error = Assert.ThrowsExactly<RelayConfigException>(() => RelayConfigLoader.Parse(yaml, File));

        StringAssert.Contains(error.Reason, reason);
        Assert.AreEqual(File, error.File);
        Assert.AreEqual((long)line, error.Line, error.Message);
        Assert.AreEqual((long)column, error.Column, error.Message);
        StringAssert.StartsWith(error.Message, $"{File}:{line}:{column}: ");
    }

    [TestMethod]
    public void Load_MissingFile_SaysWhichAndHow()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "nope.yaml");

        var error = Assert.ThrowsExactly<RelayConfigException>(() => RelayConfigLoader.Load(path));

        StringAssert.Contains(error.Message, "--relays");
        Assert.AreEqual(path, error.File);
    }
}
