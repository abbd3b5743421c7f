namespace SmartCommunity.Simulator.Tests.Simulation;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Devices.ParkingBarrier;
using SmartCommunity.Simulation.Devices;
using SmartCommunity.Simulation.Hardware;
using BarrierLane = SmartCommunity.Simulation.Hardware.BarrierLane;
using SmartCommunity.Simulator.Tests.Scenarios;

/// <summary>
/// The simulated barrier lane (Hardware/BarrierLane.cs): the arm follows its drives, vehicles wait for it and cross the
/// loops in order, and the safety record catches what the barrier must never do. Then the real controller on it as a
/// virtual device of the parking layout (no broker: port 1 on loopback has nothing listening).
/// </summary>
[TestClass]
public sealed class BarrierLaneTests
{
    private const long TravelMs = 3000;

    [TestMethod]
    public void Arm_DriveOpenForItsTravel_ReachesTheOpenLimitAndLeavesTheClosedOne()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs);
        Assert.IsTrue(lane.ClosedLimit.IsActive());

        lane.DriveOpen.Write(true);
        time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.AreEqual(ArmPosition.Between, lane.Position);
        Assert.IsFalse(lane.ClosedLimit.IsActive());
        time.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.IsTrue(lane.OpenLimit.IsActive());
        Assert.IsFalse(lane.ClosedLimit.IsActive());
        Assert.AreEqual(ArmPosition.Up, lane.Position);
    }

    [TestMethod]
    public void Arm_Jammed_DoesNotMoveWhateverTheDrive()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs) { Jammed = true };

        lane.DriveOpen.Write(true);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.AreEqual(ArmPosition.Down, lane.Position);
        Assert.IsTrue(lane.ClosedLimit.IsActive());
    }

    [TestMethod]
    public void Vehicle_ArmDown_WaitsOnTheFirstLoopAndPulsesTheOpenInput()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs);

        lane.AddVehicle(inbound: true, TimeSpan.Zero, pulseOpenInput: true);
        time.Advance(TimeSpan.FromMilliseconds(100));

        // The lane moves when one of its modelled inputs is read (the controller reads the loops every step).
        Assert.IsTrue(lane.ArmingLoop.IsActive());
        Assert.IsTrue(lane.OpenInput.IsActive(), "the ticket machine's relay pulses at the stop line");
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.IsTrue(lane.ArmingLoop.IsActive());
        Assert.IsFalse(lane.PresenceLoop.IsActive());
        Assert.AreEqual(1, lane.Waiting);
        Assert.AreEqual(0L, lane.PassedIn);
    }

    [TestMethod]
    public void Vehicle_Inbound_CrossesArmingPresenceClosingInOrderAndBreaksTheBeamUnderTheArm()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs, open: true);

        lane.AddVehicle(inbound: true, TimeSpan.Zero);
        List<string> order = Trace(time, lane, TimeSpan.FromSeconds(6));

        CollectionAssert.AreEqual(
            new[] { "arming", "arming+presence", "arming+presence+safety", "arming+presence+safety+closing", "presence+safety+closing", "presence+closing", "closing", "-" },
            order);
        Assert.AreEqual(1L, lane.PassedIn);
        Assert.AreEqual(0L, lane.PassedOut);
    }

    [TestMethod]
    public void Vehicle_Outbound_ReachesTheClosingLoopFirst()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs, open: true);

        lane.AddVehicle(inbound: false, TimeSpan.Zero);
        time.Advance(TimeSpan.FromMilliseconds(10));

        Assert.IsTrue(lane.ClosingLoop.IsActive());
        Assert.IsFalse(lane.ArmingLoop.IsActive());
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.AreEqual(1L, lane.PassedOut);
    }

    [TestMethod]
    public void Vehicle_StopUnder_StaysOnThePresenceLoopAndInTheBeamThatLong()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs, open: true);

        lane.AddVehicle(inbound: true, TimeSpan.Zero, stopUnder: TimeSpan.FromSeconds(20));
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.IsTrue(lane.PresenceLoop.IsActive());
        Assert.IsTrue(lane.Safety.IsActive());
        Assert.AreEqual(0L, lane.PassedIn);
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.AreEqual(1L, lane.PassedIn);
        Assert.IsFalse(lane.PresenceLoop.IsActive());
    }

    [TestMethod]
    public void Queue_TwoVehicles_TheSecondEntersTheLoopsOnlyAfterTheFirstHasLeftThem()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs, open: true);

        lane.AddVehicle(inbound: true, TimeSpan.Zero);
        lane.AddVehicle(inbound: true, TimeSpan.Zero);
        List<string> trace = Trace(time, lane, TimeSpan.FromSeconds(12));

        int firstClear = trace.IndexOf("-");
        Assert.IsGreaterThan(0, firstClear, "the loops are all clear between the two vehicles");
        Assert.IsTrue(trace.Skip(firstClear).Any(s => s.StartsWith("arming", StringComparison.Ordinal)), "the second comes after the gap");
        Assert.AreEqual(2L, lane.PassedIn);
    }

    [TestMethod]
    public void Beam_Blocked_SafetyActiveWithNoVehicle()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs) { BeamBlocked = true };

        Assert.IsTrue(lane.Safety.IsActive());
        Assert.IsFalse(lane.PresenceLoop.IsActive());
    }

    [TestMethod]
    public void Violations_CloseSwitchedOnWithTheBeamBroken_Recorded()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs, open: true) { BeamBlocked = true };

        lane.DriveClose.Write(true);

        Assert.HasCount(1, lane.Violations);
        StringAssert.Contains(lane.Violations[0].What, "photo-eye");
    }

    [TestMethod]
    public void Violations_ArmDrivenDownOntoAStandingVehicle_Recorded()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs, open: true);
        lane.AddVehicle(inbound: true, TimeSpan.Zero, stopUnder: TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.IsEmpty(lane.Violations);

        lane.DriveClose.Write(true);
        time.Advance(TimeSpan.FromMilliseconds(100));
        lane.CheckAfterStep();

        string[] what = lane.Violations.Select(v => v.What).ToArray();
        Assert.IsTrue(what.Any(w => w.Contains("moved down onto vehicle 1", StringComparison.Ordinal)), string.Join("; ", what));
        Assert.IsTrue(what.Any(w => w.Contains("after a controller step", StringComparison.Ordinal)), string.Join("; ", what));
    }

    [TestMethod]
    public void Violations_BothDrives_RecordedAndTheArmStays()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs);

        lane.DriveOpen.Write(true);
        lane.DriveClose.Write(true);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.IsTrue(lane.Violations.Any(v => v.What == "both drive outputs energised"));
        Assert.IsTrue(lane.ClosedLimit.IsActive());
    }

    [TestMethod]
    public void Violations_ArmClosingWithTheLaneEmpty_NoneRecorded()
    {
        var time = new FakeTimeProvider();
        var lane = new BarrierLane(time, TravelMs, open: true);

        lane.DriveClose.Write(true);
        time.Advance(TimeSpan.FromSeconds(4));
        lane.CheckAfterStep();

        Assert.IsEmpty(lane.Violations);
        Assert.AreEqual(ArmPosition.Down, lane.Position);
    }

    [TestMethod]
    public void Barrier_LayoutParams_ReachTheFirmwareSettingsAndTheArm()
    {
        BarrierSettings settings = FirmwareSettings.Barrier(Device("b1-barrier-in"));

        Assert.AreEqual(60000L, settings.HeartbeatMs);
        Assert.AreEqual(new BarrierSettings().MotorRunMs, settings.MotorRunMs);
        Assert.IsTrue(VirtualDevice.HasWiegandReader(Device("b1-barrier-in")));
        Assert.IsFalse(VirtualDevice.HasWiegandReader(Device("b1-barrier-out")));
        CollectionAssert.IsSubsetOf(
            new[] { "openLimit", "closedLimit", "armingLoop", "presenceLoop", "closingLoop", "safety", "sensorOk", "openInput", "closeButton", "driveOpen", "driveClose" },
            VirtualDevice.PinsOf(Device("b1-barrier-out"))!.Keys.ToArray());
    }

    [TestMethod]
    public async Task Step_VehicleThroughTheRealController_CountedInAndClosedAfterIt()
    {
        var time = new FakeTimeProvider();
        await using VirtualDevice barrier = VirtualDevice.Create(Device("b1-barrier-out"), "127.0.0.1", 1, time, TimeSpan.FromMilliseconds(50));
        barrier.StartManual();
        var controller = (BarrierController)barrier.Firmware;

        barrier.Lane!.AddVehicle(inbound: true, TimeSpan.Zero, pulseOpenInput: true);
        Run(barrier, time, TimeSpan.FromSeconds(9));
        Assert.AreEqual(1L, controller.VehiclesIn);
        Run(barrier, time, TimeSpan.FromSeconds(6));

        Assert.AreEqual(BarrierState.Closed, controller.State);
        Assert.AreEqual(ArmPosition.Down, barrier.Lane.Position);
        Assert.IsEmpty(barrier.Lane.Violations);
    }

    [TestMethod]
    public async Task Step_CardAtTheEntryLane_BecomesAnEntryRequestEvent()
    {
        var time = new FakeTimeProvider();
        await using VirtualDevice barrier = VirtualDevice.Create(Device("b1-barrier-in"), "127.0.0.1", 1, time, TimeSpan.FromMilliseconds(50));
        barrier.StartManual();

        barrier.Lane!.AddVehicle(inbound: true, TimeSpan.Zero, card: 1180882);
        Run(barrier, time, TimeSpan.FromSeconds(1));

        // No broker: the controller answers the read at once with the reader's "denied" and sends nothing.
        Assert.AreEqual(1L, barrier.CardReader!.FramesSent);
        Assert.AreEqual(0, barrier.CardReader.Pending);
        Assert.AreEqual(BarrierState.Closed, ((BarrierController)barrier.Firmware).State);
    }

    private static void Run(VirtualDevice device, FakeTimeProvider time, TimeSpan span)
    {
        for (TimeSpan t = TimeSpan.Zero; t < span; t += TimeSpan.FromMilliseconds(50))
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            device.Step();
        }
    }

    // The loops' levels every 50 ms, as "arming+presence+safety+closing" ("-" when all are clear), changes only.
    private static List<string> Trace(FakeTimeProvider time, BarrierLane lane, TimeSpan span)
    {
        var trace = new List<string>();
        for (TimeSpan t = TimeSpan.Zero; t < span; t += TimeSpan.FromMilliseconds(50))
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            string[] on = new[] { ("arming", lane.ArmingLoop), ("presence", lane.PresenceLoop), ("safety", lane.Safety), ("closing", lane.ClosingLoop) }
                .Where(p => p.Item2.IsActive()).Select(p => p.Item1).ToArray();
            string now = on.Length == 0 ? "-" : string.Join("+", on);
            if (trace.Count == 0 || trace[^1] != now)
            {
                trace.Add(now);
            }
        }

        return trace;
    }

    private static DeviceDefinition Device(string id) => LayoutLoader.Load(ScenarioFiles.ParkingLayout).DevicesById[id];
}
