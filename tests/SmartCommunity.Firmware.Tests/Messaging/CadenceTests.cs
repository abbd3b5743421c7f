namespace SmartCommunity.Firmware.Tests.Messaging;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Messaging;

[TestClass]
public sealed class CadenceTests
{
    [TestMethod]
    public void IsDue_BeforeAndAtPeriod_FalseThenTrueOnce()
    {
        Cadence cadence = new Cadence(1000, 500);

        Assert.IsFalse(cadence.IsDue(1499));
        Assert.IsTrue(cadence.IsDue(1500));
        Assert.IsFalse(cadence.IsDue(1500));
        Assert.IsFalse(cadence.IsDue(2499));
        Assert.IsTrue(cadence.IsDue(2500));
    }

    [TestMethod]
    public void IsDue_LateCall_CountsTheNextPeriodFromThatCall()
    {
        Cadence cadence = new Cadence(1000, 0);

        Assert.IsTrue(cadence.IsDue(3700));

        Assert.IsFalse(cadence.IsDue(4699));
        Assert.IsTrue(cadence.IsDue(4700));
    }

    [TestMethod]
    public void Restart_BeforeDue_PostponesByAWholePeriod()
    {
        Cadence cadence = new Cadence(1000, 0);

        cadence.Restart(900);

        Assert.IsFalse(cadence.IsDue(1000));
        Assert.IsFalse(cadence.IsDue(1899));
        Assert.IsTrue(cadence.IsDue(1900));
    }

    [TestMethod]
    public void IsDue_ClockWrapsPastMaxValue_StillWaitsOnePeriod()
    {
        long start = long.MaxValue - 100;
        Cadence cadence = new Cadence(1000, start);

        Assert.IsFalse(cadence.IsDue(unchecked(start + 500)));
        Assert.IsFalse(cadence.IsDue(unchecked(start + 999)));
        Assert.IsTrue(cadence.IsDue(unchecked(start + 1000)));
    }
}
