namespace SmartCommunity.Simulator.Tests.Load;

using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Simulator.Load;

/// <summary>Which release arrivals count for an alarm round. Timestamps are given, not taken: no clock, no sleeps.</summary>
[TestClass]
public sealed class AlarmProbeTests
{
    private static readonly AlarmBuilding Building = new("b1", Device("b1-alarm-smoke", DeviceKinds.Smoke), [Device("b1-door-1", DeviceKinds.Door), Device("b1-door-2", DeviceKinds.Door)]);

    [TestMethod]
    public void OnCommand_NewReleaseAtEveryDoorAfterTheAlarm_RoundCompletesWithFirstAndLastDoor()
    {
        var probe = new AlarmProbe();
        AlarmRound round = probe.Arm(Building);

        probe.OnAlarmLeaving("b1-alarm-smoke", 1_000);
        probe.OnCommand("b1-door-1", Release("c-1"), 1_000 + Ticks(2));
        Assert.IsFalse(round.AllReleased.IsCompleted);
        probe.OnCommand("b1-door-2", Release("c-2"), 1_000 + Ticks(5));

        Assert.IsTrue(round.AllReleased.IsCompleted);
        Assert.AreEqual(5.0, round.ToLastDoor!.Value.TotalMilliseconds, 0.01);
        Assert.AreEqual(2.0, round.ToFirstDoor!.Value.TotalMilliseconds, 0.01);
    }

    [TestMethod]
    public void OnAlarmLeaving_OtherDevice_NotTheAlarm()
    {
        var probe = new AlarmProbe();
        AlarmRound round = probe.Arm(Building);

        probe.OnAlarmLeaving("b2-alarm-smoke", 1_000);

        Assert.AreEqual(0L, round.AlarmAt);
    }

    [TestMethod]
    public void OnCommand_ReleaseBeforeTheAlarmLeft_NotCounted()
    {
        var probe = new AlarmProbe();
        AlarmRound round = probe.Arm(Building);

        probe.OnCommand("b1-door-1", Release("c-1"), 500);
        probe.OnAlarmLeaving("b1-alarm-smoke", 1_000);

        Assert.AreEqual(0, round.DoorsReleased);
    }

    [TestMethod]
    public void OnCommand_RetryOfAnEarlierRelease_NotCounted()
    {
        var probe = new AlarmProbe();
        probe.OnCommand("b1-door-1", Release("old"), 100);
        AlarmRound round = probe.Arm(Building);
        probe.OnAlarmLeaving("b1-alarm-smoke", 1_000);

        probe.OnCommand("b1-door-1", Release("old"), 2_000);

        Assert.AreEqual(0, round.DoorsReleased);
    }

    [TestMethod]
    public void OnCommand_OtherCommandsAndOtherBuildings_NotCounted()
    {
        var probe = new AlarmProbe();
        AlarmRound round = probe.Arm(Building);
        probe.OnAlarmLeaving("b1-alarm-smoke", 1_000);

        probe.OnCommand("b1-door-1", Encoding.UTF8.GetBytes("""{"v":1,"id":"c-9","cmd":"reset"}"""), 2_000);
        probe.OnCommand("b2-door-1", Release("c-10"), 2_000);
        probe.OnCommand("b1-door-2", Encoding.UTF8.GetBytes("not json"), 2_000);

        Assert.AreEqual(0, round.DoorsReleased);
        Assert.IsNull(round.ToLastDoor);
    }

    [TestMethod]
    public void OnCommand_AfterDisarm_NotCounted()
    {
        var probe = new AlarmProbe();
        AlarmRound round = probe.Arm(Building);
        probe.OnAlarmLeaving("b1-alarm-smoke", 1_000);
        probe.Disarm();

        probe.OnCommand("b1-door-1", Release("c-1"), 2_000);

        Assert.AreEqual(0, round.DoorsReleased);
    }

    private static long Ticks(double milliseconds) => (long)(milliseconds * Stopwatch.Frequency / 1000);

    private static byte[] Release(string id) =>
        Encoding.UTF8.GetBytes($$"""{"v":1,"id":"{{id}}","cmd":"release","ctr":1,"boot":0,"exp":0,"mac":"","reason":"smoke alarm at b1-alarm-smoke"}""");

    private static DeviceDefinition Device(string id, string kind) =>
        new(id, kind, kind == DeviceKinds.Door ? DeviceKinds.RoleEgressLock : DeviceKinds.RoleDetector, "loadtown", id.Split('-')[0], "f0", "corridor",
            new Dictionary<string, int>(), new Dictionary<string, long>());
}
