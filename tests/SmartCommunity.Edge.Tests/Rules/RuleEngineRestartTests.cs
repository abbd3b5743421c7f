namespace SmartCommunity.Edge.Tests.Rules;

using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Edge.Twins;

/// <summary>
/// Pending timers across a restart: a new engine over the same database, the fake clock moved on by the downtime.
/// Each timer resumes with the time it had left minus the downtime.
/// </summary>
[TestClass]
public sealed class RuleEngineRestartTests
{
    private const string StairDoor = DemoLayout.StairDoor;

    [TestMethod]
    public async Task StartAsync_HeldConditionStillReported_ResumesWithItsRemainingTime()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.HeldOpen);
        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(30));

        await rig.RestartAsync(downtime: TimeSpan.FromSeconds(20));
        Assert.AreEqual(1, rig.Engine.Status().PendingTimers);
        await rig.AdvanceAsync(TimeSpan.FromSeconds(69));
        Assert.IsEmpty(rig.OpenAlerts, "2m - 30s before - 20s down = 70s left");

        await rig.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.AreEqual("b1-stair-door open for 2m", rig.OpenAlerts.Single().Text);
    }

    [TestMethod]
    public async Task StartAsync_HeldTimeRanOutDuringTheDowntimeAndStateStillHolds_FiresAtStart()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.HeldOpen);
        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(90));

        await rig.RestartAsync(downtime: TimeSpan.FromMinutes(10));

        Assert.AreEqual(1L, rig.Rule("held-open").Firings);
    }

    [TestMethod]
    public async Task StartAsync_HeldConditionNoLongerHoldsByTheLastState_DroppedWithoutFiring()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.HeldOpen);
        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(90));
        rig.TwinOnlyState(StairDoor, "\"door\":\"closed\"");

        await rig.RestartAsync(downtime: TimeSpan.FromMinutes(10));
        await rig.AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.IsEmpty(rig.OpenAlerts);
        Assert.AreEqual(0, rig.Engine.Status().PendingTimers);
    }

    [TestMethod]
    public async Task StartAsync_HeldStateUnknown_WaitsForTheDevicesNextReportInsteadOfFiringBlindly()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.HeldOpen);
        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(90));

        await rig.RestartAsync(downtime: TimeSpan.FromMinutes(1), twins: new TwinRegistry(rig.Edge.Layout));
        await rig.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.IsEmpty(rig.OpenAlerts, "the time ran out, but nobody knows the door is still open");
        Assert.AreEqual(1, rig.Engine.Status().PendingTimers);

        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        Assert.AreEqual("b1-stair-door open for 2m", rig.OpenAlerts.Single().Text, "the report confirms it: fires at once");
    }

    [TestMethod]
    public async Task StartAsync_HeldStateUnknownThenReportedClosed_Dropped()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.HeldOpen);
        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        await rig.RestartAsync(downtime: TimeSpan.FromMinutes(5), twins: new TwinRegistry(rig.Edge.Layout));

        await rig.StateAsync(StairDoor, "\"door\":\"closed\"");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.IsEmpty(rig.OpenAlerts);
        Assert.AreEqual(0, rig.Engine.Status().PendingTimers);
    }

    [TestMethod]
    public async Task StartAsync_HeldFiredBeforeTheRestart_DoesNotFireAgain()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.HeldOpen);
        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(2));

        await rig.RestartAsync(downtime: TimeSpan.FromMinutes(1));
        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.AreEqual((0L, 0), (rig.Rule("held-open").Firings, rig.OpenAlerts.Single().Repeats));
    }

    [TestMethod]
    public async Task StartAsync_AbsenceWindowRanOutDuringTheDowntime_FiresAtStart()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.SilentSmoke("device"));
        await rig.AdvanceAsync(TimeSpan.FromMinutes(3));

        await rig.RestartAsync(downtime: TimeSpan.FromMinutes(3));

        CollectionAssert.AreEquivalent(new[] { DemoLayout.LobbySmoke, DemoLayout.FirstFloorSmoke, "b2-lobby-smoke" }, rig.OpenAlerts.Select(a => a.Device).ToList(),
            "each had 2m left and the edge was down for 3m: they may have run out, so they fire at start");
    }

    [TestMethod]
    public async Task StartAsync_AbsenceWindowWithTimeLeft_ResumesWithTheRemainingTime()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.SilentSmoke("device"));
        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));

        await rig.RestartAsync(downtime: TimeSpan.FromMinutes(1));
        await rig.AdvanceAsync(TimeSpan.FromSeconds(179));
        Assert.IsEmpty(rig.OpenAlerts, "5m - 1m before - 1m down = 3m left");

        await rig.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.HasCount(3, rig.OpenAlerts);
    }

    [TestMethod]
    public async Task StartAsync_AbsenceThatFiredBeforeTheRestart_DoesNotFireAgain()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.SilentSmoke("device"));
        await rig.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.HasCount(3, rig.OpenAlerts);

        await rig.RestartAsync(downtime: TimeSpan.FromMinutes(30));
        await rig.AdvanceAsync(TimeSpan.FromMinutes(10));

        Assert.AreEqual(0L, rig.Rule("silent").Firings);
        Assert.IsTrue(rig.OpenAlerts.All(a => a.Repeats == 0));
    }

    [TestMethod]
    public async Task StartAsync_WallClockWentBackwards_DowntimeCountsAsNone()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.SilentSmoke("device"));
        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));

        // A box without an RTC may boot with a clock behind the one it had: that says nothing about the downtime.
        await rig.RestartAsync(TimeSpan.FromMinutes(2), time: new ShiftedWallClock(rig.Edge.Time, -TimeSpan.FromDays(300)));
        await rig.AdvanceAsync(TimeSpan.FromSeconds(239));
        Assert.IsEmpty(rig.OpenAlerts);

        await rig.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.HasCount(3, rig.OpenAlerts);
    }

    [TestMethod]
    public async Task StartAsync_CountingWindow_ResumesWithItsRemainingTime()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.TwoPreAlarms("building", distinct: true));
        await rig.EventAsync(DemoLayout.LobbySmoke, "pre-alarm");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(10));

        await rig.RestartAsync(downtime: TimeSpan.FromSeconds(20));
        await rig.AdvanceAsync(TimeSpan.FromSeconds(29));
        await rig.EventAsync(DemoLayout.FirstFloorSmoke, "pre-alarm");

        Assert.AreEqual("2 in building b1", rig.OpenAlerts.Single().Text);
    }

    [TestMethod]
    public async Task StartAsync_CountingWindowRanOutDuringTheDowntime_Forgotten()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.TwoPreAlarms("building", distinct: true));
        await rig.EventAsync(DemoLayout.LobbySmoke, "pre-alarm");
        await rig.AdvanceAsync(TimeSpan.FromSeconds(10));

        await rig.RestartAsync(downtime: TimeSpan.FromSeconds(50));
        await rig.EventAsync(DemoLayout.FirstFloorSmoke, "pre-alarm");

        Assert.IsEmpty(rig.OpenAlerts);
    }

    [TestMethod]
    public async Task StartAsync_RuleChangedWhileDown_ItsOldTimersAreNotResumed()
    {
        await using RuleRig rig = await RuleRig.StartAsync(RuleEngineTests.HeldOpen);
        await rig.StateAsync(StairDoor, "\"door\":\"open\"");
        rig.WriteRules(RuleEngineTests.HeldOpen.Replace("for: 2m", "for: 10m", StringComparison.Ordinal));

        await rig.RestartAsync(downtime: TimeSpan.FromMinutes(1));
        await rig.AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.AreEqual(0, rig.Engine.Status().PendingTimers);
        Assert.IsEmpty(rig.OpenAlerts);
    }

    /// <summary>The fake clock with its wall time moved; the monotonic clock and timers are the fake clock's.</summary>
    private sealed class ShiftedWallClock(TimeProvider inner, TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + shift;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => inner.CreateTimer(callback, state, dueTime, period);
    }
}
