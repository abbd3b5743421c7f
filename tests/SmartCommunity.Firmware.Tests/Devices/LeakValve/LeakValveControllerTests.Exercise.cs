namespace SmartCommunity.Firmware.Tests.Devices.LeakValve;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.LeakValve;

/// <summary>The scheduled exercise against seizing (hardware-docs/leak-valve.md, "Exercise").</summary>
public sealed partial class LeakValveControllerTests
{
    private const long Interval = 60_000;

    [TestMethod]
    public void Step_ExerciseIntervalElapsedWhileOpen_MovesOffOpenAndBackAndNeverCloses()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = Interval });
        rig.Step();

        rig.Run(Interval - LeakRig.StepMs);
        Assert.AreEqual(ValveState.Open, rig.Controller.State);
        Assert.AreEqual(1L, rig.Valve.DriveClose.Writes);
        rig.Step(LeakRig.StepMs);
        Assert.AreEqual(ValveState.Exercising, rig.Controller.State);
        Assert.IsTrue(rig.Valve.DriveClose.Energised);
        Assert.IsTrue(rig.LastState().GetProperty("exercising").GetBoolean());
        Assert.AreEqual("open", rig.LastState().GetProperty("target").GetString(), "an exercise does not change the target");

        rig.RunUntil(ValveState.Open);

        Assert.AreEqual("exercise-done", rig.Events()[^1]);
        Assert.AreEqual(1L, rig.Controller.Exercises);
        Assert.IsGreaterThan(rig.Valve.FullTravelMs - 1000, rig.Valve.LowestPosition, "it only left the open switch");
        Assert.IsTrue(rig.Valve.Position >= rig.Valve.FullTravelMs - rig.Valve.SwitchZoneMs);
        Assert.IsFalse(rig.Valve.DriveOpen.Energised);
        JsonElement state = rig.LastState();
        Assert.AreEqual(0L, state.GetProperty("lastExerciseAgoMs").GetInt64());
        Assert.AreEqual("", state.GetProperty("fault").GetString());

        rig.Run(Interval + 5000);
        Assert.AreEqual(2L, rig.Controller.Exercises);
    }

    [TestMethod]
    public void Step_ExerciseWithSeizedValve_StuckAndExerciseFailedButValveStaysOpen()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = Interval });
        rig.Step();
        rig.Valve.Jammed = true;
        rig.Run(Interval);
        Assert.AreEqual(ValveState.Exercising, rig.Controller.State);

        rig.Run(rig.Settings.ExerciseMs - LeakRig.StepMs);
        Assert.AreEqual(ValveState.Exercising, rig.Controller.State);
        rig.Step(LeakRig.StepMs);

        CollectionAssert.AreEqual(new[] { "valve-stuck", "exercise-failed" }, rig.Events().GetRange(rig.Events().Count - 2, 2));
        JsonElement stuck = rig.LastEvent("valve-stuck");
        Assert.AreEqual("close", stuck.GetProperty("driving").GetString());
        Assert.AreEqual("open", stuck.GetProperty("target").GetString());
        Assert.IsTrue(stuck.GetProperty("exercise").GetBoolean());
        Assert.AreEqual(ValveState.Open, rig.Controller.State);
        Assert.IsTrue(rig.Controller.IsStuck);
        Assert.IsFalse(rig.Valve.DriveClose.Energised);
        JsonElement state = rig.LastState();
        Assert.AreEqual("open", state.GetProperty("valve").GetString());
        Assert.AreEqual("stuck", state.GetProperty("fault").GetString());

        rig.Run(Interval - rig.Settings.ExerciseMs - 1000);
        Assert.AreEqual(3L, rig.Valve.DriveClose.Writes, "no new attempt before the next interval");

        rig.Valve.Jammed = false;
        rig.Run(10_000);
        Assert.AreEqual(1L, rig.Controller.Exercises);
        Assert.IsFalse(rig.Controller.IsStuck, "a working exercise clears the fault");
    }

    [TestMethod]
    public void Step_ExerciseDoesNotComeBack_StuckAndExerciseFailedUntilAPersonResets()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = Interval });
        rig.Step();
        rig.RunUntil(ValveState.Returning);
        rig.Valve.Jammed = true;

        rig.Run(rig.Settings.TravelMs);

        CollectionAssert.AreEqual(new[] { "valve-stuck", "exercise-failed" }, rig.Events().GetRange(rig.Events().Count - 2, 2));
        Assert.AreEqual("open", rig.LastEvent("valve-stuck").GetProperty("driving").GetString());
        Assert.AreEqual(ValveState.Stuck, rig.Controller.State);
        Assert.AreEqual("stuck", rig.LastState().GetProperty("valve").GetString());
        Assert.IsFalse(rig.Valve.DriveOpen.Energised);
        long openWrites = rig.Valve.DriveOpen.Writes;
        rig.Run(300_000);
        Assert.AreEqual(openWrites, rig.Valve.DriveOpen.Writes, "neither retried nor exercised again by itself");

        rig.Valve.Jammed = false;
        rig.Command("r1", "reset");
        rig.RunUntil(ValveState.Open);
        Assert.IsFalse(rig.Controller.IsStuck);
    }

    [TestMethod]
    public void Step_LeakDuringExerciseFirstLeg_ClosesFullyWithoutStoppingTheMotor()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = Interval, LeakConfirmMs = 100 }, switchZoneMs: 1000);
        rig.Step();
        rig.Run(Interval);
        Assert.AreEqual(ValveState.Exercising, rig.Controller.State);

        rig.Probe!.Active = true;
        rig.Run(150);
        Assert.AreEqual(ValveState.Closing, rig.Controller.State);
        rig.RunUntil(ValveState.Closed);

        Assert.AreEqual(3L, rig.Valve.DriveClose.Writes, "construction, on once, off on the closed switch");
        Assert.AreEqual("leak", rig.LastEvent("valve-closed").GetProperty("by").GetString());
        Assert.IsLessThanOrEqualTo(rig.Valve.SwitchZoneMs, rig.Valve.Position);
        Assert.DoesNotContain("exercise-done", rig.Events());
        Assert.DoesNotContain("exercise-failed", rig.Events());
    }

    [TestMethod]
    public void Step_LeakDuringExerciseReturn_ReversesAndClosesFully()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = Interval, LeakConfirmMs = 100 }, switchZoneMs: 1000);
        rig.Step();
        rig.RunUntil(ValveState.Returning);

        // The open switch fails on the way back, so the return is still driving when the leak is confirmed.
        rig.Valve.OpenSwitchForced = -1;
        rig.Run(400);
        Assert.AreEqual(ValveState.Returning, rig.Controller.State);
        Assert.IsTrue(rig.Valve.DriveOpen.Energised);

        rig.Probe!.Active = true;
        rig.RunUntil(ValveState.Closing);
        Assert.IsFalse(rig.Valve.DriveOpen.Energised);
        Assert.IsFalse(rig.Valve.DriveClose.Energised, "the reverse pause first");
        rig.RunUntil(ValveState.Closed);

        Assert.AreEqual("leak", rig.Controller.ClosedBy);
        Assert.IsLessThanOrEqualTo(rig.Valve.SwitchZoneMs, rig.Valve.Position);
    }

    [TestMethod]
    public void Step_ExerciseDueWhileProbeWet_WaitsUntilDry()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = Interval, LeakConfirmMs = 600_000 });
        rig.Step();
        rig.Run(Interval - 1000);
        rig.Probe!.Active = true;

        rig.Run(10_000);
        Assert.AreEqual(ValveState.Open, rig.Controller.State);
        Assert.AreEqual(1L, rig.Valve.DriveClose.Writes);

        rig.Probe.Active = false;
        rig.Step(LeakRig.StepMs);
        Assert.AreEqual(ValveState.Exercising, rig.Controller.State);
    }

    [TestMethod]
    public void Step_CompletedMove_RestartsTheExerciseInterval()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = Interval });
        rig.Step();
        rig.Run(20_000);
        rig.Command("c1", "close");
        rig.RunUntil(ValveState.Closed);
        rig.Command("r1", "reset");
        rig.RunUntil(ValveState.Open);

        rig.Run(Interval - LeakRig.StepMs);
        Assert.AreEqual(ValveState.Open, rig.Controller.State);
        rig.Step(LeakRig.StepMs);

        Assert.AreEqual(ValveState.Exercising, rig.Controller.State);
    }

    [TestMethod]
    public void Step_ExerciseIntervalZero_NeverExercises()
    {
        LeakRig rig = new LeakRig(new LeakValveSettings { ExerciseIntervalMs = 0 });
        rig.Step();

        rig.Run(300_000);

        Assert.AreEqual(1L, rig.Valve.DriveClose.Writes);
        Assert.AreEqual(0L, rig.Controller.Exercises);
    }
}
