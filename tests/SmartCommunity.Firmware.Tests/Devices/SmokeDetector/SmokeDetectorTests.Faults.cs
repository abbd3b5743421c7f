namespace SmartCommunity.Firmware.Tests.Devices.SmokeDetector;

using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.SmokeDetector;

/// <summary>Dirty chamber, stuck sensor, several faults at once, and the confirmation clamp (smoke-detector.md, "Faults").</summary>
public sealed partial class SmokeDetectorTests
{
    private const int DirtyReading = 500;

    [TestMethod]
    public void Step_DefaultSettingsReadingDriftsAboveDirtyLevel_DirtyChamberAfterBaselineAndConfirmTime()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        // The baseline (5 min time constant) passes 450 after about 416 s, then must stay there for an hour. The
        // reading wobbles by a count, as a live head does, so it is not stuck.
        RunWobbling(rig, DirtyReading, 400_000 + rig.Settings.DirtyChamberConfirmMs);
        Assert.AreEqual(0, rig.Detector.Faults);
        RunWobbling(rig, DirtyReading, 60_000);

        Assert.AreEqual(SmokeFaults.DirtyChamber, rig.Detector.Faults);
        JsonElement fault = rig.Event("fault");
        Assert.AreEqual("dirty-chamber", fault.GetProperty("cause").GetString());
        Assert.AreEqual("normal", fault.GetProperty("state").GetString());
        Assert.AreEqual(SmokeState.Normal, rig.Detector.State);
        Assert.IsGreaterThan(DirtyReading - 5, rig.Detector.Baseline);
    }

    [TestMethod]
    public void Step_BaselineAboveDirtyLevelShorterThanConfirmTime_NoFault()
    {
        SmokeRig rig = new SmokeRig(FastDirtySettings());
        rig.Step();

        for (int i = 0; i < 5; i++)
        {
            rig.Head.Value = DirtyReading;
            rig.Run(rig.Settings.DirtyChamberConfirmMs / 2);
            rig.Head.Value = SmokeRig.CleanAir;
            rig.Run(rig.Settings.DirtyChamberConfirmMs / 2);
        }

        Assert.IsEmpty(rig.Events());
    }

    [TestMethod]
    public void Step_BaselineHeldAboveDirtyLevel_FaultListedInStateAndClearedOnceBaselineStaysBelow()
    {
        SmokeRig rig = RigWithDirtyChamber();
        CollectionAssert.AreEqual(new[] { "dirty-chamber" }, Faults(rig.LastState()));

        rig.Head.Value = SmokeRig.CleanAir;
        rig.Run(rig.Settings.DirtyChamberConfirmMs - 1000);
        Assert.DoesNotContain("fault-cleared", rig.Events());
        rig.Run(5000);

        Assert.AreEqual("fault-cleared", rig.Events()[^1]);
        Assert.AreEqual("dirty-chamber", rig.EventPayloads()[^1].GetProperty("cause").GetString());
        Assert.IsEmpty(Faults(rig.LastState()));
        Assert.AreEqual(SmokeRig.CleanAir, rig.LastState().GetProperty("baseline").GetInt32());
    }

    [TestMethod]
    public void Step_SmokeWithDirtyChamber_AlarmStillRaised()
    {
        SmokeRig rig = RigWithDirtyChamber();

        rig.Head.Value = SmokeRig.Smoke;
        rig.Run(rig.Settings.ConfirmationMs + 100);

        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
        CollectionAssert.AreEqual(new[] { "fault", "pre-alarm", "alarm" }, rig.Events());
        CollectionAssert.AreEqual(new[] { "dirty-chamber" }, Faults(rig.LastState()));
        Assert.IsTrue(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Step_DirtyChamberRaisedDuringAlarm_ReportedAlarmStands()
    {
        SmokeDetectorSettings settings = FastDirtySettings();
        settings.RestoreMs = 600_000;
        SmokeRig rig = new SmokeRig(settings);
        rig.Step();
        rig.Head.Value = SmokeRig.Smoke;
        rig.Run(settings.ConfirmationMs + 100);

        rig.Head.Value = DirtyReading;
        rig.Run(settings.DirtyChamberConfirmMs + 10_000);

        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
        JsonElement fault = rig.Event("fault");
        Assert.AreEqual("dirty-chamber", fault.GetProperty("cause").GetString());
        Assert.AreEqual("alarm", fault.GetProperty("state").GetString());
        Assert.IsTrue(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Step_ReadingUnchangedForStuckTime_SensorStuckFaultStateUnchanged()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        rig.Run(rig.Settings.StuckAfterMs - 100);
        Assert.IsEmpty(rig.Events());
        rig.Step(100);

        CollectionAssert.AreEqual(new[] { "fault" }, rig.Events());
        Assert.AreEqual("sensor-stuck", rig.EventPayloads()[0].GetProperty("cause").GetString());
        Assert.AreEqual(SmokeState.Normal, rig.Detector.State);
        Assert.AreEqual("normal", rig.LastState().GetProperty("state").GetString());
        CollectionAssert.AreEqual(new[] { "sensor-stuck" }, Faults(rig.LastState()));
    }

    [TestMethod]
    public void Step_StuckReadingMovesByOneCount_SensorStuckCleared()
    {
        SmokeRig rig = RigWithStuckSensor();

        rig.Head.Value = SmokeRig.CleanAir + 1;
        rig.Step(100);

        Assert.AreEqual("fault-cleared", rig.Events()[^1]);
        Assert.AreEqual("sensor-stuck", rig.EventPayloads()[^1].GetProperty("cause").GetString());
        Assert.AreEqual(0, rig.Detector.Faults);
    }

    [TestMethod]
    public void Step_ReadingWobblesByOneCount_NeverStuck()
    {
        SmokeRig rig = new SmokeRig(new SmokeDetectorSettings { StuckAfterMs = 60_000 });
        rig.Step();

        for (int i = 0; i < 20; i++)
        {
            rig.Head.Value = SmokeRig.CleanAir + (i % 2);
            rig.Run(rig.Settings.StuckAfterMs - 1000);
        }

        Assert.IsEmpty(rig.Events());
    }

    [TestMethod]
    public void Step_OutOfRangeReadingUnchanged_OnlyTheCircuitFault()
    {
        SmokeRig rig = new SmokeRig(new SmokeDetectorSettings { StuckAfterMs = 60_000 });
        rig.Step();

        rig.Head.Value = 0;
        rig.Run(rig.Settings.StuckAfterMs * 3);

        CollectionAssert.AreEqual(new[] { "fault" }, rig.Events());
        CollectionAssert.AreEqual(new[] { "open-circuit" }, Faults(rig.LastState()));
    }

    [TestMethod]
    public void Step_SmokeAfterStuckSensor_StuckClearedAndAlarmRaised()
    {
        SmokeRig rig = RigWithStuckSensor();

        rig.Head.Value = SmokeRig.Smoke;
        rig.Run(rig.Settings.ConfirmationMs + 100);

        CollectionAssert.AreEqual(new[] { "fault", "fault-cleared", "pre-alarm", "alarm" }, rig.Events());
        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
    }

    [TestMethod]
    public void Step_DirtyAndStuckTogether_StateListsBoth()
    {
        SmokeDetectorSettings settings = FastDirtySettings();
        settings.StuckAfterMs = 60_000;
        SmokeRig rig = new SmokeRig(settings);
        rig.Step();

        rig.Head.Value = DirtyReading;
        rig.Run(settings.DirtyChamberConfirmMs + settings.StuckAfterMs);

        CollectionAssert.AreEqual(new[] { "dirty-chamber", "sensor-stuck" }, Faults(rig.LastState()));
        Assert.AreEqual(SmokeFaults.DirtyChamber | SmokeFaults.SensorStuck, rig.Detector.Faults);
    }

    [TestMethod]
    public void Step_OpenCircuitTurnsIntoShortCircuit_OldCauseClearedNewCauseRaised()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Head.Value = 0;
        rig.Run(rig.Settings.FaultConfirmMs + 100);

        rig.Head.Value = 1023;
        rig.Run(rig.Settings.FaultConfirmMs + 100);

        List<JsonElement> events = rig.EventPayloads();
        CollectionAssert.AreEqual(new[] { "fault", "fault-cleared", "fault" }, rig.Events());
        CollectionAssert.AreEqual(
            new[] { "open-circuit", "open-circuit", "short-circuit" },
            events.Select(e => e.GetProperty("cause").GetString()).ToList());
        Assert.AreEqual(SmokeState.Fault, rig.Detector.State);
        CollectionAssert.AreEqual(new[] { "short-circuit" }, Faults(rig.LastState()));
    }

    [TestMethod]
    public void Step_ConfirmationMsAboveOneMinute_AlarmAfterOneMinute()
    {
        SmokeRig rig = new SmokeRig(new SmokeDetectorSettings { ConfirmationMs = 600_000, RestoreMs = 1_000_000 });
        rig.Step();
        rig.Head.Value = SmokeRig.Smoke;
        rig.Step(100);

        rig.Run(SmokeDetectorSettings.MaxConfirmationMs - 100);
        Assert.AreEqual(SmokeState.PreAlarm, rig.Detector.State);
        rig.Step(100);

        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
    }

    [TestMethod]
    public void HandleMessage_SelfTestWithStuckSensor_ReportsFailListingTheFault()
    {
        SmokeRig rig = RigWithStuckSensor();

        rig.Command("t1", "self-test");

        JsonElement report = rig.EventPayloads()[^1];
        Assert.AreEqual("self-test-report", report.GetProperty("event").GetString());
        Assert.AreEqual("fail", report.GetProperty("result").GetString());
        CollectionAssert.AreEqual(new[] { "sensor-stuck" }, Faults(report));
        Assert.AreEqual("ok", report.GetProperty("battery").GetString());
    }

    /// <summary>A dirty chamber within seconds and minutes instead of hours: 1 s baseline, 1 min confirm time.</summary>
    private static SmokeDetectorSettings FastDirtySettings() =>
        new SmokeDetectorSettings { BaselineTimeConstantMs = 1000, DirtyChamberConfirmMs = 60_000 };

    private static SmokeRig RigWithDirtyChamber()
    {
        SmokeRig rig = new SmokeRig(FastDirtySettings());
        rig.Step();
        rig.Head.Value = DirtyReading;
        rig.Run(rig.Settings.DirtyChamberConfirmMs + 10_000);
        Assert.AreEqual(SmokeFaults.DirtyChamber, rig.Detector.Faults);
        return rig;
    }

    private static SmokeRig RigWithStuckSensor()
    {
        SmokeRig rig = new SmokeRig(new SmokeDetectorSettings { StuckAfterMs = 60_000 });
        rig.Step();
        rig.Run(rig.Settings.StuckAfterMs);
        Assert.AreEqual(SmokeFaults.SensorStuck, rig.Detector.Faults);
        return rig;
    }

    private static void RunWobbling(SmokeRig rig, int level, long durationMs)
    {
        for (long elapsed = 0; elapsed < durationMs; elapsed += rig.Settings.SampleIntervalMs)
        {
            rig.Head.Value = level + (int)(elapsed / rig.Settings.SampleIntervalMs % 2);
            rig.Step(rig.Settings.SampleIntervalMs);
        }
    }

    private static List<string> Faults(JsonElement message) =>
        message.GetProperty("faults").EnumerateArray().Select(f => f.GetString()!).ToList();
}
