namespace SmartCommunity.Edge.Tests.Safety;

using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>The reset policy: refused while a detector or call point reports alarm; an admin's force goes past offline ones only.</summary>
public sealed partial class FireRuleTests
{
    [TestMethod]
    public async Task ResetAsync_DetectorStillInAlarm_RefusedNamingItAndLatchKept()
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.LobbyA, "alarm");

        FireResetOutcome outcome = await rig.FireRule.ResetAsync("b1", "alice");

        Assert.AreEqual(FireResetResult.DevicesInAlarm, outcome.Result);
        FireDeviceAlarm device = outcome.DevicesInAlarm.Single();
        Assert.AreEqual((FireRig.LobbyA, "smoke", "alarm", true), (device.Device, device.Kind, device.State, device.Online));
        Assert.IsTrue(rig.FireRule.IsLatched("b1"));
        Assert.IsEmpty(rig.Sent(CommandNames.Reset));
    }

    [TestMethod]
    public async Task ResetAsync_CallPointStillActivated_Refused()
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.CallPoint, "activated");
        await rig.StateAsync(FireRig.CallPoint, "activated");

        FireResetOutcome outcome = await rig.FireRule.ResetAsync("b1", "alice");

        Assert.AreEqual(FireResetResult.DevicesInAlarm, outcome.Result);
        Assert.AreEqual((FireRig.CallPoint, "activated"), (outcome.DevicesInAlarm.Single().Device, outcome.DevicesInAlarm.Single().State));
    }

    [TestMethod]
    public async Task ResetAsync_CallPointReportsALineFaultAfterItWasOperated_StillRefusedUntilItSaysNormal()
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.CallPoint, "activated");
        await rig.StateAsync(FireRig.CallPoint, "fault");

        FireResetOutcome refused = await rig.FireRule.ResetAsync("b1", "alice");
        await rig.StateAsync(FireRig.CallPoint, "normal");
        FireResetOutcome reset = await rig.FireRule.ResetAsync("b1", "alice");

        Assert.AreEqual(FireResetResult.DevicesInAlarm, refused.Result);
        Assert.AreEqual(FireResetResult.Reset, reset.Result);
    }

    [TestMethod]
    public async Task ResetAsync_DetectorHasCleared_ResetsAndClearsTheRulesAlertsByTheOperator()
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.LobbyA, "pre-alarm");
        await rig.EventAsync(FireRig.LobbyA, "alarm");
        await rig.EventAsync(FireRig.LobbyA, "alarm-cleared");

        FireResetOutcome outcome = await rig.FireRule.ResetAsync("b1", "alice");

        Assert.AreEqual(FireResetResult.Reset, outcome.Result);
        Assert.IsFalse(rig.FireRule.IsLatched("b1"));
        CollectionAssert.AreEquivalent(FireRig.B1Doors.Append(FireRig.Barrier).ToList(), rig.Sent(CommandNames.Reset).ToList(), "the doors and the car park barrier end their fire hold");
        Assert.IsEmpty(rig.Alerts.List().Where(a => a.Rule.StartsWith(FireRule.AlertPrefix, System.StringComparison.Ordinal)).ToList());
        Alert closed = rig.Alerts.List(openOnly: false).Single(a => a.Rule == FireRule.ConfirmedAlert);
        Assert.AreEqual(("alice", "alice"), (closed.AcknowledgedBy, closed.ClearedBy));
    }

    [TestMethod]
    public async Task ResetAsync_ForcedPastAnOfflineDetector_ResetsAndTheLogNamesWhoAndWhichDetector()
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.LobbyA, "alarm");
        await rig.EventAsync(FireRig.StairSmoke, "alarm");
        await rig.EventAsync(FireRig.StairSmoke, "alarm-cleared");
        await rig.WillAsync(FireRig.LobbyA);

        FireResetOutcome refused = await rig.FireRule.ResetAsync("b1", "root");
        FireResetOutcome forced = await rig.FireRule.ResetAsync("b1", "root", force: true);

        Assert.AreEqual(FireResetResult.DevicesInAlarm, refused.Result, "without force even an offline detector holds the reset back");
        Assert.IsFalse(refused.DevicesInAlarm.Single().Online);
        Assert.AreEqual(FireResetResult.Reset, forced.Result);
        Assert.AreEqual(FireRig.LobbyA, forced.Overridden.Single().Device);
        Assert.IsFalse(rig.FireRule.IsLatched("b1"));
        JsonElement reset = rig.RuleRecords("fire-reset").Single();
        Assert.AreEqual(("root", true), (reset.GetProperty("by").GetString(), reset.GetProperty("force").GetBoolean()));
        JsonElement overridden = reset.GetProperty("overridden").EnumerateArray().Single();
        Assert.AreEqual((FireRig.LobbyA, false), (overridden.GetProperty("device").GetString(), overridden.GetProperty("online").GetBoolean()));
    }

    [TestMethod]
    public async Task ResetAsync_ForcedButADetectorInAlarmIsOnline_RefusedAndLatchKept()
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.LobbyA, "alarm");
        await rig.EventAsync(FireRig.LobbyB, "alarm");
        await rig.WillAsync(FireRig.LobbyA);

        FireResetOutcome outcome = await rig.FireRule.ResetAsync("b1", "root", force: true);

        Assert.AreEqual(FireResetResult.DevicesInAlarm, outcome.Result);
        CollectionAssert.AreEqual(new[] { (FireRig.LobbyA, false), (FireRig.LobbyB, true) }, outcome.DevicesInAlarm.Select(d => (d.Device, d.Online)).ToArray());
        Assert.IsEmpty(outcome.Overridden);
        Assert.IsTrue(rig.FireRule.IsLatched("b1"));
        Assert.IsEmpty(rig.RuleRecords("fire-reset"));
    }

    [TestMethod]
    public async Task ResetAsync_ForcedWhileADoorReadsTheFirePanel_RefusedWhateverTheRole()
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.StairDoor, "fire-input-active");

        FireResetOutcome outcome = await rig.FireRule.ResetAsync("b1", "root", force: true);

        Assert.AreEqual(FireResetResult.FireInputActive, outcome.Result);
        CollectionAssert.AreEqual(new[] { FireRig.StairDoor }, outcome.DoorsReportingFireInput.ToArray());
        Assert.IsTrue(rig.FireRule.IsLatched("b1"));
    }

    [TestMethod]
    public async Task ResetAsync_ForcedPastADetectorThatReportsAlarmAgain_LatchesAgain()
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.LobbyA, "alarm");
        await rig.WillAsync(FireRig.LobbyA);
        await rig.FireRule.ResetAsync("b1", "root", force: true);

        await rig.StateAsync(FireRig.LobbyA, "alarm");

        Assert.IsTrue(rig.FireRule.IsLatched("b1"), "back online and still in alarm: a new fire");
    }

    [TestMethod]
    public async Task StartAsync_TwinSaysADetectorWasInAlarm_ResetRefusedUntilItClears()
    {
        await using var rig = new FireRig();
        await rig.StateAsync(FireRig.LobbyA, "alarm");
        FireRule restarted = rig.NewFireRule();
        rig.Commands.AddSafetyGate(restarted);

        await restarted.StartAsync();
        FireResetOutcome refused = await restarted.ResetAsync("b1", "alice");
        await restarted.OnMessageAsync(Messages.Event(rig.Device(FireRig.LobbyA), 9, "alarm-cleared"), rig.Device(FireRig.LobbyA));
        FireResetOutcome reset = await restarted.ResetAsync("b1", "alice");

        Assert.AreEqual(FireResetResult.DevicesInAlarm, refused.Result);
        Assert.AreEqual(FireResetResult.Reset, reset.Result);
    }
}
