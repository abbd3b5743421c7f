namespace SmartCommunity.Edge.Tests.Safety;

using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Safety;

/// <summary>Each confirmation mode confirms when it promises to, and only then; time is a fake clock.</summary>
[TestClass]
public sealed class FireConfirmationTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private static readonly DeviceDefinition LobbyA = Detector("lobby-a", "ground", "lobby");
    private static readonly DeviceDefinition LobbyB = Detector("lobby-b", "ground", "lobby");
    private static readonly DeviceDefinition Stairs = Detector("stairs", "ground", "stairs");
    private static readonly DeviceDefinition FirstFloorLobby = Detector("f1-lobby", "first", "lobby");
    private static readonly DeviceDefinition CallPoint = Device("mcp", DeviceKinds.ManualCallPoint, DeviceKinds.RoleBreakGlass, "ground", "stairs");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));

    [TestMethod]
    public void DetectorAlarm_AnyDetector_ConfirmsAtOnceNamingTheDetector()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.AnyDetector);

        FireDecision decision = fire.DetectorAlarm(LobbyA, test: false);

        Assert.AreEqual(FireStep.Confirmed, decision.Step);
        CollectionAssert.AreEqual(new[] { LobbyA.Id }, decision.Devices.ToList());
        Assert.AreEqual($"smoke alarm at {LobbyA.Id}", decision.Cause);
    }

    [TestMethod]
    public void DetectorAlarm_TwoDetectorsFirstAlone_SuspectedNotConfirmed()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.TwoDetectors);

        FireDecision decision = fire.DetectorAlarm(LobbyA, test: false);

        Assert.AreEqual(FireStep.Suspected, decision.Step);
        StringAssert.Contains(decision.Cause, "waiting up to 30 s for a second detector of zone ground/lobby");
        Assert.AreEqual(Window, fire.NextExpiry());
    }

    [TestMethod]
    public void DetectorAlarm_TwoDetectorsSecondOfTheSameZoneWithinTheWindow_ConfirmsNamingBoth()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.TwoDetectors);
        fire.DetectorAlarm(LobbyA, test: false);
        _time.Advance(TimeSpan.FromSeconds(29));

        FireDecision decision = fire.DetectorAlarm(LobbyB, test: false);

        Assert.AreEqual(FireStep.Confirmed, decision.Step);
        CollectionAssert.AreEqual(new[] { LobbyA.Id, LobbyB.Id }, decision.Devices.ToList());
        StringAssert.Contains(decision.Cause, "two-detectors");
        Assert.IsNull(fire.NextExpiry(), "a confirmed fire leaves no first alarm waiting");
    }

    [TestMethod]
    public void DetectorAlarm_TwoDetectorsSecondInAnotherZone_OnlySuspected()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.TwoDetectors);
        fire.DetectorAlarm(LobbyA, test: false);

        FireDecision stairs = fire.DetectorAlarm(Stairs, test: false);
        FireDecision sameZoneNameOtherFloor = fire.DetectorAlarm(FirstFloorLobby, test: false);

        Assert.AreEqual(FireStep.Suspected, stairs.Step);
        Assert.AreEqual(FireStep.Suspected, sameZoneNameOtherFloor.Step, "zone 'lobby' of another floor is another zone");
    }

    [TestMethod]
    public void DetectorAlarm_TwoDetectorsFirstClearedWithinTheWindow_SecondStillConfirms()
    {
        FireConfirmation fire = TwoDetectorsLobbyAAlarmedAndCleared(TimeSpan.FromSeconds(30));

        FireDecision decision = fire.DetectorAlarm(LobbyB, test: false);

        Assert.AreEqual(FireStep.Confirmed, decision.Step, "the first alarm ended 30 s ago: within the window");
    }

    [TestMethod]
    public void DetectorAlarm_TwoDetectorsFirstClearedMoreThanAWindowAgo_OnlySuspected()
    {
        FireConfirmation fire = TwoDetectorsLobbyAAlarmedAndCleared(TimeSpan.FromSeconds(31));

        FireDecision decision = fire.DetectorAlarm(LobbyB, test: false);

        Assert.AreEqual(FireStep.Suspected, decision.Step);
    }

    [TestMethod]
    public void ExpireDue_WindowPassesWithoutASecondSignal_ExpiresOnceAtTheWindow()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.TwoDetectors);
        fire.DetectorAlarm(LobbyA, test: false);
        _time.Advance(TimeSpan.FromSeconds(29));
        IReadOnlyList<ExpiredSuspicion> early = fire.ExpireDue();
        _time.Advance(TimeSpan.FromSeconds(1));

        IReadOnlyList<ExpiredSuspicion> due = fire.ExpireDue();
        IReadOnlyList<ExpiredSuspicion> again = fire.ExpireDue();

        Assert.IsEmpty(early);
        Assert.AreEqual(new ExpiredSuspicion(LobbyA.Id, StillInAlarm: true), due.Single());
        Assert.IsEmpty(again);
        Assert.IsNull(fire.NextExpiry());
    }

    [TestMethod]
    public void DetectorAlarm_FirstStillInAlarmLongAfterItsWindowExpired_SecondOfTheZoneConfirms()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.TwoDetectors);
        fire.DetectorAlarm(LobbyA, test: false);
        _time.Advance(Window);
        fire.ExpireDue();
        _time.Advance(TimeSpan.FromMinutes(10));

        FireDecision decision = fire.DetectorAlarm(LobbyB, test: false);

        Assert.AreEqual(FireStep.Confirmed, decision.Step, "an alarm that stands is still a signal, however old");
        CollectionAssert.AreEqual(new[] { LobbyA.Id, LobbyB.Id }, decision.Devices.ToList());
    }

    [TestMethod]
    public void DetectorAlarm_SameDetectorAlarmsAgain_NeverCountsAsTwo()
    {
        FireConfirmation fire = TwoDetectorsLobbyAAlarmedAndCleared(TimeSpan.FromSeconds(5));

        FireDecision again = fire.DetectorAlarm(LobbyA, test: false);

        Assert.AreEqual(FireStep.Suspected, again.Step);
    }

    [TestMethod]
    public void DetectorAlarm_ReportRepeatsAStandingAlarm_NothingNew()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.TwoDetectors);
        fire.DetectorAlarm(LobbyA, test: false);

        FireDecision heartbeat = fire.DetectorAlarm(LobbyA, test: false);

        Assert.AreEqual(FireStep.None, heartbeat.Step);
    }

    [TestMethod]
    [DataRow(FireConfirmationMode.AnyDetector)]
    [DataRow(FireConfirmationMode.TwoDetectors)]
    [DataRow(FireConfirmationMode.DetectorAndCallPoint)]
    public void CallPointActivated_AnyMode_ConfirmsAlone(FireConfirmationMode mode)
    {
        FireConfirmation fire = Confirmation(mode);

        FireDecision decision = fire.CallPointActivated(CallPoint, latched: false);

        Assert.AreEqual(FireStep.Confirmed, decision.Step);
        Assert.AreEqual($"manual call point {CallPoint.Id} activated", decision.Cause);
    }

    [TestMethod]
    public void DetectorAlarm_DetectorAndCallPointDetectorAlone_OnlySuspected()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.DetectorAndCallPoint);

        FireDecision first = fire.DetectorAlarm(LobbyA, test: false);
        FireDecision second = fire.DetectorAlarm(LobbyB, test: false);

        Assert.AreEqual(FireStep.Suspected, first.Step);
        Assert.AreEqual(FireStep.Suspected, second.Step, "two detectors are not what this mode asks for");
        StringAssert.Contains(first.Cause, "waiting up to 30 s for a manual call point");
    }

    [TestMethod]
    public void CallPointActivated_DetectorAndCallPointAfterADetectorInAnyZone_ConfirmsNamingBoth()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.DetectorAndCallPoint);
        fire.DetectorAlarm(LobbyA, test: false);
        _time.Advance(TimeSpan.FromSeconds(20));

        FireDecision decision = fire.CallPointActivated(CallPoint, latched: false);

        CollectionAssert.AreEqual(new[] { LobbyA.Id, CallPoint.Id }, decision.Devices.ToList());
        StringAssert.Contains(decision.Cause, "detector-and-call-point");
    }

    [TestMethod]
    public void DetectorAlarm_DetectorAndCallPointCallPointRestoredWithinTheWindow_Confirms()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.DetectorAndCallPoint);
        fire.CallPointActivated(CallPoint, latched: false);
        fire.CallPointRestored(CallPoint);
        _time.Advance(TimeSpan.FromSeconds(10));

        FireDecision decision = fire.DetectorAlarm(Stairs, test: false);

        Assert.AreEqual(FireStep.Confirmed, decision.Step);
    }

    [TestMethod]
    public void DetectorAlarm_TestAlarmWhereTestsDoNotRelease_TestStepNoSignalAndNotStanding()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.TwoDetectors);

        FireDecision test = fire.DetectorAlarm(LobbyA, test: true);
        FireDecision real = fire.DetectorAlarm(LobbyB, test: false);

        Assert.AreEqual(FireStep.TestAlarm, test.Step);
        Assert.AreEqual(FireStep.Suspected, real.Step, "a test alarm is no first signal");
        CollectionAssert.AreEqual(new[] { LobbyB.Id }, fire.Standing().Select(s => s.Device.Id).ToList());
    }

    [TestMethod]
    public void DetectorAlarm_TestAlarmWhereTestsRelease_CountsLikeAnAlarm()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.AnyDetector, testReleasesDoors: true);

        FireDecision decision = fire.DetectorAlarm(LobbyA, test: true);

        Assert.AreEqual(FireStep.Confirmed, decision.Step);
        StringAssert.Contains(decision.Cause, "test smoke alarm");
        Assert.IsTrue(fire.Standing().Single().Test);
    }

    [TestMethod]
    public void DetectorAlarm_TestAlarmTurnsIntoARealOne_JudgedAgain()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.AnyDetector);
        fire.DetectorAlarm(LobbyA, test: true);

        FireDecision decision = fire.DetectorAlarm(LobbyA, test: false);

        Assert.AreEqual(FireStep.Confirmed, decision.Step);
    }

    [TestMethod]
    public void Restore_AlarmOnRecord_StandsAndIsJudgedAgainWhenReported()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.AnyDetector);
        fire.Restore(LobbyA, "alarm", test: false);
        fire.Restore(LobbyB, "normal", test: false);

        IReadOnlyList<StandingSignal> standing = fire.Standing();
        FireDecision reported = fire.DetectorAlarm(LobbyA, test: false);

        Assert.AreEqual(LobbyA.Id, standing.Single().Device.Id);
        Assert.AreEqual(FireStep.Confirmed, reported.Step);
    }

    [TestMethod]
    public void AfterReset_AlarmsThatEndedBefore_NoLongerCount()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.TwoDetectors);
        fire.DetectorAlarm(LobbyA, test: false);
        fire.DetectorCleared(LobbyA);
        fire.AfterReset([]);

        FireDecision decision = fire.DetectorAlarm(LobbyB, test: false);

        Assert.AreEqual(FireStep.Suspected, decision.Step, "the reset closed the incident the first alarm belonged to");
    }

    [TestMethod]
    public void AfterReset_OverriddenDevice_ClearUntilItReportsAgain()
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.AnyDetector);
        fire.DetectorAlarm(LobbyA, test: false);

        fire.AfterReset([LobbyA.Id]);
        IReadOnlyList<StandingSignal> standing = fire.Standing();
        FireDecision reported = fire.DetectorAlarm(LobbyA, test: false);

        Assert.IsEmpty(standing);
        Assert.AreEqual(FireStep.Confirmed, reported.Step, "an overridden detector that reports alarm again is a new alarm");
    }

    /// <summary>Two-detector confirmation where lobby A alarmed for 5 s, cleared, and <paramref name="sinceCleared"/> has passed.</summary>
    private FireConfirmation TwoDetectorsLobbyAAlarmedAndCleared(TimeSpan sinceCleared)
    {
        FireConfirmation fire = Confirmation(FireConfirmationMode.TwoDetectors);
        fire.DetectorAlarm(LobbyA, test: false);
        _time.Advance(TimeSpan.FromSeconds(5));
        fire.DetectorCleared(LobbyA);
        _time.Advance(sinceCleared);
        return fire;
    }

    private FireConfirmation Confirmation(FireConfirmationMode mode, bool testReleasesDoors = false) =>
        new("b1", new FirePolicy(mode, Window, testReleasesDoors), _time);

    private static DeviceDefinition Detector(string id, string floor, string zone) => Device(id, DeviceKinds.Smoke, DeviceKinds.RoleDetector, floor, zone);

    private static DeviceDefinition Device(string id, string kind, string role, string floor, string zone) =>
        new(id, kind, role, "s1", "b1", floor, zone, new Dictionary<string, int>(), new Dictionary<string, long>());
}
