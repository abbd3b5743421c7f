namespace SmartCommunity.Firmware.Tests.Devices.SmokeDetector;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.SmokeDetector;

/// <summary>Low battery, the local sounder and its chirps, and the health fields of the state (smoke-detector.md).</summary>
public sealed partial class SmokeDetectorTests
{
    [TestMethod]
    public void Construct_WithSounder_DrivesItOffAtOnce()
    {
        SmokeRig rig = new SmokeRig();

        Assert.AreEqual(1L, rig.Sounder.Writes);
        Assert.IsFalse(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Step_LowBatteryInputForDebounceTime_LowBatteryEventAndStateField()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        rig.Battery.Active = true;
        rig.Step(100);
        rig.Run(rig.Settings.BatteryDebounceMs - 100);
        Assert.IsEmpty(rig.Events());
        rig.Step(100);

        CollectionAssert.AreEqual(new[] { "low-battery" }, rig.Events());
        Assert.IsTrue(rig.Detector.IsBatteryLow);
        Assert.AreEqual("low", rig.LastState().GetProperty("battery").GetString());
        Assert.AreEqual("chirp", rig.LastState().GetProperty("sounder").GetString());
    }

    [TestMethod]
    public void Step_LowBatteryFlickerShorterThanDebounce_NoEvent()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        for (int i = 0; i < 10; i++)
        {
            rig.Battery.Active = true;
            rig.Run(rig.Settings.BatteryDebounceMs - 1000);
            rig.Battery.Active = false;
            rig.Run(1000);
        }

        Assert.IsEmpty(rig.Events());
        Assert.IsFalse(rig.Detector.IsBatteryLow);
    }

    [TestMethod]
    public void Step_BatteryRecoversForDebounceTime_BatteryOkAndChirpsStop()
    {
        SmokeRig rig = RigWithLowBattery();

        rig.Battery.Active = false;
        rig.Run(rig.Settings.BatteryDebounceMs + 100);

        Assert.AreEqual("battery-ok", rig.Events()[^1]);
        Assert.AreEqual("ok", rig.LastState().GetProperty("battery").GetString());
        rig.SounderOnTime(rig.Settings.ChirpEveryMs * 2, 10, out int chirps);
        Assert.AreEqual(0, chirps);
        Assert.IsFalse(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Step_BatteryLowAtBoot_ReportedAfterDebounceTime()
    {
        SmokeRig rig = new SmokeRig(batteryLowAtBoot: true);
        rig.Step();
        Assert.AreEqual("ok", rig.LastState().GetProperty("battery").GetString());

        rig.Run(rig.Settings.BatteryDebounceMs);

        CollectionAssert.AreEqual(new[] { "low-battery" }, rig.Events());
    }

    [TestMethod]
    public void Step_BatteryDebounceMsAboveOneMinute_LowBatteryAfterOneMinute()
    {
        SmokeRig rig = new SmokeRig(new SmokeDetectorSettings { BatteryDebounceMs = 3_600_000 });
        rig.Battery.Active = true;
        rig.Step();

        rig.Run(SmokeDetectorSettings.MaxBatteryDebounceMs - 100);
        Assert.IsFalse(rig.Detector.IsBatteryLow);
        rig.Step(100);

        Assert.IsTrue(rig.Detector.IsBatteryLow);
        CollectionAssert.AreEqual(new[] { "low-battery" }, rig.Events());
    }

    [TestMethod]
    public void Step_LowBattery_OneChirpEveryChirpPeriod()
    {
        SmokeRig rig = RigWithLowBattery();

        long onTime = rig.SounderOnTime(rig.Settings.ChirpEveryMs * 3, 10, out int chirps);

        Assert.AreEqual(3, chirps);
        Assert.AreEqual(3 * SmokeDetector.ChirpOnMs, onTime);
    }

    [TestMethod]
    public void Step_Fault_TwoChirpsEveryChirpPeriod()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Head.Value = 0;
        rig.Run(rig.Settings.FaultConfirmMs + 1000);

        long onTime = rig.SounderOnTime(rig.Settings.ChirpEveryMs * 3, 10, out int chirps);

        Assert.AreEqual(6, chirps);
        Assert.AreEqual(6 * SmokeDetector.ChirpOnMs, onTime);
    }

    [TestMethod]
    public void Step_FaultAndLowBattery_ThreeChirpsEveryChirpPeriod()
    {
        SmokeRig rig = RigWithLowBattery();
        rig.Head.Value = 0;
        rig.Run(rig.Settings.FaultConfirmMs + 1000);

        rig.SounderOnTime(rig.Settings.ChirpEveryMs * 3, 10, out int chirps);

        Assert.AreEqual(9, chirps);
    }

    [TestMethod]
    public void Step_ChirpEveryMsAboveOneMinute_ChirpsOncePerMinute()
    {
        SmokeRig rig = RigWithLowBattery(new SmokeDetectorSettings { ChirpEveryMs = 3_600_000 });

        rig.SounderOnTime(SmokeDetectorSettings.MaxChirpEveryMs * 3, 10, out int chirps);

        Assert.AreEqual(3, chirps);
    }

    [TestMethod]
    public void Step_AlarmWithLowBattery_SounderSteadilyOnUntilRestoreThenChirps()
    {
        SmokeRig rig = RigWithLowBattery();
        rig.Head.Value = SmokeRig.Smoke;
        rig.Run(rig.Settings.ConfirmationMs + 100);

        long onTime = rig.SounderOnTime(10_000, 10, out int starts);
        Assert.AreEqual(10_000L, onTime);
        Assert.AreEqual(0, starts);

        rig.Head.Value = SmokeRig.CleanAir;
        rig.Run(rig.Settings.RestoreMs + 200);
        Assert.AreEqual(SmokeState.Normal, rig.Detector.State);
        rig.SounderOnTime(rig.Settings.ChirpEveryMs * 2, 10, out int chirps);
        Assert.AreEqual(2, chirps);
    }

    [TestMethod]
    public void Step_PreAlarm_SounderStaysOff()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Head.Value = SmokeRig.Smoke;

        rig.Run(rig.Settings.ConfirmationMs - 100);

        Assert.AreEqual(SmokeState.PreAlarm, rig.Detector.State);
        Assert.IsFalse(rig.Sounder.Energised);
        Assert.AreEqual(1L, rig.Sounder.Writes);
    }

    [TestMethod]
    public void Step_HeartbeatWithEverythingFitted_ReportsHealthFields()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Transport.Clear();

        rig.Run(rig.Settings.HeartbeatMs);

        JsonElement state = rig.LastState();
        Assert.AreEqual("normal", state.GetProperty("state").GetString());
        Assert.AreEqual(0, state.GetProperty("faults").GetArrayLength());
        Assert.AreEqual("ok", state.GetProperty("battery").GetString());
        Assert.IsFalse(state.GetProperty("hushed").GetBoolean());
        Assert.IsFalse(state.GetProperty("test").GetBoolean());
        Assert.AreEqual(SmokeRig.CleanAir, state.GetProperty("baseline").GetInt32());
        Assert.AreEqual("off", state.GetProperty("sounder").GetString());
    }

    [TestMethod]
    public void Step_HeadOnlyConstructor_NoBatteryOrSounderFieldAndButtonsAbsent()
    {
        SmokeRig rig = new SmokeRig(fitted: false);
        rig.Step();
        rig.Head.Value = SmokeRig.Smoke;
        rig.Run(rig.Settings.ConfirmationMs + 100);

        rig.Battery.Active = true;
        rig.Press(rig.HushButton);
        rig.Press(rig.TestButton);
        rig.Run(rig.Settings.BatteryDebounceMs * 2);

        JsonElement state = rig.LastState();
        Assert.AreEqual("alarm", state.GetProperty("state").GetString());
        Assert.IsFalse(state.TryGetProperty("battery", out _));
        Assert.IsFalse(state.TryGetProperty("sounder", out _));
        Assert.IsFalse(state.GetProperty("hushed").GetBoolean());
        Assert.IsFalse(state.GetProperty("test").GetBoolean());
        CollectionAssert.AreEqual(new[] { "pre-alarm", "alarm" }, rig.Events());
        Assert.AreEqual(0L, rig.Sounder.Writes);
        Assert.IsTrue(rig.Detector.IsSounderOn, "the logic still knows the sounder should sound");
    }

    [TestMethod]
    public void Step_Telemetry_CarriesBaselineAndTestFlag()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        rig.Run(rig.Settings.TelemetryMs);

        JsonElement telemetry = rig.Telemetry()[^1];
        Assert.AreEqual(SmokeRig.CleanAir, telemetry.GetProperty("baseline").GetInt32());
        Assert.IsFalse(telemetry.GetProperty("test").GetBoolean());
    }

    private static SmokeRig RigWithLowBattery(SmokeDetectorSettings? settings = null)
    {
        SmokeRig rig = new SmokeRig(settings);
        rig.Battery.Active = true;
        rig.Step();
        rig.Run(rig.Settings.BatteryDebounceMs + 1000);
        Assert.IsTrue(rig.Detector.IsBatteryLow);
        return rig;
    }
}
