namespace SmartCommunity.Edge.Tests.Safety;

using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Protocol;

/// <summary>
/// What the edge may do to water valves, through the real command publisher and its gates: never close a sprinkler
/// feed, close nothing while a fire stands, reopen only for an operator; and the rules file is held to the same.
/// </summary>
[TestClass]
public sealed class ValveGateTests
{
    /// <summary>The rules.md example: water on a floor closes that floor's riser valve and tells someone.</summary>
    private const string LeakRule = """
        schema: 1
        rules:
          - name: leak-closes-floor-riser
            when:
              event: { kind: leak, event: leak, scope: floor }
            then:
              - command: { cmd: close, to: { kind: leak, role: valve } }
              - alert: { severity: critical, text: "Water at {device} on floor {floor}: closing its riser valve" }
        """;

    [TestMethod]
    [DataRow(CommandOrigin.Operator)]
    [DataRow(CommandOrigin.Rule)]
    [DataRow(CommandOrigin.LifeSafety)]
    public async Task Close_ValveThatFeedsSprinklers_RefusedWhoeverAsksAndNothingSent(CommandOrigin origin)
    {
        await using var rig = new FireRig();

        CommandTicket ticket = await rig.Commands.RequestAsync(new CommandRequest(rig.Device(FireRig.SprinklerValve), CommandKind.Close, "leak", origin, "alice"));

        Assert.IsFalse(ticket.Accepted);
        StringAssert.Contains(ticket.RefusedBecause, "feeds sprinklers");
        Assert.IsEmpty(rig.Downlink.Commands);
        Assert.IsTrue(rig.Log.ReadRecent(10, FireRig.SprinklerValve).Any(e => e.Name == "command-refused"), "the refusal is in the event log");
    }

    [TestMethod]
    public async Task Close_OrdinaryValveNoFire_Sent()
    {
        await using var rig = new FireRig();

        CommandTicket ticket = await rig.Commands.RequestAsync(new CommandRequest(rig.Device(FireRig.Riser), CommandKind.Close, "leak", CommandOrigin.Rule, "leak-rule"));

        Assert.IsTrue(ticket.Accepted);
        CollectionAssert.AreEqual(new[] { FireRig.Riser }, rig.Sent(CommandNames.Close).ToList());
    }

    [TestMethod]
    public async Task Close_WhileAFireStandsInTheBuilding_RefusedWithTheSprinklerReasonOtherBuildingsStillClose()
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.CallPoint, "activated");

        CommandTicket b1 = await rig.Commands.RequestAsync(new CommandRequest(rig.Device(FireRig.Riser), CommandKind.Close, "leak", CommandOrigin.Operator, "alice"));
        CommandTicket b2 = await rig.Commands.RequestAsync(new CommandRequest(rig.Device(FireRig.QuietValve), CommandKind.Close, "leak", CommandOrigin.Operator, "alice"));

        Assert.IsFalse(b1.Accepted);
        StringAssert.Contains(b1.RefusedBecause, ValveGate.SprinklerReason);
        Assert.IsTrue(rig.Log.ReadRecent(10, FireRig.Riser).Single(e => e.Name == "command-refused").Payload.Contains(ValveGate.SprinklerReason));
        Assert.IsTrue(b2.Accepted);
    }

    [TestMethod]
    public async Task Latch_ValveClosePendingInTheBuilding_WithdrawnBeforeItCanArrive()
    {
        await using var rig = new FireRig();
        string close = (await rig.Commands.RequestAsync(new CommandRequest(rig.Device(FireRig.Riser), CommandKind.Close, "leak", CommandOrigin.Rule, "leak-rule"))).Id!;

        await rig.EventAsync(FireRig.LobbyA, "alarm");

        Assert.AreEqual(CommandState.Cancelled, rig.Commands.Find(close)!.State);
    }

    [TestMethod]
    [DataRow(CommandOrigin.Rule, false)]
    [DataRow(CommandOrigin.LifeSafety, false)]
    [DataRow(CommandOrigin.Operator, true)]
    public async Task Reset_ReopeningAValve_OnlyForAnOperator(CommandOrigin origin, bool sent)
    {
        await using var rig = new FireRig();

        CommandTicket ticket = await rig.Commands.RequestAsync(new CommandRequest(rig.Device(FireRig.FloorProbe), CommandKind.Reset, "dry again", origin, "alice"));

        Assert.AreEqual(sent, ticket.Accepted, ticket.RefusedBecause);
        Assert.AreEqual(sent ? 1 : 0, rig.Sent(CommandNames.Reset).Count);
    }

    [TestMethod]
    public async Task LeakRule_WaterOnAFloor_ClosesItsRiserButNeverTheSprinklerValveAndRaisesTheAlert()
    {
        await using var rig = new FireRig();
        await rig.StartRulesAsync(LeakRule);

        await rig.EventAsync(FireRig.FloorProbe, "leak");

        CollectionAssert.AreEqual(new[] { FireRig.Riser }, rig.Sent(CommandNames.Close).ToList());
        Assert.AreEqual("Water at b1-f1-probe on floor f1: closing its riser valve", rig.OpenAlerts("leak-closes-floor-riser").Single().Text);
    }

    [TestMethod]
    public async Task LeakRule_WaterWhileAFireStands_NoValveClosedAndTheRuleShowsTheRefusal()
    {
        await using var rig = new FireRig();
        await rig.StartRulesAsync(LeakRule);
        await rig.EventAsync(FireRig.CallPoint, "activated");

        await rig.EventAsync(FireRig.FloorProbe, "leak");

        Assert.IsEmpty(rig.Sent(CommandNames.Close));
        RuleStatus status = rig.Rules!.Status().Rules.Single();
        Assert.AreEqual(1L, status.CommandsRefused);
        StringAssert.Contains(status.LastRefusal!.Reason, ValveGate.SprinklerReason);
    }

    [TestMethod]
    public void RuleLoader_RuleClosingASprinklerValveById_RejectedAtLoadWithFileAndLine()
    {
        BuildingLayout layout = LayoutLoader.Parse(FireRig.LayoutYaml("any-detector", 30, false), "fire-rig.yaml");

        RulesException error = Assert.ThrowsExactly<RulesException>(() => RuleLoader.Parse($$"""
            schema: 1
            rules:
              - name: close-everything
                when: { event: { kind: leak, event: leak } }
                then:
                  - command: { cmd: close, to: { devices: [{{FireRig.SprinklerValve}}] } }
            """, "rules.yaml", layout.Devices));

        Assert.AreEqual(("rules.yaml", 6L), (error.File, error.Line));
        StringAssert.StartsWith(error.Message, "rules.yaml:6:");
        StringAssert.Contains(error.Reason, "feeds sprinklers");
    }

    [TestMethod]
    [DataRow(DeviceKinds.Leak, DeviceKinds.RoleValve, CommandKind.Close, true)]
    [DataRow(DeviceKinds.Leak, DeviceKinds.RoleSensorValve, CommandKind.Reset, true)]
    [DataRow(DeviceKinds.Leak, DeviceKinds.RoleValve, CommandKind.SelfTest, true)]
    [DataRow(DeviceKinds.Leak, DeviceKinds.RoleValve, CommandKind.Lock, false)]
    [DataRow(DeviceKinds.ManualCallPoint, DeviceKinds.RoleBreakGlass, CommandKind.SelfTest, true)]
    [DataRow(DeviceKinds.ManualCallPoint, DeviceKinds.RoleBreakGlass, CommandKind.Reset, false)]
    [DataRow(DeviceKinds.EmergencyCallPoint, DeviceKinds.RoleResident, CommandKind.CallReceived, true)]
    [DataRow(DeviceKinds.EmergencyCallPoint, DeviceKinds.RoleResident, CommandKind.CallHandled, true)]
    [DataRow(DeviceKinds.EmergencyCallPoint, DeviceKinds.RoleResident, CommandKind.Sound, true)]
    [DataRow(DeviceKinds.EmergencyCallPoint, DeviceKinds.RoleResident, CommandKind.SelfTest, true)]
    [DataRow(DeviceKinds.EmergencyCallPoint, DeviceKinds.RoleResident, CommandKind.Release, false)]
    [DataRow(DeviceKinds.Smoke, DeviceKinds.RoleDetector, CommandKind.SelfTest, true)]
    [DataRow(DeviceKinds.Smoke, DeviceKinds.RoleDetector, CommandKind.Close, false)]
    [DataRow(DeviceKinds.Door, DeviceKinds.RoleEgressLock, CommandKind.Close, false)]
    [DataRow(DeviceKinds.Door, DeviceKinds.RoleEgressLock, CommandKind.Sound, false)]
    public void CommandSupport_NewKinds_TakeTheirCommandsOnly(string kind, string role, CommandKind command, bool supported)
    {
        Assert.AreEqual(supported, CommandSupport.Supports(kind, role, command));
    }

    [TestMethod]
    public async Task CommandSupport_SprinklerValve_NeverTakesCloseButStillReopensAndTests()
    {
        await using var rig = new FireRig();
        DeviceDefinition sprinkler = rig.Device(FireRig.SprinklerValve);

        Assert.IsFalse(CommandSupport.Supports(sprinkler, CommandKind.Close));
        Assert.IsTrue(CommandSupport.Supports(sprinkler, CommandKind.Reset));
        Assert.IsTrue(CommandSupport.Supports(rig.Device(FireRig.Riser), CommandKind.Close));
    }
}
