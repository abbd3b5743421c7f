namespace SmartCommunity.Firmware.Tests.Devices.LeakValve;

using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.LeakValve;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>Leak detection, the local close, travel and stuck valves, resets and commands (hardware-docs/leak-valve.md).</summary>
[TestClass]
public sealed partial class LeakValveControllerTests
{
    [TestMethod]
    public void Step_WetShorterThanLeakConfirm_NoLeakAndValveNeverDriven()
    {
        LeakRig rig = new LeakRig();
        rig.Step();

        for (int i = 0; i < 5; i++)
        {
            rig.Probe!.Active = true;
            rig.Run(rig.Settings.LeakConfirmMs - LeakRig.StepMs);
            rig.Probe.Active = false;
            rig.Run(1000);
        }

        Assert.IsEmpty(rig.Events());
        Assert.IsFalse(rig.Controller.IsLeak);
        Assert.AreEqual(ValveState.Open, rig.Controller.State);
        Assert.AreEqual(1L, rig.Valve.DriveClose.Writes, "only the de-energising write at construction");
    }

    [TestMethod]
    public void Step_WetForLeakConfirm_LeakEventAndCloseDrivenInTheSameStep()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.Probe!.Active = true;
        rig.Step(LeakRig.StepMs);

        rig.Run(rig.Settings.LeakConfirmMs - LeakRig.StepMs);
        Assert.IsFalse(rig.Controller.IsLeak);
        Assert.IsFalse(rig.Valve.DriveClose.Energised);
        rig.Step(LeakRig.StepMs);

        Assert.IsTrue(rig.Controller.IsLeak);
        Assert.IsTrue(rig.Valve.DriveClose.Energised);
        Assert.AreEqual(ValveState.Closing, rig.Controller.State);
        JsonElement leak = rig.LastEvent("leak");
        Assert.IsTrue(leak.GetProperty("leak").GetBoolean());
        Assert.AreEqual("moving", leak.GetProperty("valve").GetString());
        Assert.AreEqual("closed", leak.GetProperty("target").GetString());
        Assert.AreEqual("leak", leak.GetProperty("closedBy").GetString());
        Assert.AreEqual(1L, rig.Controller.Leaks);
    }

    [TestMethod]
    public void Step_ClosedSwitchReached_MotorOffAndValveClosedEventByLeak()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.Probe!.Active = true;
        rig.Run(rig.Settings.LeakConfirmMs + LeakRig.StepMs);
        Assert.AreEqual(ValveState.Closing, rig.Controller.State);

        rig.Run(LeakRig.ValveTravelMs);

        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
        Assert.IsFalse(rig.Valve.DriveClose.Energised);
        Assert.IsFalse(rig.Valve.DriveOpen.Energised);
        Assert.IsTrue(rig.Valve.IsFullyClosed || rig.Valve.Position <= rig.Valve.SwitchZoneMs);
        Assert.AreEqual("leak", rig.LastEvent("valve-closed").GetProperty("by").GetString());
        JsonElement state = rig.LastState();
        Assert.AreEqual("closed", state.GetProperty("valve").GetString());
        Assert.AreEqual("closed", state.GetProperty("target").GetString());
        Assert.AreEqual("leak", state.GetProperty("closedBy").GetString());
        Assert.AreEqual("", state.GetProperty("fault").GetString());
        Assert.IsTrue(state.GetProperty("leak").GetBoolean());
    }

    [TestMethod]
    public void Step_LeakWhileTransportOffline_ValveClosesLocallyAndLeakSentAfterReconnect()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.Transport.Disconnect();

        rig.Probe!.Active = true;
        rig.Run(rig.Settings.LeakConfirmMs + LeakRig.ValveTravelMs + 1000);

        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
        Assert.IsTrue(rig.Valve.Position <= rig.Valve.SwitchZoneMs);
        Assert.DoesNotContain("leak", rig.Events());

        rig.Transport.Clear();
        rig.Transport.Reconnect();
        rig.Run(3000);

        Assert.AreEqual(1, rig.Count("leak"));
        List<string> topics = rig.Transport.Messages.Select(m => m.Topic).ToList();
        int leak = rig.Transport.Messages.ToList().FindIndex(m => m.Payload.Contains("\"event\":\"leak\"", System.StringComparison.Ordinal));
        int status = topics.IndexOf(rig.Identity.StatusTopic);
        Assert.IsGreaterThanOrEqualTo(0, status);
        Assert.IsGreaterThan(status, leak, "online status before the leak event");
        JsonElement state = rig.LastState();
        Assert.IsTrue(state.GetProperty("leak").GetBoolean());
        Assert.AreEqual("closed", state.GetProperty("valve").GetString());
    }

    [TestMethod]
    public void Step_DryForDryConfirm_LeakClearedButValveStaysClosed()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = 60_000 });
        rig.Step();
        rig.LeakAndClose();

        rig.Probe!.Active = false;
        rig.Step(LeakRig.StepMs);
        rig.Run(rig.Settings.DryConfirmMs - LeakRig.StepMs);
        Assert.IsTrue(rig.Controller.IsLeak);
        rig.Step(LeakRig.StepMs);

        Assert.IsFalse(rig.Controller.IsLeak);
        Assert.AreEqual("leak-cleared", rig.Events()[^1]);
        rig.Run(300_000);
        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
        Assert.AreEqual(1L, rig.Valve.DriveOpen.Writes, "never driven open: only the write at construction");
        JsonElement state = rig.LastState();
        Assert.IsFalse(state.GetProperty("leak").GetBoolean());
        Assert.AreEqual("leak", state.GetProperty("closedBy").GetString());
    }

    [TestMethod]
    public void Step_WetAgainDuringDryConfirm_RestartsTheDryTime()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.LeakAndClose();

        rig.Probe!.Active = false;
        rig.Run(rig.Settings.DryConfirmMs - 1000);
        rig.Probe.Active = true;
        rig.Step(LeakRig.StepMs);
        rig.Probe.Active = false;
        rig.Run(rig.Settings.DryConfirmMs);
        Assert.IsTrue(rig.Controller.IsLeak);

        rig.Step(LeakRig.StepMs);

        Assert.IsFalse(rig.Controller.IsLeak);
        Assert.AreEqual(1, rig.Count("leak"), "a wet blip during a leak is not a new leak");
    }

    [TestMethod]
    public void Step_CloseNotReachedWithinTravelTime_ValveStuckMotorOffAndFault()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.Valve.Jammed = true;

        rig.Command("c1", "close");
        Assert.IsTrue(rig.Valve.DriveClose.Energised);
        rig.Run(rig.Settings.TravelMs - LeakRig.StepMs);
        Assert.AreEqual(ValveState.Closing, rig.Controller.State);
        Assert.IsTrue(rig.Valve.DriveClose.Energised);
        rig.Step(LeakRig.StepMs);

        Assert.AreEqual(ValveState.Stuck, rig.Controller.State);
        Assert.IsTrue(rig.Controller.IsStuck);
        Assert.IsFalse(rig.Valve.DriveClose.Energised);
        Assert.IsFalse(rig.Valve.DriveOpen.Energised);
        JsonElement stuck = rig.LastEvent("valve-stuck");
        Assert.AreEqual("closed", stuck.GetProperty("target").GetString());
        Assert.AreEqual("close", stuck.GetProperty("driving").GetString());
        Assert.AreEqual(1, stuck.GetProperty("attempt").GetInt32());
        Assert.AreEqual(rig.Settings.CloseRetries, stuck.GetProperty("retriesLeft").GetInt32());
        Assert.IsFalse(stuck.GetProperty("exercise").GetBoolean());
        JsonElement state = rig.LastState();
        Assert.AreEqual("stuck", state.GetProperty("valve").GetString());
        Assert.AreEqual("stuck", state.GetProperty("fault").GetString());
        Assert.AreEqual("closed", state.GetProperty("target").GetString());
    }

    [TestMethod]
    public void Step_CloseStaysStuck_RetriedAfterPauseAtMostCloseRetriesTimes()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.Valve.Jammed = true;
        rig.Command("c1", "close");
        rig.RunUntil(ValveState.Stuck);

        rig.Run(rig.Settings.CloseRetryPauseMs - LeakRig.StepMs);
        Assert.AreEqual(ValveState.Stuck, rig.Controller.State, "the motor rests before a retry");
        Assert.IsFalse(rig.Valve.DriveClose.Energised);
        rig.Step(LeakRig.StepMs);
        Assert.AreEqual(ValveState.Closing, rig.Controller.State);
        Assert.IsTrue(rig.Valve.DriveClose.Energised);

        rig.Run(600_000);

        int attempts = 1 + rig.Settings.CloseRetries;
        Assert.AreEqual(attempts, rig.Count("valve-stuck"));
        Assert.AreEqual(ValveState.Stuck, rig.Controller.State);
        Assert.IsFalse(rig.Valve.DriveClose.Energised);
        Assert.AreEqual(1L + (2L * attempts), rig.Valve.DriveClose.Writes, "one on and one off per attempt");
        Assert.AreEqual(0, rig.LastEvent("valve-stuck").GetProperty("retriesLeft").GetInt32());
    }

    [TestMethod]
    public void Step_StuckCloseFreesBeforeRetry_RetryClosesAndClearsFault()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.Valve.Jammed = true;
        rig.Probe!.Active = true;
        rig.RunUntil(ValveState.Stuck);

        rig.Valve.Jammed = false;
        rig.RunUntil(ValveState.Closed);

        Assert.IsFalse(rig.Controller.IsStuck);
        Assert.AreEqual(1, rig.Count("valve-stuck"));
        Assert.AreEqual("leak", rig.LastEvent("valve-closed").GetProperty("by").GetString());
        Assert.AreEqual("", rig.LastState().GetProperty("fault").GetString());
    }

    [TestMethod]
    public void HandleMessage_ResetWhileProbeWet_RejectedLeakActiveAndValveStaysClosed()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.LeakAndClose();

        rig.Command("r1", "reset");
        rig.Run(10_000);

        JsonElement ack = rig.LastAck();
        Assert.AreEqual("rejected", ack.GetProperty("result").GetString());
        Assert.AreEqual("leak-active", ack.GetProperty("reason").GetString());
        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
        Assert.AreEqual("leak", rig.Controller.ClosedBy);
        Assert.AreEqual(1L, rig.Valve.DriveOpen.Writes);
        Assert.DoesNotContain("reset", rig.Events());
    }

    [TestMethod]
    public void HandleMessage_ResetAfterProbeDriesBeforeLeakCleared_RejectedLeakActive()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.LeakAndClose();
        rig.Probe!.Active = false;
        rig.Run(rig.Settings.DryConfirmMs / 2);

        rig.Command("r1", "reset");

        Assert.AreEqual("leak-active", rig.LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
    }

    [TestMethod]
    public void HandleMessage_ResetWhenDry_OpensAndReportsValveOpenedByCommand()
    {
        LeakRig rig = RigClosedForLeakThenDry();

        rig.Command("r1", "reset");

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual("command", rig.LastEvent("reset").GetProperty("by").GetString());
        Assert.AreEqual(ValveState.Opening, rig.Controller.State);
        Assert.IsTrue(rig.Valve.DriveOpen.Energised);
        Assert.AreEqual("", rig.Controller.ClosedBy);
        rig.RunUntil(ValveState.Open);

        Assert.IsFalse(rig.Valve.DriveOpen.Energised);
        Assert.IsTrue(rig.Valve.Position >= rig.Valve.FullTravelMs - rig.Valve.SwitchZoneMs);
        Assert.AreEqual("command", rig.LastEvent("valve-opened").GetProperty("by").GetString());
        JsonElement state = rig.LastState();
        Assert.AreEqual("open", state.GetProperty("valve").GetString());
        Assert.AreEqual("open", state.GetProperty("target").GetString());
        Assert.AreEqual("", state.GetProperty("closedBy").GetString());
    }

    [TestMethod]
    public void Step_ResetButtonPressedWhileWet_IgnoredAndReportedAsRefused()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.LeakAndClose();

        rig.PressButton();
        rig.Run(10_000);

        JsonElement refused = rig.LastEvent("reset-refused");
        Assert.AreEqual("button", refused.GetProperty("by").GetString());
        Assert.AreEqual("leak-active", refused.GetProperty("reason").GetString());
        Assert.AreEqual(1L, rig.Controller.RefusedResets);
        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
        Assert.AreEqual(1L, rig.Valve.DriveOpen.Writes);
        Assert.DoesNotContain("reset", rig.Events());
    }

    [TestMethod]
    public void Step_ResetButtonPressedWhenDry_OpensAndReportsValveOpenedByButton()
    {
        LeakRig rig = RigClosedForLeakThenDry();

        rig.PressButton();
        rig.RunUntil(ValveState.Open);

        Assert.AreEqual("button", rig.LastEvent("reset").GetProperty("by").GetString());
        Assert.AreEqual("button", rig.LastEvent("valve-opened").GetProperty("by").GetString());
        Assert.AreEqual("", rig.Controller.ClosedBy);
    }

    [TestMethod]
    public void Step_ButtonBounceShorterThanDebounce_NotAPress()
    {
        LeakRig rig = RigClosedForLeakThenDry();

        for (int i = 0; i < 10; i++)
        {
            rig.Button!.Active = true;
            rig.Step(rig.Settings.ButtonDebounceMs / 2);
            rig.Button.Active = false;
            rig.Step(rig.Settings.ButtonDebounceMs / 2);
        }

        rig.Run(1000);
        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
        Assert.DoesNotContain("reset", rig.Events());
    }

    [TestMethod]
    public void HandleMessage_Close_ClosesAndStaysClosedUntilReset()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = 60_000 });
        rig.Step();

        rig.Command("c1", "close");

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.IsTrue(rig.Valve.DriveClose.Energised);
        rig.RunUntil(ValveState.Closed);
        Assert.AreEqual("command", rig.LastEvent("valve-closed").GetProperty("by").GetString());
        Assert.AreEqual("command", rig.LastState().GetProperty("closedBy").GetString());

        rig.Run(300_000);
        Assert.AreEqual(ValveState.Closed, rig.Controller.State, "no reopening, no exercise while held closed");
        Assert.AreEqual(1L, rig.Valve.DriveOpen.Writes);

        rig.Command("r1", "reset");
        rig.RunUntil(ValveState.Open);
        Assert.AreEqual("command", rig.LastEvent("valve-opened").GetProperty("by").GetString());
    }

    [TestMethod]
    public void HandleMessage_CloseWhileClosedForLeak_DoneAndLeakStaysTheReason()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.LeakAndClose();
        long writes = rig.Valve.DriveClose.Writes;

        rig.Command("c1", "close");
        rig.Run(1000);

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual("leak", rig.Controller.ClosedBy);
        Assert.AreEqual(writes, rig.Valve.DriveClose.Writes, "nothing to drive");
        Assert.AreEqual(1, rig.Count("valve-closed"));
    }

    [TestMethod]
    public void Step_LeakWhileClosedByCommand_LeakBecomesTheReason()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.Command("c1", "close");
        rig.RunUntil(ValveState.Closed);

        rig.Probe!.Active = true;
        rig.Run(rig.Settings.LeakConfirmMs + 100);

        Assert.AreEqual("leak", rig.Controller.ClosedBy);
        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
    }

    [TestMethod]
    public void HandleMessage_CloseWhileOpening_ReversesAfterBothOutputsRestedOff()
    {
        LeakRig rig = RigClosedForLeakThenDry();
        rig.Command("r1", "reset");
        rig.Run(1000);
        Assert.IsTrue(rig.Valve.DriveOpen.Energised);

        rig.Command("c1", "close");
        Assert.AreEqual(ValveState.Closing, rig.Controller.State);
        Assert.IsFalse(rig.Valve.DriveOpen.Energised);
        Assert.IsFalse(rig.Valve.DriveClose.Energised);
        rig.Run(rig.Settings.ReversePauseMs - LeakRig.StepMs);
        Assert.IsFalse(rig.Valve.DriveClose.Energised, "no reversal under load");
        rig.Step(LeakRig.StepMs);
        Assert.IsTrue(rig.Valve.DriveClose.Energised);

        rig.RunUntil(ValveState.Closed);
        Assert.AreEqual("command", rig.Controller.ClosedBy);
    }

    [TestMethod]
    public void Step_OpenNotReachedWithinTravelTime_StuckTargetOpenAndNoRetry()
    {
        LeakRig rig = RigClosedForLeakThenDry();
        rig.Valve.Jammed = true;

        rig.Command("r1", "reset");
        rig.RunUntil(ValveState.Stuck);
        rig.Run(600_000);

        Assert.AreEqual(1, rig.Count("valve-stuck"));
        JsonElement stuck = rig.LastEvent("valve-stuck");
        Assert.AreEqual("open", stuck.GetProperty("target").GetString());
        Assert.AreEqual("open", stuck.GetProperty("driving").GetString());
        Assert.IsFalse(rig.Valve.DriveOpen.Energised);
        Assert.AreEqual(3L, rig.Valve.DriveOpen.Writes, "one attempt: construction, on, off");
    }

    [TestMethod]
    public void HandleMessage_SelfTest_ReportsProbeSwitchesAndPosition()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.Probe!.Active = true;

        rig.Command("t1", "self-test");

        JsonElement report = rig.LastEvent("self-test-report");
        Assert.AreEqual("pass", report.GetProperty("result").GetString());
        Assert.AreEqual("wet", report.GetProperty("probe").GetString());
        Assert.IsTrue(report.GetProperty("openSwitch").GetBoolean());
        Assert.IsFalse(report.GetProperty("closedSwitch").GetBoolean());
        Assert.AreEqual("open", report.GetProperty("valve").GetString());
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
    }

    [TestMethod]
    public void HandleMessage_SelfTestWhileStuck_ReportsFail()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.Valve.Jammed = true;
        rig.Command("c1", "close");
        rig.RunUntil(ValveState.Stuck);

        rig.Command("t1", "self-test");

        JsonElement report = rig.LastEvent("self-test-report");
        Assert.AreEqual("fail", report.GetProperty("result").GetString());
        Assert.AreEqual("stuck", report.GetProperty("fault").GetString());
        Assert.AreEqual("dry", report.GetProperty("probe").GetString());
    }

    [TestMethod]
    [DataRow("release")]
    [DataRow("lock")]
    [DataRow("unlock")]
    [DataRow("sound")]
    public void HandleMessage_OtherCommand_RejectedNotSupported(string name)
    {
        LeakRig rig = new LeakRig();
        rig.Step();

        rig.Deliver(rig.Identity.CommandTopic, "{\"v\":1,\"id\":\"x1\",\"cmd\":\"" + name + "\",\"call\":\"c9\"}");

        JsonElement ack = rig.LastAck();
        Assert.AreEqual("rejected", ack.GetProperty("result").GetString());
        Assert.AreEqual("not-supported", ack.GetProperty("reason").GetString());
        Assert.AreEqual(ValveState.Open, rig.Controller.State);
    }

    [TestMethod]
    public void Step_BothSwitchesActiveOutsideAMove_ReportedUnknownAfterDebounceAndNotDriven()
    {
        LeakRig rig = new LeakRig();
        rig.Step();

        rig.Valve.ClosedSwitchForced = 1;
        rig.Step(rig.Settings.SwitchDebounceMs / 2);
        Assert.AreEqual(ValveState.Open, rig.Controller.State, "a blip shorter than the debounce");
        rig.Run(rig.Settings.SwitchDebounceMs);

        Assert.AreEqual(ValveState.Unknown, rig.Controller.State);
        Assert.AreEqual("unknown", rig.LastState().GetProperty("valve").GetString());
        rig.Run(10_000);
        Assert.AreEqual(1L, rig.Valve.DriveClose.Writes);
        Assert.AreEqual(1L, rig.Valve.DriveOpen.Writes);
    }

    [TestMethod]
    public void Step_SwitchBounceShorterThanDebounce_NoChangeReported()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        int states = rig.States().Count;

        for (int i = 0; i < 10; i++)
        {
            rig.Valve.OpenSwitchForced = -1;
            rig.Step(rig.Settings.SwitchDebounceMs / 2);
            rig.Valve.OpenSwitchForced = 0;
            rig.Step(rig.Settings.SwitchDebounceMs / 2);
        }

        Assert.AreEqual(ValveState.Open, rig.Controller.State);
        Assert.HasCount(states, rig.States());
    }

    [TestMethod]
    public void Step_LeakWithBothSwitchesActive_DrivesForTravelTimeOnlyThenStuck()
    {
        LeakRig rig = new LeakRig(openSwitchForced: 1, closedSwitchForced: 1);
        rig.Step();
        Assert.AreEqual(ValveState.Unknown, rig.Controller.State);

        rig.Probe!.Active = true;
        rig.RunUntil(ValveState.Closing);
        long started = rig.Now;
        rig.RunUntil(ValveState.Stuck);

        Assert.AreEqual(rig.Settings.TravelMs, rig.Now - started);
        Assert.IsFalse(rig.Valve.DriveClose.Energised);
    }

    [TestMethod]
    public void Step_ValveTurnedByHandOutsideAMove_ReportedAndNeverDrivenBack()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = 60_000 });
        rig.Step();

        rig.Valve.Position = 0;
        rig.Run(300_000);

        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
        Assert.AreEqual(ValveState.Open, rig.Controller.Target);
        Assert.AreEqual(1L, rig.Valve.DriveOpen.Writes);
        Assert.AreEqual(1L, rig.Valve.DriveClose.Writes);
        JsonElement state = rig.LastState();
        Assert.AreEqual("closed", state.GetProperty("valve").GetString());
        Assert.AreEqual("open", state.GetProperty("target").GetString());
    }

    [TestMethod]
    public void Step_HeartbeatElapsed_PublishesTheFullState()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.Transport.Clear();

        rig.Run(rig.Settings.HeartbeatMs - LeakRig.StepMs);
        Assert.IsEmpty(rig.States());
        rig.Step(LeakRig.StepMs);

        JsonElement state = rig.LastState();
        Assert.AreEqual("sensor-valve", state.GetProperty("role").GetString());
        Assert.IsFalse(state.GetProperty("leak").GetBoolean());
        Assert.AreEqual("open", state.GetProperty("valve").GetString());
        Assert.AreEqual("open", state.GetProperty("target").GetString());
        Assert.AreEqual("", state.GetProperty("closedBy").GetString());
        Assert.AreEqual("", state.GetProperty("fault").GetString());
        Assert.AreEqual("dry", state.GetProperty("probe").GetString());
        Assert.IsFalse(state.GetProperty("exercising").GetBoolean());
        Assert.AreEqual(-1L, state.GetProperty("lastExerciseAgoMs").GetInt64());
        Assert.AreEqual(0L, state.GetProperty("leaks").GetInt64());
        Assert.AreEqual(0L, state.GetProperty("dropped").GetInt64());
        Assert.AreEqual(0L, state.GetProperty("rejectedCommands").GetInt64());
    }

    [TestMethod]
    public void Step_FirstStepOnline_PublishesRetainedStatusThenState()
    {
        LeakRig rig = new LeakRig();

        rig.Step();

        Assert.AreEqual(rig.Identity.StatusTopic, rig.Transport.Messages[0].Topic);
        Assert.IsTrue(rig.Transport.Messages[0].Retain);
        JsonElement status = Published.Json(rig.Transport.Messages[0]);
        Assert.AreEqual("leak", status.GetProperty("kind").GetString());
        Assert.AreEqual("sensor-valve", status.GetProperty("role").GetString());
        Assert.AreEqual(rig.Identity.StateTopic, rig.Transport.Messages[1].Topic);
        Assert.HasCount(1, rig.States(), "one state message, not one per change");
    }

    [TestMethod]
    public void Step_ValveRoleWithoutProbe_ReportsRoleValveAndClosesOnlyOnCommand()
    {
        LeakRig rig = new LeakRig(withProbe: false, settings: new LeakValveSettings { ExerciseIntervalMs = 0 });
        rig.Step();
        rig.Run(60_000);
        Assert.AreEqual(ValveState.Open, rig.Controller.State);

        rig.Command("c1", "close");
        rig.RunUntil(ValveState.Closed);
        rig.Command("r1", "reset");
        rig.RunUntil(ValveState.Open);

        Assert.AreEqual("valve", Published.Json(rig.Transport.Messages[0]).GetProperty("role").GetString());
        Assert.AreEqual("none", rig.LastState().GetProperty("probe").GetString());
        Assert.AreEqual("command", rig.LastEvent("valve-closed").GetProperty("by").GetString());
        Assert.AreEqual("command", rig.LastEvent("valve-opened").GetProperty("by").GetString());
    }

    private static LeakRig RigClosedForLeakThenDry()
    {
        LeakRig rig = new LeakRig();
        rig.Step();
        rig.LeakAndClose();
        rig.Probe!.Active = false;
        rig.Run(rig.Settings.DryConfirmMs + LeakRig.StepMs);
        Assert.IsFalse(rig.Controller.IsLeak);
        Assert.AreEqual(ValveState.Closed, rig.Controller.State);
        return rig;
    }
}
