namespace SmartCommunity.Firmware.Tests.Devices.LeakValve;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.LeakValve;

/// <summary>What the controller does at power-up (hardware-docs/leak-valve.md, "At boot"): it never moves the valve.</summary>
public sealed partial class LeakValveControllerTests
{
    [TestMethod]
    public void Constructor_MotorOutputsEnergisedBeforeBoot_BothDeEnergised()
    {
        LeakRig rig = new LeakRig(outputsEnergisedAtBoot: true);

        Assert.IsFalse(rig.Valve.DriveOpen.Energised);
        Assert.IsFalse(rig.Valve.DriveClose.Energised);
    }

    [TestMethod]
    public void Constructor_ValveFoundClosed_StaysClosedAndHeldAsLocalUntilAReset()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = Interval }, start: ValveStart.Closed);
        rig.Step();

        rig.Run(300_000);

        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
        Assert.AreEqual(1L, rig.Valve.DriveOpen.Writes);
        Assert.AreEqual(1L, rig.Valve.DriveClose.Writes);
        JsonElement state = rig.LastState();
        Assert.AreEqual("closed", state.GetProperty("valve").GetString());
        Assert.AreEqual("closed", state.GetProperty("target").GetString());
        Assert.AreEqual("local", state.GetProperty("closedBy").GetString());

        rig.Command("r1", "reset");
        rig.RunUntil(ValveState.Open);
        Assert.AreEqual("command", rig.LastEvent("valve-opened").GetProperty("by").GetString());
    }

    [TestMethod]
    public void Constructor_ValveFoundOpen_ReportsOpenAndDoesNotMove()
    {
        LeakRig rig = new LeakRig();
        rig.Step();

        rig.Run(10_000);

        Assert.AreEqual(ValveState.Open, rig.Controller.State);
        Assert.AreEqual(ValveState.Open, rig.Controller.Target);
        Assert.AreEqual("", rig.Controller.ClosedBy);
        Assert.AreEqual(1L, rig.Valve.DriveOpen.Writes);
        Assert.AreEqual(1L, rig.Valve.DriveClose.Writes);
    }

    [TestMethod]
    public void Constructor_NoSwitchActive_ReportsUnknownAndWaitsForAPerson()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = Interval }, start: ValveStart.Middle);
        rig.Step();

        rig.Run(300_000);

        Assert.AreEqual(ValveState.Unknown, rig.Controller.State);
        Assert.AreEqual(1L, rig.Valve.DriveOpen.Writes);
        Assert.AreEqual(1L, rig.Valve.DriveClose.Writes);
        JsonElement state = rig.LastState();
        Assert.AreEqual("unknown", state.GetProperty("valve").GetString());
        Assert.AreEqual("", state.GetProperty("target").GetString());

        rig.Command("r1", "reset");
        rig.RunUntil(ValveState.Open);
    }

    [TestMethod]
    public void Constructor_BothSwitchesActive_ReportsUnknownDoesNotMoveAndSelfTestFails()
    {
        LeakRig rig = new LeakRig(openSwitchForced: 1, closedSwitchForced: 1);
        rig.Step();

        rig.Run(10_000);
        rig.Command("t1", "self-test");

        Assert.AreEqual(ValveState.Unknown, rig.Controller.State);
        Assert.AreEqual(1L, rig.Valve.DriveOpen.Writes);
        Assert.AreEqual(1L, rig.Valve.DriveClose.Writes);
        Assert.AreEqual("unknown", rig.LastState().GetProperty("valve").GetString());
        JsonElement report = rig.LastEvent("self-test-report");
        Assert.AreEqual("fail", report.GetProperty("result").GetString());
        Assert.IsTrue(report.GetProperty("openSwitch").GetBoolean());
        Assert.IsTrue(report.GetProperty("closedSwitch").GetBoolean());
    }

    [TestMethod]
    public void Step_ButtonHeldThroughBoot_NotTakenAsAPress()
    {
        LeakRig rig = new LeakRig(start: ValveStart.Closed, buttonHeldAtBoot: true);
        rig.Step();

        rig.Run(5000);
        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
        Assert.DoesNotContain("reset", rig.Events());

        rig.Button!.Active = false;
        rig.Run(500);
        rig.PressButton();
        rig.RunUntil(ValveState.Open);
    }

    [TestMethod]
    public void Step_ProbeWetAtBoot_ClosesOnceTheLeakIsConfirmed()
    {
        LeakRig rig = new LeakRig();
        rig.Probe!.Active = true;
        rig.Step();

        rig.Run(rig.Settings.LeakConfirmMs - LeakRig.StepMs);
        Assert.AreEqual(ValveState.Open, rig.Controller.State);
        rig.Step(LeakRig.StepMs);

        Assert.AreEqual(ValveState.Closing, rig.Controller.State);
        rig.RunUntil(ValveState.Closed);
    }
}
