namespace SmartCommunity.Firmware.Tests.Devices.SmokeDetector;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.SmokeDetector;

/// <summary>The hush button silences the local sounder only, for a bounded time (smoke-detector.md, "Hush").</summary>
public sealed partial class SmokeDetectorTests
{
    [TestMethod]
    public void Press_HushDuringAlarm_SilencesSounderOnlyAlarmStaysRaised()
    {
        SmokeRig rig = RigInAlarm(SmokeRig.LightSmoke);
        Assert.IsTrue(rig.Sounder.Energised);

        rig.Press(rig.HushButton);

        Assert.IsFalse(rig.Sounder.Energised);
        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
        Assert.IsTrue(rig.Detector.IsHushed);
        JsonElement hushed = rig.Event("hushed");
        Assert.AreEqual("alarm", hushed.GetProperty("state").GetString());
        Assert.IsTrue(hushed.GetProperty("hushed").GetBoolean());
        JsonElement state = rig.LastState();
        Assert.AreEqual("alarm", state.GetProperty("state").GetString());
        Assert.IsTrue(state.GetProperty("hushed").GetBoolean());
        Assert.AreEqual("off", state.GetProperty("sounder").GetString());
        Assert.DoesNotContain("alarm-cleared", rig.Events());
    }

    [TestMethod]
    public void Step_HushTimeElapsed_HushEndsWithTimeoutAndSounderResumes()
    {
        SmokeRig rig = RigInAlarm(SmokeRig.LightSmoke);
        rig.Press(rig.HushButton);
        long hushedAt = rig.Event("hushed").GetProperty("up").GetInt64();

        StepTo(rig, hushedAt + rig.Settings.HushMs - 1);
        Assert.IsTrue(rig.Detector.IsHushed);
        Assert.IsFalse(rig.Sounder.Energised);
        rig.Step(1);

        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.IsTrue(rig.Sounder.Energised);
        JsonElement ended = rig.Event("hush-ended");
        Assert.AreEqual("timeout", ended.GetProperty("why").GetString());
        Assert.AreEqual("alarm", ended.GetProperty("state").GetString());
        Assert.IsFalse(rig.LastState().GetProperty("hushed").GetBoolean());
        Assert.AreEqual("on", rig.LastState().GetProperty("sounder").GetString());
    }

    [TestMethod]
    public void Step_HushMsAboveTenMinutes_HushEndsAfterTenMinutes()
    {
        SmokeRig rig = RigInAlarm(SmokeRig.LightSmoke, new SmokeDetectorSettings { HushMs = 3_600_000 });
        rig.Press(rig.HushButton);
        long hushedAt = rig.Event("hushed").GetProperty("up").GetInt64();

        StepTo(rig, hushedAt + SmokeDetectorSettings.MaxHushMs - 1);
        Assert.IsTrue(rig.Detector.IsHushed);
        rig.Step(1);

        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.IsTrue(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Press_HushWithDenseSmoke_RefusedAndSounderStaysOn()
    {
        SmokeRig rig = RigInAlarm(800);

        rig.Press(rig.HushButton);

        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.IsTrue(rig.Sounder.Energised);
        Assert.DoesNotContain("hushed", rig.Events());
        JsonElement refused = rig.Event("hush-refused");
        Assert.AreEqual("dense-smoke", refused.GetProperty("why").GetString());
        Assert.AreEqual(0L, rig.Detector.Hushes);
    }

    [TestMethod]
    public void Step_DenseSmokeDuringHush_HushEndsWithDenseSmoke()
    {
        SmokeRig rig = RigInAlarm(SmokeRig.LightSmoke);
        rig.Press(rig.HushButton);

        rig.Head.Value = rig.Settings.DenseSmokeLevel;
        rig.Step(100);

        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.IsTrue(rig.Sounder.Energised);
        Assert.AreEqual("dense-smoke", rig.Event("hush-ended").GetProperty("why").GetString());
    }

    [TestMethod]
    public void Step_SmokeRisesMoreThanRisingByDuringHush_HushEndsWithRisingSmoke()
    {
        SmokeRig rig = RigInAlarm(SmokeRig.LightSmoke);
        rig.Press(rig.HushButton);

        rig.Head.Value = SmokeRig.LightSmoke + rig.Settings.RisingBy;
        rig.Run(1000);
        Assert.IsTrue(rig.Detector.IsHushed, "rising by exactly RisingBy keeps the hush");
        rig.Head.Value = SmokeRig.LightSmoke + rig.Settings.RisingBy + 1;
        rig.Step(100);

        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.IsTrue(rig.Sounder.Energised);
        Assert.AreEqual("rising-smoke", rig.Event("hush-ended").GetProperty("why").GetString());
    }

    [TestMethod]
    public void Press_HushWithNoAlarm_DoesNothing()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        int states = rig.States().Count;

        rig.Press(rig.HushButton);

        Assert.IsEmpty(rig.Events());
        Assert.HasCount(states, rig.States());
        Assert.IsFalse(rig.Detector.IsHushed);
    }

    [TestMethod]
    public void Press_HushDuringPreAlarm_DoesNotPreventTheAlarm()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Head.Value = SmokeRig.LightSmoke;
        rig.Step(100);

        rig.Press(rig.HushButton);
        rig.Run(rig.Settings.ConfirmationMs);

        CollectionAssert.AreEqual(new[] { "pre-alarm", "alarm" }, rig.Events());
        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.IsTrue(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Press_HushWhileLowBatteryChirps_ChirpsGoOn()
    {
        SmokeRig rig = RigWithLowBattery();

        rig.Press(rig.HushButton);
        long onTime = rig.SounderOnTime(rig.Settings.ChirpEveryMs * 2, 10, out int chirps);

        Assert.AreEqual(2, chirps);
        Assert.AreEqual(2 * SmokeDetector.ChirpOnMs, onTime);
        Assert.DoesNotContain("hushed", rig.Events());
    }

    [TestMethod]
    public void Step_LowBatteryDuringHushedAlarm_ChirpsGoOn()
    {
        SmokeRig rig = RigInAlarm(SmokeRig.LightSmoke);
        rig.Battery.Active = true;
        rig.Run(rig.Settings.BatteryDebounceMs + 100);
        rig.Press(rig.HushButton);
        Assert.IsTrue(rig.Detector.IsHushed);

        long onTime = rig.SounderOnTime(rig.Settings.ChirpEveryMs * 2, 10, out int chirps);

        Assert.AreEqual(2, chirps);
        Assert.AreEqual(2 * SmokeDetector.ChirpOnMs, onTime);
        Assert.AreEqual("chirp", rig.LastState().GetProperty("sounder").GetString());
    }

    [TestMethod]
    public void Step_AlarmClearsWhileHushed_HushEndsThenAlarmCleared()
    {
        SmokeRig rig = RigInAlarm(SmokeRig.LightSmoke);
        rig.Press(rig.HushButton);

        rig.Head.Value = SmokeRig.CleanAir;
        rig.Run(rig.Settings.RestoreMs + 200);

        Assert.AreEqual(SmokeState.Normal, rig.Detector.State);
        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.IsFalse(rig.Sounder.Energised);
        CollectionAssert.AreEqual(new[] { "hush-ended", "alarm-cleared" }, rig.Events().GetRange(rig.Events().Count - 2, 2));
        Assert.AreEqual("alarm-cleared", rig.Event("hush-ended").GetProperty("why").GetString());
        Assert.IsFalse(rig.LastState().GetProperty("hushed").GetBoolean());
    }

    [TestMethod]
    public void Press_HushAgainWhileHushed_DoesNotExtendTheHush()
    {
        SmokeRig rig = RigInAlarm(SmokeRig.LightSmoke);
        rig.Press(rig.HushButton);
        long hushedAt = rig.Event("hushed").GetProperty("up").GetInt64();
        rig.Run(rig.Settings.HushMs / 2);

        rig.Press(rig.HushButton);
        StepTo(rig, hushedAt + rig.Settings.HushMs);

        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.AreEqual(1L, rig.Detector.Hushes);
        Assert.AreEqual(1, rig.Events().FindAll(e => e == "hushed").Count);
    }

    [TestMethod]
    public void Step_HushButtonHeldDownPastTheHush_HushesOnlyOnce()
    {
        SmokeRig rig = RigInAlarm(SmokeRig.LightSmoke);

        rig.HushButton.Active = true;
        rig.Run(rig.Settings.HushMs * 3);

        Assert.AreEqual(1L, rig.Detector.Hushes);
        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.IsTrue(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Press_HushBounceShorterThanDebounce_Ignored()
    {
        SmokeRig rig = RigInAlarm(SmokeRig.LightSmoke);

        rig.HushButton.Active = true;
        rig.Step(10);
        rig.Step(rig.Settings.ButtonDebounceMs - 20);
        rig.HushButton.Active = false;
        rig.Step(10);
        rig.Run(1000);

        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.IsTrue(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Step_ButtonsHeldAtBoot_NeitherHushNorTest()
    {
        SmokeRig rig = new SmokeRig(buttonsHeldAtBoot: true);
        rig.Step();
        rig.Head.Value = SmokeRig.LightSmoke;
        rig.Run(rig.Settings.ConfirmationMs + 1000);

        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.IsFalse(rig.Detector.IsTesting);
        Assert.IsTrue(rig.Sounder.Energised);
    }

    private static SmokeRig RigInAlarm(int level, SmokeDetectorSettings? settings = null)
    {
        SmokeRig rig = new SmokeRig(settings);
        rig.Step();
        rig.Head.Value = level;
        rig.Run(rig.Settings.ConfirmationMs + 100);
        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
        return rig;
    }

    /// <summary>Steps at the sample interval, then once more to land exactly on <paramref name="uptimeMs"/>.</summary>
    private static void StepTo(SmokeRig rig, long uptimeMs)
    {
        while (uptimeMs - rig.Clock.UptimeMs > rig.Settings.SampleIntervalMs)
        {
            rig.Step(rig.Settings.SampleIntervalMs);
        }

        rig.Step(uptimeMs - rig.Clock.UptimeMs);
    }
}
