namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed class WallClockTests
{
    [TestMethod]
    public void UnixSeconds_AfterSet_CountsOnWithUptime()
    {
        WallClock clock = new WallClock(null);

        clock.Set(1000, 5000);

        Assert.IsTrue(clock.IsKnown);
        Assert.IsTrue(clock.IsFromEdge);
        Assert.AreEqual(1000L, clock.UnixSeconds(5999));
        Assert.AreEqual(1001L, clock.UnixSeconds(6000));
        Assert.AreEqual(1000L + 86400, clock.UnixSeconds(5000 + 86400000L));
    }

    [TestMethod]
    public void Load_NothingSaved_Unknown()
    {
        WallClock clock = new WallClock(new MemoryStore());

        clock.Load(0);

        Assert.IsFalse(clock.IsKnown);
    }

    [TestMethod]
    public void Load_AfterSet_KnowsTheSavedTimeAsALowerBoundFromItsOwnUptime()
    {
        MemoryStore store = new MemoryStore();
        new WallClock(store).Set(1764320000, 90000);

        WallClock restarted = new WallClock(store);
        restarted.Load(200);

        Assert.IsTrue(restarted.IsKnown);
        Assert.IsFalse(restarted.IsFromEdge);
        Assert.AreEqual(1764320000L, restarted.UnixSeconds(200));
        Assert.AreEqual(1764320010L, restarted.UnixSeconds(10200));
    }

    [TestMethod]
    public void Step_KnownTime_SavedEveryIntervalAndNeverWithZero()
    {
        MemoryStore store = new MemoryStore();
        WallClock clock = new WallClock(store);
        clock.Set(1000, 0);
        Assert.AreEqual(1, store.Writes);

        clock.Step(3599999, 3600000);
        Assert.AreEqual(1, store.Writes);
        clock.Step(3600000, 3600000);
        Assert.AreEqual(2, store.Writes);
        clock.Step(99000000, 0);
        Assert.AreEqual(2, store.Writes);

        WallClock restarted = new WallClock(store);
        restarted.Load(0);
        Assert.AreEqual(1000L + 3600, restarted.UnixSeconds(0));
    }

    [TestMethod]
    public void Step_TimeUnknown_SavesNothing()
    {
        MemoryStore store = new MemoryStore();
        WallClock clock = new WallClock(store);

        clock.Step(99000000, 1000);

        Assert.AreEqual(0, store.Writes);
    }

    [TestMethod]
    public void Load_SavedValueNotPositive_Unknown()
    {
        MemoryStore store = new MemoryStore();
        store.Write(WallClock.StoreKey, new byte[8], 8);
        WallClock clock = new WallClock(store);

        clock.Load(0);

        Assert.IsFalse(clock.IsKnown);
    }
}
