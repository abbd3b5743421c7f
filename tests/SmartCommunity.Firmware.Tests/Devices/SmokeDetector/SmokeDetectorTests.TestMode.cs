namespace SmartCommunity.Firmware.Tests.Devices.SmokeDetector;

using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>The test button: a flagged test alarm end to end, bounded in time, never hiding a real alarm (smoke-detector.md, "Test mode").</summary>
public sealed partial class SmokeDetectorTests
{
    [TestMethod]
    public void Press_TestButton_TestStartedThenFlaggedAlarmAndSounderOn()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        rig.Press(rig.TestButton);

        CollectionAssert.AreEqual(new[] { "test-started", "alarm" }, rig.Events());
        foreach (JsonElement message in rig.EventPayloads())
        {
            Assert.IsTrue(message.GetProperty("test").GetBoolean());
            Assert.AreEqual("alarm", message.GetProperty("state").GetString());
        }

        JsonElement state = rig.LastState();
        Assert.AreEqual("alarm", state.GetProperty("state").GetString());
        Assert.IsTrue(state.GetProperty("test").GetBoolean());
        Assert.AreEqual("on", state.GetProperty("sounder").GetString());
        Assert.IsTrue(rig.Sounder.Energised);
        Assert.IsTrue(rig.Detector.IsTesting);
        Assert.AreEqual(SmokeState.Normal, rig.Detector.State);
        Assert.AreEqual(0L, rig.Detector.Alarms);
        Assert.AreEqual(1L, rig.Detector.Tests);
    }

    [TestMethod]
    public void Step_TestTimeElapsed_TestEndedAndSounderOff()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Press(rig.TestButton);
        long startedAt = rig.Event("test-started").GetProperty("up").GetInt64();

        StepTo(rig, startedAt + rig.Settings.TestMs - 1);
        Assert.IsTrue(rig.Detector.IsTesting);
        Assert.IsTrue(rig.Sounder.Energised);
        rig.Step(1);

        Assert.IsFalse(rig.Detector.IsTesting);
        Assert.IsFalse(rig.Sounder.Energised);
        JsonElement ended = rig.EventPayloads()[^1];
        Assert.AreEqual("test-ended", ended.GetProperty("event").GetString());
        Assert.AreEqual("timeout", ended.GetProperty("why").GetString());
        Assert.IsFalse(ended.GetProperty("test").GetBoolean());
        JsonElement state = rig.LastState();
        Assert.AreEqual("normal", state.GetProperty("state").GetString());
        Assert.IsFalse(state.GetProperty("test").GetBoolean());
    }

    [TestMethod]
    public void Step_DuringTest_EveryStateEventAndTelemetryMessageCarriesTestTrue()
    {
        SmokeRig rig = new SmokeRig(new SmokeDetectorSettings { HeartbeatMs = 5000, TelemetryMs = 5000 });
        rig.Step();
        rig.Press(rig.TestButton);
        rig.Transport.Clear();

        rig.Run(10_000);
        rig.Head.Value = SmokeRig.Smoke;
        rig.Run(rig.Settings.ConfirmationMs / 2);
        rig.Head.Value = SmokeRig.CleanAir;
        rig.Run(10_000);
        rig.Command("t1", "self-test");
        Assert.IsTrue(rig.Detector.IsTesting);

        CollectionAssert.AreEqual(new[] { "pre-alarm", "pre-alarm-cleared", "self-test-report" }, rig.Events());
        List<JsonElement> messages = rig.EventPayloads().Concat(rig.States()).Concat(rig.Telemetry()).ToList();
        Assert.IsGreaterThan(8, messages.Count);
        foreach (JsonElement message in messages)
        {
            Assert.IsTrue(message.GetProperty("test").GetBoolean(), message.ToString());
        }

        Assert.IsTrue(rig.States().All(s => s.GetProperty("state").GetString() == "alarm"));
    }

    [TestMethod]
    public void Step_SmokeConfirmedDuringTest_TestEndsAndRealAlarmGoesOutWithoutTestFlag()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Press(rig.TestButton);

        rig.Head.Value = SmokeRig.Smoke;
        rig.Run(rig.Settings.ConfirmationMs + 100);

        CollectionAssert.AreEqual(new[] { "test-started", "alarm", "pre-alarm", "test-ended", "alarm" }, rig.Events());
        List<JsonElement> events = rig.EventPayloads();
        Assert.IsTrue(events[2].GetProperty("test").GetBoolean());
        Assert.AreEqual("real-alarm", events[3].GetProperty("why").GetString());
        Assert.IsFalse(events[4].GetProperty("test").GetBoolean());
        Assert.AreEqual("alarm", events[4].GetProperty("state").GetString());
        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
        Assert.IsFalse(rig.Detector.IsTesting);
        Assert.AreEqual(1L, rig.Detector.Alarms);
        Assert.IsFalse(rig.LastState().GetProperty("test").GetBoolean());
        Assert.IsTrue(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Step_TestTimeWouldHaveEndedDuringRealAlarm_AlarmAndSounderStay()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Press(rig.TestButton);
        rig.Head.Value = SmokeRig.Smoke;
        rig.Run(rig.Settings.ConfirmationMs + 100);

        rig.Run(rig.Settings.TestMs * 2);

        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
        Assert.IsTrue(rig.Sounder.Energised);
        Assert.AreEqual(1, rig.Events().FindAll(e => e == "test-ended").Count);
    }

    [TestMethod]
    public void Press_TestDuringRealAlarm_Ignored()
    {
        SmokeRig rig = RigInAlarm();

        rig.Press(rig.TestButton);

        Assert.IsFalse(rig.Detector.IsTesting);
        Assert.DoesNotContain("test-started", rig.Events());
        Assert.IsFalse(rig.LastState().GetProperty("test").GetBoolean());
    }

    [TestMethod]
    public void Press_TestAgainDuringTest_DoesNotExtendTheTest()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Press(rig.TestButton);
        long startedAt = rig.Event("test-started").GetProperty("up").GetInt64();
        rig.Run(rig.Settings.TestMs / 2);

        rig.Press(rig.TestButton);
        StepTo(rig, startedAt + rig.Settings.TestMs);

        Assert.IsFalse(rig.Detector.IsTesting);
        Assert.AreEqual(1L, rig.Detector.Tests);
    }

    [TestMethod]
    public void Step_TestMsAboveFiveMinutes_TestEndsAfterFiveMinutes()
    {
        SmokeRig rig = new SmokeRig(new SmokeDetectorSettings { TestMs = 3_600_000 });
        rig.Step();
        rig.Press(rig.TestButton);
        long startedAt = rig.Event("test-started").GetProperty("up").GetInt64();

        StepTo(rig, startedAt + SmokeDetectorSettings.MaxTestMs - 1);
        Assert.IsTrue(rig.Detector.IsTesting);
        rig.Step(1);

        Assert.IsFalse(rig.Detector.IsTesting);
        Assert.IsFalse(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Press_HushDuringTest_TestAndSounderGoOn()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Press(rig.TestButton);

        rig.Press(rig.HushButton);

        Assert.IsTrue(rig.Detector.IsTesting);
        Assert.IsFalse(rig.Detector.IsHushed);
        Assert.IsTrue(rig.Sounder.Energised);
        CollectionAssert.AreEqual(new[] { "test-started", "alarm" }, rig.Events());
    }

    [TestMethod]
    public void Step_TestAlarmEventRefusedByTransport_NotResentAfterTheTest()
    {
        SmokeRig rig = new SmokeRig(new SmokeDetectorSettings { HeartbeatMs = 1_000_000, TelemetryMs = 1_000_000 });
        rig.Step();
        rig.Transport.RefusePublishes = true;
        rig.Press(rig.TestButton);
        rig.Transport.RefusePublishes = false;

        rig.Run(rig.Settings.TestMs + 5000);

        Assert.DoesNotContain("alarm", rig.Events());
        Assert.AreEqual(0L, rig.Detector.Alarms);
        List<JsonElement> states = Published.On(rig.Transport, rig.Identity.StateTopic);
        Assert.AreEqual("normal", states[^1].GetProperty("state").GetString());
    }
}
