namespace SmartCommunity.Firmware.Tests.Devices.ParkingBarrier;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.ParkingBarrier;

/// <summary>Barrier transitions, one by one, in virtual time (hardware-docs/parking-barrier.md).</summary>
[TestClass]
public sealed partial class BarrierControllerTests
{
    /// <summary>A closed barrier whose sensor has proved healthy, so it may close by itself.</summary>
    private static BarrierRig Ready(bool startOpen = false)
    {
        BarrierRig rig = new BarrierRig(startOpen: startOpen);
        rig.Run(rig.Settings.SensorRecoverMs + BarrierRig.StepMs);
        Assert.IsFalse(rig.Controller.IsSensorFault);
        return rig;
    }

    private static BarrierRig OpenBarrier()
    {
        BarrierRig rig = Ready();
        rig.Command("o1", "open");
        rig.RunUntil(BarrierState.Open);
        return rig;
    }

    // Open, then half a second into a close command's travel.
    private static BarrierRig ClosingBarrier()
    {
        BarrierRig rig = OpenBarrier();
        rig.Command("c1", "close");
        rig.Run(500);
        return rig;
    }

    [TestMethod]
    public void Step_PresenceWhileClosingWithTheLinkDown_ReversesOpenWithoutTheNetwork()
    {
        BarrierRig rig = ClosingBarrier();
        rig.Transport.Disconnect();

        rig.Presence.Active = true;
        rig.Step(BarrierRig.StepMs);

        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        Assert.IsFalse(rig.DriveClose.Energised);
        Assert.IsTrue(rig.DriveOpen.Energised);
        rig.RunUntil(BarrierState.Open);
        Assert.AreEqual(1L, rig.Controller.Obstacles);
    }

    [TestMethod]
    public void Ctor_OnClosedLimit_ClosedWithMotorOff()
    {
        BarrierRig rig = new BarrierRig();

        Assert.AreEqual(BarrierState.Closed, rig.Controller.State);
        Assert.IsFalse(rig.DriveOpen.Energised);
        Assert.IsFalse(rig.DriveClose.Energised);
        Assert.IsTrue(rig.Controller.IsSensorFault, "the sensor must prove itself first");
    }

    [TestMethod]
    public void Ctor_BetweenLimits_DrivesOpen()
    {
        BarrierRig middle = new BarrierRig();
        middle.Position = 1000;
        middle.OpenLimit.Active = false;
        middle.ClosedLimit.Active = false;

        BarrierController controller = new BarrierController(
            middle.Identity, middle.Settings, middle.OpenLimit, middle.ClosedLimit, middle.Arming, middle.Presence, middle.Closing,
            middle.Safety, middle.SensorOk, middle.OpenInput, middle.CloseButton, null, middle.DriveOpen, middle.DriveClose,
            middle.Clock, middle.Transport, 1);

        Assert.AreEqual(BarrierState.Opening, controller.State);
        Assert.IsTrue(middle.DriveOpen.Energised);
        Assert.IsFalse(middle.DriveClose.Energised);
    }

    [TestMethod]
    public void Execute_OpenCommandWhenClosed_DrivesOpenUntilOpenLimit()
    {
        BarrierRig rig = Ready();

        rig.Command("o1", "open");

        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        Assert.IsTrue(rig.DriveOpen.Energised);
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        rig.RunUntil(BarrierState.Open);
        Assert.IsFalse(rig.DriveOpen.Energised);
        Assert.AreEqual(1, rig.Count("barrier-opened"));
        Assert.AreEqual("open", rig.LastState().GetProperty("barrier").GetString());
    }

    [TestMethod]
    public void Step_OpenInputRisingEdge_Opens()
    {
        BarrierRig rig = Ready();

        rig.OpenInput.Active = true;
        rig.Step(BarrierRig.StepMs);

        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        rig.RunUntil(BarrierState.Open);
    }

    [TestMethod]
    public void Step_OpenInputHeldAtBoot_IsNoRequest()
    {
        BarrierRig held = new BarrierRig();
        held.OpenInput.Active = true;
        BarrierController controller = new BarrierController(
            held.Identity, held.Settings, held.OpenLimit, held.ClosedLimit, held.Arming, held.Presence, held.Closing,
            held.Safety, held.SensorOk, held.OpenInput, held.CloseButton, null, held.DriveOpen, held.DriveClose, held.Clock,
            held.Transport, 1);

        controller.Step(100);

        Assert.AreEqual(BarrierState.Closed, controller.State);
    }

    [TestMethod]
    public void Step_EnteringPassageCleared_CountsInAndAutoClosesAfterTheDelay()
    {
        BarrierRig rig = OpenBarrier();

        rig.Drive(entering: true);

        Assert.AreEqual(1L, rig.Controller.VehiclesIn);
        Assert.AreEqual(0L, rig.Controller.VehiclesOut);
        JsonElement passage = rig.EventPayloads().FindLast(e => e.GetProperty("event").GetString() == "passage");
        Assert.AreEqual("in", passage.GetProperty("direction").GetString());
        Assert.IsTrue(rig.Controller.IsClosePending);
        rig.Run(rig.Settings.AutoCloseDelayMs - 2 * BarrierRig.StepMs);
        Assert.AreEqual(BarrierState.Open, rig.Controller.State, "not before the delay");
        rig.Run(2 * BarrierRig.StepMs);
        Assert.AreEqual(BarrierState.Closing, rig.Controller.State);
        Assert.IsTrue(rig.DriveClose.Energised);
        rig.RunUntil(BarrierState.Closed);
        Assert.AreEqual(1, rig.Count("barrier-closed"));
        Assert.AreEqual(1L, rig.LastState().GetProperty("vehiclesIn").GetInt64());
    }

    [TestMethod]
    public void Step_ExitingPassage_CountsOut()
    {
        BarrierRig rig = OpenBarrier();

        rig.Drive(entering: false);

        Assert.AreEqual(0L, rig.Controller.VehiclesIn);
        Assert.AreEqual(1L, rig.Controller.VehiclesOut);
        Assert.AreEqual(1L, rig.LastState().GetProperty("vehiclesOut").GetInt64());
    }

    [TestMethod]
    public void Step_VehicleBacksOffTheArmingLoop_NoCountNoClose()
    {
        BarrierRig rig = OpenBarrier();

        rig.Arming.Active = true;
        rig.Run(500);
        rig.Arming.Active = false;
        rig.Run(rig.Settings.AutoCloseDelayMs * 3);

        Assert.AreEqual(0L, rig.Controller.VehiclesIn + rig.Controller.VehiclesOut);
        Assert.AreEqual(0, rig.Count("passage"));
        Assert.AreEqual(BarrierState.Open, rig.Controller.State);
    }

    [TestMethod]
    public void Step_OpenWithNoVehicle_NeverClosesOnATimerAlone()
    {
        BarrierRig rig = OpenBarrier();

        rig.Run(10 * 60 * 1000);

        Assert.AreEqual(BarrierState.Open, rig.Controller.State);
        Assert.IsFalse(rig.Controller.IsClosePending);
    }

    [TestMethod]
    public void Step_PresenceWhileClosing_ReversesOpenWithCloseOffInTheSameStep()
    {
        BarrierRig rig = ClosingBarrier();
        Assert.AreEqual(BarrierState.Closing, rig.Controller.State);

        rig.Presence.Active = true;
        rig.Step(BarrierRig.StepMs);

        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        Assert.IsFalse(rig.DriveClose.Energised);
        Assert.IsTrue(rig.DriveOpen.Energised);
        Assert.AreEqual(1, rig.Count("obstacle"));
        Assert.AreEqual(1L, rig.Controller.Obstacles);
        rig.RunUntil(BarrierState.Open);
    }

    [TestMethod]
    public void Step_SafetyInputWhileClosing_ReversesOpen()
    {
        BarrierRig rig = ClosingBarrier();

        rig.Safety.Active = true;
        rig.Step(BarrierRig.StepMs);

        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        Assert.IsFalse(rig.DriveClose.Energised);
        JsonElement obstacle = rig.EventPayloads().FindLast(e => e.GetProperty("event").GetString() == "obstacle");
        Assert.IsTrue(obstacle.GetProperty("safety").GetBoolean());
    }

    [TestMethod]
    public void Step_ObstacleReversedAClose_ClosesAgainOnceClearAfterTheDelay()
    {
        BarrierRig rig = ClosingBarrier();
        rig.Safety.Active = true;
        rig.Step(BarrierRig.StepMs);
        rig.RunUntil(BarrierState.Open);

        rig.Run(rig.Settings.AutoCloseDelayMs * 2);
        Assert.AreEqual(BarrierState.Open, rig.Controller.State, "no close while the beam is still broken");
        Assert.IsTrue(rig.Controller.IsClosePending);

        rig.Safety.Active = false;
        rig.Step(BarrierRig.StepMs);
        rig.RunUntil(BarrierState.Closed);
        Assert.AreEqual(1L, rig.Controller.Obstacles);
    }

    [TestMethod]
    public void Step_ObstacleDuringHoldToRun_DoesNotCloseAgainByItself()
    {
        BarrierRig rig = OpenBarrier();
        rig.SensorOk.Active = false;
        rig.Step(BarrierRig.StepMs);
        rig.CloseButton.Active = true;
        rig.Run(500);
        Assert.AreEqual(BarrierState.Closing, rig.Controller.State);

        rig.Safety.Active = true;
        rig.Step(BarrierRig.StepMs);
        rig.CloseButton.Active = false;
        rig.Safety.Active = false;
        rig.RunUntil(BarrierState.Open);
        rig.Run(rig.Settings.AutoCloseDelayMs * 3);

        Assert.AreEqual(BarrierState.Open, rig.Controller.State);
        Assert.IsFalse(rig.Controller.IsClosePending);
    }

    [TestMethod]
    public void Execute_CloseWhileSomethingUnderTheArm_WaitsUntilClear()
    {
        BarrierRig rig = OpenBarrier();
        rig.Presence.Active = true;

        rig.Command("c1", "close");
        rig.Run(2000);

        Assert.AreEqual(BarrierState.Open, rig.Controller.State);
        Assert.IsTrue(rig.Controller.IsClosePending);
        rig.Presence.Active = false;
        rig.Step(BarrierRig.StepMs);
        Assert.AreEqual(BarrierState.Closing, rig.Controller.State);
    }

    [TestMethod]
    public void Step_ArmJammed_MotorTimeoutFaultThenOpenRetries()
    {
        BarrierRig rig = Ready();
        rig.Jammed = true;
        rig.Command("o1", "open");

        rig.Run(rig.Settings.MotorRunMs + BarrierRig.StepMs);

        Assert.AreEqual(BarrierState.Fault, rig.Controller.State);
        Assert.IsFalse(rig.DriveOpen.Energised);
        JsonElement fault = rig.EventPayloads().FindLast(e => e.GetProperty("event").GetString() == "fault");
        Assert.AreEqual("motor-timeout", fault.GetProperty("reason").GetString());
        Assert.AreEqual("open", fault.GetProperty("driving").GetString());
        Assert.AreEqual(1L, rig.Controller.Faults);

        rig.Jammed = false;
        rig.Command("o2", "open");
        rig.RunUntil(BarrierState.Open);
    }

    [TestMethod]
    public void Step_ArmJammedWhileClosing_MotorTimeoutFaultAndResetReopens()
    {
        BarrierRig rig = OpenBarrier();
        rig.Jammed = true;
        rig.Command("c1", "close");

        rig.Run(rig.Settings.MotorRunMs + BarrierRig.StepMs);

        Assert.AreEqual(BarrierState.Fault, rig.Controller.State);
        Assert.IsFalse(rig.DriveClose.Energised);
        JsonElement fault = rig.EventPayloads().FindLast(e => e.GetProperty("event").GetString() == "fault");
        Assert.AreEqual("close", fault.GetProperty("driving").GetString());
        Assert.AreEqual("fault", rig.LastState().GetProperty("barrier").GetString());

        rig.Jammed = false;
        rig.Command("r1", "reset");
        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        rig.RunUntil(BarrierState.Open);
    }

    [TestMethod]
    public void Step_SensorFaultButtonHeldWithPresence_NeverStartsAClose()
    {
        BarrierRig rig = OpenBarrier();
        rig.SensorOk.Active = false;
        rig.Presence.Active = true;
        rig.CloseButton.Active = true;

        rig.Run(1000);

        Assert.AreEqual(BarrierState.Open, rig.Controller.State);
        Assert.AreEqual(0, rig.Count("obstacle"), "no close started into the obstacle");
    }

    [TestMethod]
    public void Step_SensorMonitoringLost_SensorFaultEventAndRemoteCloseRefused()
    {
        BarrierRig rig = OpenBarrier();

        rig.SensorOk.Active = false;
        rig.Step(BarrierRig.StepMs);
        rig.Command("c1", "close");

        Assert.IsTrue(rig.Controller.IsSensorFault);
        Assert.AreEqual(1, rig.Count("sensor-fault"));
        JsonElement ack = rig.LastAck();
        Assert.AreEqual("rejected", ack.GetProperty("result").GetString());
        Assert.AreEqual("safety-sensor-fault", ack.GetProperty("reason").GetString());
        rig.Run(2000);
        Assert.AreEqual(BarrierState.Open, rig.Controller.State);
    }

    [TestMethod]
    public void Step_SensorFaultWhileClosing_ReversesOpen()
    {
        BarrierRig rig = ClosingBarrier();

        rig.SensorOk.Active = false;
        rig.Step(BarrierRig.StepMs);

        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        Assert.IsFalse(rig.DriveClose.Energised);
    }

    [TestMethod]
    public void Step_SensorFaultAndCloseButtonHeld_ClosesOnlyWhileHeld()
    {
        BarrierRig rig = OpenBarrier();
        rig.SensorOk.Active = false;
        rig.Step(BarrierRig.StepMs);

        rig.CloseButton.Active = true;
        rig.Step(BarrierRig.StepMs);
        Assert.AreEqual(BarrierState.Closing, rig.Controller.State);
        Assert.IsTrue(rig.DriveClose.Energised);
        rig.Run(500);

        rig.CloseButton.Active = false;
        rig.Step(BarrierRig.StepMs);
        Assert.AreEqual(BarrierState.Opening, rig.Controller.State, "release ends the close and the arm goes back open");
        Assert.IsFalse(rig.DriveClose.Energised);

        rig.RunUntil(BarrierState.Open);
        rig.CloseButton.Active = true;
        rig.RunUntil(BarrierState.Closed);
    }

    [TestMethod]
    public void Step_SensorFaultHoldToRunWithPresence_CloseNeverEnergised()
    {
        BarrierRig rig = OpenBarrier();
        rig.SensorOk.Active = false;
        rig.Presence.Active = true;

        rig.CloseButton.Active = true;
        rig.Run(1000);

        Assert.IsFalse(rig.DriveClose.Energised);
        Assert.AreNotEqual(BarrierState.Closed, rig.Controller.State);
    }

    [TestMethod]
    public void Execute_OpenAndEvacuateWithSensorFault_Accepted()
    {
        BarrierRig rig = new BarrierRig(sensorOk: false);

        rig.Command("o1", "open");
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        rig.RunUntil(BarrierState.Open);
        rig.Command("e1", "evacuate");
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.IsTrue(rig.Controller.IsEvacuating);
    }

    [TestMethod]
    public void Step_SensorHealthyForRecoverTime_FaultClearsAndCloseAccepted()
    {
        BarrierRig rig = OpenBarrier();
        rig.SensorOk.Active = false;
        rig.Step(BarrierRig.StepMs);

        rig.SensorOk.Active = true;
        rig.Run(rig.Settings.SensorRecoverMs - BarrierRig.StepMs);
        Assert.IsTrue(rig.Controller.IsSensorFault);
        rig.Run(2 * BarrierRig.StepMs);
        Assert.IsFalse(rig.Controller.IsSensorFault);
        Assert.AreEqual(2, rig.Count("sensor-ok"), "once at boot, once after the fault");

        rig.Command("c1", "close");
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        rig.RunUntil(BarrierState.Closed);
    }

    [TestMethod]
    public void Execute_EvacuateWhileClosing_ReversesAndLatchesOpen()
    {
        BarrierRig rig = ClosingBarrier();

        rig.Command("e1", "evacuate");

        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        Assert.IsFalse(rig.DriveClose.Energised);
        Assert.AreEqual(1, rig.Count("evacuation"));
        rig.RunUntil(BarrierState.Open);
        rig.Command("c2", "close");
        Assert.AreEqual("fire-active", rig.LastAck().GetProperty("reason").GetString());
        rig.Drive(entering: false);
        rig.CloseButton.Active = true;
        rig.Run(5000);
        Assert.AreEqual(BarrierState.Open, rig.Controller.State, "neither a passage nor the button closes it");
        Assert.IsTrue(rig.LastState().GetProperty("evacuating").GetBoolean());
    }

    [TestMethod]
    public void Execute_ResetAfterEvacuation_UnlatchesAndClosesAgain()
    {
        BarrierRig rig = OpenBarrier();
        rig.Command("e1", "evacuate");

        rig.Command("r1", "reset");

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.IsFalse(rig.Controller.IsEvacuating);
        Assert.AreEqual(1, rig.Count("reset"));
        rig.Command("c1", "close");
        rig.RunUntil(BarrierState.Closed);
    }

    [TestMethod]
    public void HandleMessage_FireAlarm_OpensAndLatchesAndResetRefusedUntilClear()
    {
        BarrierRig rig = Ready();

        rig.Deliver(rig.Identity.FireStateTopic, "{\"v\":1,\"state\":\"alarm\"}");

        Assert.IsTrue(rig.Controller.IsEvacuating);
        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        rig.RunUntil(BarrierState.Open);
        rig.Command("r1", "reset");
        Assert.AreEqual("fire-active", rig.LastAck().GetProperty("reason").GetString());
        Assert.IsTrue(rig.Controller.IsEvacuating);

        rig.Deliver(rig.Identity.FireStateTopic, "{\"v\":1,\"state\":\"clear\"}");
        Assert.IsTrue(rig.Controller.IsEvacuating, "a clear fire state does not unlatch by itself");
        rig.Command("r2", "reset");
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.IsFalse(rig.Controller.IsEvacuating);
    }

    [TestMethod]
    public void HandleMessage_MalformedFireState_Ignored()
    {
        BarrierRig rig = Ready();

        rig.Deliver(rig.Identity.FireStateTopic, "{\"v\":1,\"state\":\"smoke\"}");

        Assert.IsFalse(rig.Controller.IsEvacuating);
        Assert.AreEqual(BarrierState.Closed, rig.Controller.State);
    }

    [TestMethod]
    public void Step_LocalCloseButtonWithHealthySensor_Closes()
    {
        BarrierRig rig = OpenBarrier();

        rig.CloseButton.Active = true;
        rig.Step(BarrierRig.StepMs);
        rig.CloseButton.Active = false;

        Assert.AreEqual(BarrierState.Closing, rig.Controller.State);
        rig.RunUntil(BarrierState.Closed);
    }

    [TestMethod]
    public void Execute_OpenWhileClosing_ReversesAndCancelsPendingClose()
    {
        BarrierRig rig = ClosingBarrier();

        rig.Command("o2", "open");

        Assert.AreEqual(BarrierState.Opening, rig.Controller.State);
        Assert.IsFalse(rig.Controller.IsClosePending);
        rig.RunUntil(BarrierState.Open);
    }

    [TestMethod]
    public void Execute_SelfTest_PublishesReport()
    {
        BarrierRig rig = Ready();

        rig.Command("s1", "self-test");

        JsonElement report = rig.EventPayloads().FindLast(e => e.GetProperty("event").GetString() == "self-test-report");
        Assert.AreEqual("pass", report.GetProperty("result").GetString());
        Assert.IsTrue(report.GetProperty("closedLimit").GetBoolean());
    }

    [TestMethod]
    public void Execute_UnsupportedCommand_NotSupported()
    {
        BarrierRig rig = Ready();

        rig.Command("u1", "unlock");

        Assert.AreEqual("not-supported", rig.LastAck().GetProperty("reason").GetString());
    }
}
