namespace SmartCommunity.Simulator.Tests.Simulation;

using System;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed class MotorisedValveTests
{
    private static readonly TimeSpan Travel = TimeSpan.FromSeconds(4);

    [TestMethod]
    public void New_OpenByDefault_OpenSwitchActiveOnly()
    {
        var valve = new MotorisedValve(new FakeTimeProvider(), Travel);

        Assert.AreEqual(ValvePosition.Open, valve.Position);
        Assert.IsTrue(valve.OpenSwitch.IsActive());
        Assert.IsFalse(valve.ClosedSwitch.IsActive());
        Assert.IsFalse(valve.DriveOpen.Energised);
        Assert.IsFalse(valve.DriveClose.Energised);
    }

    [TestMethod]
    public void DriveClose_HeldForTravel_ClosedSwitchActive()
    {
        var time = new FakeTimeProvider();
        var valve = new MotorisedValve(time, Travel);

        valve.DriveClose.Write(true);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.AreEqual(ValvePosition.Between, valve.Position);
        Assert.IsFalse(valve.OpenSwitch.IsActive(), "the open switch lets go as soon as the ball leaves the end");
        Assert.IsFalse(valve.ClosedSwitch.IsActive());
        Assert.AreEqual(0.75, valve.Openness, 1e-9);

        time.Advance(Travel - TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(1));
        Assert.IsFalse(valve.ClosedSwitch.IsActive());

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.IsTrue(valve.ClosedSwitch.IsActive());
        Assert.AreEqual(ValvePosition.Closed, valve.Position);
    }

    [TestMethod]
    public void DriveClose_ReleasedHalfway_BallStaysWhereItIs()
    {
        var time = new FakeTimeProvider();
        var valve = new MotorisedValve(time, Travel);

        valve.DriveClose.Write(true);
        time.Advance(TimeSpan.FromSeconds(2));
        valve.DriveClose.Write(false);
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.AreEqual(0.5, valve.Openness, 1e-9);
        Assert.AreEqual(ValvePosition.Between, valve.Position);
    }

    [TestMethod]
    public void DriveOpen_FromClosed_OpensAfterTravelAndStaysAtTheEndStop()
    {
        var time = new FakeTimeProvider();
        var valve = new MotorisedValve(time, Travel, open: false);

        valve.DriveOpen.Write(true);
        time.Advance(Travel + TimeSpan.FromSeconds(10));

        Assert.AreEqual(ValvePosition.Open, valve.Position);
        Assert.AreEqual(1.0, valve.Openness);
        Assert.IsTrue(valve.OpenSwitch.IsActive());
    }

    [TestMethod]
    public void Seized_MotorEnergised_NothingMoves()
    {
        var time = new FakeTimeProvider();
        var valve = new MotorisedValve(time, Travel) { Seized = true };

        valve.DriveClose.Write(true);
        time.Advance(Travel * 3);

        Assert.AreEqual(ValvePosition.Open, valve.Position);
        Assert.IsTrue(valve.OpenSwitch.IsActive());
        Assert.IsFalse(valve.ClosedSwitch.IsActive());
    }

    [TestMethod]
    public void Seized_Midway_KeepsTheTravelMadeBefore_AndFreedItCarriesOn()
    {
        var time = new FakeTimeProvider();
        var valve = new MotorisedValve(time, Travel);

        valve.DriveClose.Write(true);
        time.Advance(TimeSpan.FromSeconds(1));
        valve.Seized = true;
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.AreEqual(0.75, valve.Openness, 1e-9);

        valve.Seized = false;
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.AreEqual(ValvePosition.Closed, valve.Position);
    }

    [TestMethod]
    public void BothDrives_Energised_NothingMovesAndItIsCounted()
    {
        var time = new FakeTimeProvider();
        var valve = new MotorisedValve(time, Travel);

        valve.DriveClose.Write(true);
        valve.DriveOpen.Write(true);
        time.Advance(Travel);

        Assert.AreEqual(ValvePosition.Open, valve.Position);
        Assert.IsGreaterThan(0L, valve.BothDrivesEnergised);
    }

    [TestMethod]
    public void Unpower_WhileMoving_StopsTheMotor()
    {
        var time = new FakeTimeProvider();
        var valve = new MotorisedValve(time, Travel);

        valve.DriveClose.Write(true);
        time.Advance(TimeSpan.FromSeconds(1));
        valve.Unpower();
        time.Advance(Travel);

        Assert.IsFalse(valve.DriveClose.Energised);
        Assert.AreEqual(0.75, valve.Openness, 1e-9);
    }
}
