namespace SmartCommunity.Edge.Tests.Calls;

using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Calls;
using SmartCommunity.Edge.Relays;

/// <summary>The relays file's optional calls section, and the escalation schedule it makes.</summary>
[TestClass]
public sealed class CallConfigurationTests
{
    private const string File = "relays.yaml";

    private const string TwoRelays = """
        edge: e1
        relays:
          - name: care
            type: mqtt
            host: care.example.net
          - name: backup
            type: webhook
            url: https://backup.example.net/calls
          - name: analytics
            type: mqtt
            host: analytics.example.net

        """;

    [TestMethod]
    public void Parse_CallsSection_ChainTimesAndCallbackBase()
    {
        RelayConfiguration config = RelayConfigLoader.Parse(TwoRelays + """
            calls:
              chain: [care, backup]
              ackTimeoutS: 30
              operatorAfterS: 90
              sounderAfterS: 150
              callbackUrl: https://riverside-edge.example.net
            """, File);

        CallDispatchOptions calls = config.Calls;
        CollectionAssert.AreEqual(new[] { "care", "backup" }, calls.Chain.ToArray());
        Assert.AreEqual((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(150)), (calls.AckTimeout, calls.OperatorAfter, calls.SounderAfter));
        Assert.AreEqual(new Uri("https://riverside-edge.example.net"), calls.CallbackBase);
        Assert.AreSame(config.CallAcks, config.Relays.Single(r => r.Name == "care").Mqtt!.CallAcks, "an MQTT relay of the chain listens for acknowledgements");
        Assert.IsNull(config.Relays.Single(r => r.Name == "analytics").Mqtt!.CallAcks, "one outside the chain does not");
    }

    [TestMethod]
    public void Parse_NoCallsSection_DefaultsAndNoChain()
    {
        CallDispatchOptions calls = RelayConfigLoader.Parse(TwoRelays, File).Calls;

        Assert.IsEmpty(calls.Chain);
        Assert.AreEqual((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(180)), (calls.AckTimeout, calls.OperatorAfter, calls.SounderAfter));
    }

    [TestMethod]
    [DataRow("calls:\n  chain: [care, nowhere]\n", 13, 17, "the calls chain names relay 'nowhere', which is not declared under relays; declared: care, backup, analytics")]
    [DataRow("calls:\n  chain: [care, care]\n", 13, 17, "names relay 'care' twice")]
    [DataRow("calls:\n  ackTimeoutS: 0\n", 13, 16, "ackTimeoutS 0 is out of range; use 1-3600")]
    [DataRow("calls:\n  operatorAfterS: 200\n  sounderAfterS: 100\n", 14, 18, "sounderAfterS (100) is before operatorAfterS (200)")]
    [DataRow("calls:\n  callbackUrl: ftp://edge\n", 13, 16, "callbackUrl 'ftp://edge' must be an absolute http:// or https:// address")]
    [DataRow("calls:\n  chain: care\n", 13, 10, "calls chain must be a list")]
    [DataRow("calls:\n  escalate: true\n", 13, 3, "unknown key 'escalate'")]
    public void Parse_CallsMistake_FileLineColumnAndReason(string calls, int line, int column, string reason)
    {
        var error = Assert.ThrowsExactly<RelayConfigException>(() => RelayConfigLoader.Parse(TwoRelays + calls, File));

        StringAssert.Contains(error.Reason, reason);
        Assert.AreEqual(((long)line, (long)column), (error.Line, error.Column), error.Message);
    }

    [TestMethod]
    public void Schedule_TwoRelays_RelaysThenOperatorThenSounder()
    {
        var options = new CallDispatchOptions { Chain = ["care", "backup"] };

        var steps = options.Schedule().Select(s => (s.After.TotalSeconds, s.Stage, s.Relay)).ToList();

        CollectionAssert.AreEqual(new[]
        {
            (0.0, EscalationStage.Dispatched, (string?)"care"),
            (60.0, EscalationStage.Escalated, "backup"),
            (120.0, EscalationStage.OperatorAlert, null),
            (180.0, EscalationStage.Sounder, null),
        }, steps);
    }

    [TestMethod]
    public void Validate_ChainNamesAnUnknownRelay_Throws()
    {
        var options = new CallDispatchOptions { Chain = ["care"] };

        var error = Assert.ThrowsExactly<ArgumentException>(() => options.Validate(["analytics"]));

        StringAssert.Contains(error.Message, "'care'");
    }
}
