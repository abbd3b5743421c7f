namespace SmartCommunity.Edge.Tests.Safety;

using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>The fire rule with a building's confirmation policy: what latches, what only alerts, and what the event log says.</summary>
public sealed partial class FireRuleTests
{
    [TestMethod]
    public async Task TwoDetectors_FirstAlarm_LoggedAndAlertedAsSuspectedButNothingReleased()
    {
        await using var rig = new FireRig("two-detectors");

        await rig.EventAsync(FireRig.LobbyA, "alarm", "\"state\":\"alarm\"");

        Assert.IsFalse(rig.FireRule.IsLatched("b1"));
        Assert.IsEmpty(rig.Sent(CommandNames.Release));
        JsonElement suspected = rig.RuleRecords("fire-suspected").Single();
        Assert.AreEqual((FireRig.LobbyA, "two-detectors", "ground/lobby"),
            (suspected.GetProperty("device").GetString(), suspected.GetProperty("mode").GetString(), suspected.GetProperty("zone").GetString()));
        Alert alert = rig.OpenAlerts(FireRule.SuspectedAlert).Single();
        Assert.AreEqual((AlertSeverity.Warning, FireRig.LobbyA, "b1"), (alert.Severity, alert.Device, alert.Building));
        StringAssert.Contains(alert.Text, "Fire suspected");
    }

    [TestMethod]
    public async Task TwoDetectors_SecondOfTheSameZone_LatchesNamingBothAndRaisesACriticalAlert()
    {
        await using var rig = new FireRig("two-detectors");
        await rig.EventAsync(FireRig.LobbyA, "alarm");
        rig.Time.Advance(TimeSpan.FromSeconds(12));

        await rig.EventAsync(FireRig.LobbyB, "alarm");

        Assert.IsTrue(rig.FireRule.IsLatched("b1"));
        CollectionAssert.AreEquivalent(FireRig.B1Doors, rig.Sent(CommandNames.Release).ToList());
        JsonElement latched = rig.RuleRecords("fire-latched").Single();
        Assert.AreEqual(("smoke", "two-detectors"), (latched.GetProperty("trigger").GetString(), latched.GetProperty("mode").GetString()));
        CollectionAssert.AreEqual(new[] { FireRig.LobbyA, FireRig.LobbyB }, latched.GetProperty("devices").EnumerateArray().Select(d => d.GetString()).ToArray());
        Alert fire = rig.OpenAlerts(FireRule.ConfirmedAlert).Single();
        Assert.AreEqual((AlertSeverity.Critical, "b1"), (fire.Severity, fire.Building));
        Assert.IsTrue(rig.Log.ReadRecent(100, "edge").Any(e => e.Channel == AlertBook.Channel && e.Name == "raised" && e.Payload.Contains("critical")),
            "the alert is in the event log, where the relays pick it up");
    }

    [TestMethod]
    public async Task TwoDetectors_SecondInAnotherZone_DoesNotLatch()
    {
        await using var rig = new FireRig("two-detectors");
        await rig.EventAsync(FireRig.LobbyA, "alarm");

        await rig.EventAsync(FireRig.StairSmoke, "alarm");

        Assert.IsFalse(rig.FireRule.IsLatched("b1"));
        Assert.HasCount(2, rig.RuleRecords("fire-suspected"));
    }

    [TestMethod]
    public async Task TwoDetectors_WindowPassesWithoutASecond_ExpiryLoggedOnceByTheTimerAndTheStandingAlarmStillCounts()
    {
        await using var rig = new FireRig("two-detectors", windowS: 20);
        await rig.EventAsync(FireRig.LobbyA, "alarm");
        rig.Time.Advance(TimeSpan.FromSeconds(19));
        await rig.FireRule.ExpireDueAsync();
        Assert.IsEmpty(rig.RuleRecords("fire-suspicion-expired"));

        rig.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitUntilAsync(() => rig.RuleRecords("fire-suspicion-expired").Count == 1, "the timer expires the first alarm at its window");
        JsonElement expired = rig.RuleRecords("fire-suspicion-expired").Single();
        rig.Time.Advance(TimeSpan.FromMinutes(5));
        await rig.FireRule.ExpireDueAsync();
        await rig.StateAsync(FireRig.LobbyA, "alarm");
        await rig.EventAsync(FireRig.LobbyB, "alarm");

        Assert.AreEqual((FireRig.LobbyA, true), (expired.GetProperty("device").GetString(), expired.GetProperty("stillInAlarm").GetBoolean()));
        Assert.HasCount(1, rig.RuleRecords("fire-suspicion-expired"), "each first alarm expires once");
        Assert.IsTrue(rig.FireRule.IsLatched("b1"), "the first detector still stood in alarm when the second came");
    }

    [TestMethod]
    public async Task TwoDetectors_FirstClearedAndTheWindowPassed_SecondOnlySuspected()
    {
        await using var rig = new FireRig("two-detectors", windowS: 20);
        await rig.EventAsync(FireRig.LobbyA, "alarm");
        await rig.EventAsync(FireRig.LobbyA, "alarm-cleared");
        rig.Time.Advance(TimeSpan.FromSeconds(21));
        await rig.FireRule.ExpireDueAsync();

        await rig.EventAsync(FireRig.LobbyB, "alarm");

        Assert.IsFalse(rig.FireRule.IsLatched("b1"));
        Assert.IsFalse(rig.RuleRecords("fire-suspicion-expired").Single().GetProperty("stillInAlarm").GetBoolean());
    }

    [TestMethod]
    [DataRow("any-detector")]
    [DataRow("two-detectors")]
    [DataRow("detector-and-call-point")]
    public async Task CallPointActivated_EveryMode_LatchesAtOnce(string mode)
    {
        await using var rig = new FireRig(mode);

        await rig.EventAsync(FireRig.CallPoint, "activated");

        Assert.IsTrue(rig.FireRule.IsLatched("b1"));
        CollectionAssert.AreEquivalent(FireRig.B1Doors, rig.Sent(CommandNames.Release).ToList());
        JsonElement latched = rig.RuleRecords("fire-latched").Single();
        Assert.AreEqual(("manual-call-point", "call-point"), (latched.GetProperty("trigger").GetString(), latched.GetProperty("mode").GetString()));
    }

    [TestMethod]
    public async Task DetectorAndCallPoint_DetectorThenCallPoint_LatchNamesBoth()
    {
        await using var rig = new FireRig("detector-and-call-point");
        await rig.EventAsync(FireRig.StairSmoke, "alarm");
        Assert.IsFalse(rig.FireRule.IsLatched("b1"), "a detector alone does not confirm in this mode");
        rig.Time.Advance(TimeSpan.FromSeconds(15));

        await rig.StateAsync(FireRig.CallPoint, "activated");

        JsonElement latched = rig.RuleRecords("fire-latched").Single();
        Assert.AreEqual("detector-and-call-point", latched.GetProperty("mode").GetString());
        CollectionAssert.AreEqual(new[] { FireRig.StairSmoke, FireRig.CallPoint }, latched.GetProperty("devices").EnumerateArray().Select(d => d.GetString()).ToArray());
    }

    [TestMethod]
    public async Task PreAlarm_EventThenItsState_OneWarningAlertAndNeverALatch()
    {
        await using var rig = new FireRig();

        await rig.EventAsync(FireRig.LobbyA, "pre-alarm", "\"state\":\"pre-alarm\"");
        await rig.StateAsync(FireRig.LobbyA, "pre-alarm");
        await rig.StateAsync(FireRig.LobbyA, "pre-alarm");

        Assert.IsFalse(rig.FireRule.IsLatched("b1"));
        Assert.IsEmpty(rig.Downlink.Commands);
        Alert alert = rig.OpenAlerts(FireRule.PreAlarmAlert).Single();
        Assert.AreEqual((AlertSeverity.Warning, 0), (alert.Severity, alert.Repeats), "heartbeats repeating the pre-alarm raise nothing more");
        Assert.HasCount(1, rig.RuleRecords("fire-pre-alarm"));
    }

    [TestMethod]
    public async Task TestAlarm_TestsDoNotReleaseDoors_InfoAlertLoggedAndNoLatch()
    {
        await using var rig = new FireRig();

        await rig.EventAsync(FireRig.LobbyA, "test-started", "\"test\":true");
        await rig.EventAsync(FireRig.LobbyA, "alarm", "\"test\":true");
        await rig.StateAsync(FireRig.LobbyA, "alarm", "\"test\":true");

        Assert.IsFalse(rig.FireRule.IsLatched("b1"));
        Assert.IsEmpty(rig.Downlink.Commands);
        Assert.AreEqual(AlertSeverity.Info, rig.OpenAlerts(FireRule.TestAlarmAlert).Single().Severity);
        Assert.IsFalse(rig.RuleRecords("fire-test-alarm").Single().GetProperty("releasesDoors").GetBoolean());
        Assert.IsEmpty(rig.FireRule.DevicesInAlarm("b1"), "a test alarm does not hold a reset back");
    }

    [TestMethod]
    public async Task TestAlarm_TestsReleaseDoors_Latches()
    {
        await using var rig = new FireRig(testReleasesDoors: true);

        await rig.EventAsync(FireRig.LobbyA, "alarm", "\"test\":true");

        Assert.IsTrue(rig.FireRule.IsLatched("b1"));
        StringAssert.Contains(rig.RuleRecords("fire-latched").Single().GetProperty("by").GetString(), "test smoke alarm");
    }

    [TestMethod]
    public async Task TestAlarm_EndsAndARealAlarmFollows_Latches()
    {
        await using var rig = new FireRig();
        await rig.EventAsync(FireRig.LobbyA, "alarm", "\"test\":true");
        await rig.EventAsync(FireRig.LobbyA, "test-ended", "\"test\":true");

        await rig.EventAsync(FireRig.LobbyA, "alarm");

        Assert.IsTrue(rig.FireRule.IsLatched("b1"));
    }

    [TestMethod]
    public async Task Latched_FurtherAlarmsInTheBuilding_NoSuspicionNoSecondCriticalAlert()
    {
        await using var rig = new FireRig("two-detectors");
        await rig.EventAsync(FireRig.CallPoint, "activated");

        await rig.EventAsync(FireRig.StairSmoke, "alarm");

        Assert.IsEmpty(rig.RuleRecords("fire-suspected"));
        Assert.AreEqual(0, rig.OpenAlerts(FireRule.ConfirmedAlert).Single().Repeats);
    }
}
