namespace SmartCommunity.Firmware.Tests.Devices.SmokeDetector;

using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed partial class SmokeDetectorTests
{
    [TestMethod]
    public void Step_SmokeSpikeShorterThanConfirmation_PreAlarmThenPreAlarmClearedNeverAlarm()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        rig.Head.Value = SmokeRig.Smoke;
        rig.Step(100);
        Assert.AreEqual(SmokeState.PreAlarm, rig.Detector.State);
        rig.Run(rig.Settings.ConfirmationMs - 200);
        rig.Head.Value = SmokeRig.CleanAir;
        rig.Run(60000);

        CollectionAssert.AreEqual(new[] { "pre-alarm", "pre-alarm-cleared" }, rig.Events());
        Assert.AreEqual(SmokeState.Normal, rig.Detector.State);
        Assert.AreEqual(0L, rig.Detector.Alarms);
    }

    [TestMethod]
    public void Step_SmokeHeldForConfirmation_OneAlarmEvent()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Head.Value = SmokeRig.Smoke;
        rig.Step(100);
        long smokeSince = rig.Clock.UptimeMs;

        rig.Run(rig.Settings.ConfirmationMs - 100);
        Assert.AreEqual(SmokeState.PreAlarm, rig.Detector.State);
        rig.Step(100);
        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
        rig.Run(60000);

        CollectionAssert.AreEqual(new[] { "pre-alarm", "alarm" }, rig.Events());
        JsonElement alarm = rig.EventPayloads()[1];
        Assert.AreEqual("alarm", alarm.GetProperty("state").GetString());
        Assert.AreEqual(SmokeRig.Smoke, alarm.GetProperty("level").GetInt32());
        Assert.AreEqual(smokeSince + rig.Settings.ConfirmationMs, alarm.GetProperty("up").GetInt64());
        Assert.AreEqual(1L, rig.Detector.Alarms);
        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
    }

    [TestMethod]
    public void Step_ClearAfterAlarm_RestoresOnlyAfterRestoreTimeBelowThreshold()
    {
        SmokeRig rig = RigInAlarm();

        AssertRestoresExactlyAfterRestoreTimeOfCleanAir(rig);
    }

    [TestMethod]
    public void Step_SmokeReturnsDuringRestore_RestartsTheRestoreTime()
    {
        SmokeRig rig = RigInAlarm();
        rig.Head.Value = SmokeRig.CleanAir;
        rig.Run(rig.Settings.RestoreMs - 1000);

        rig.Head.Value = SmokeRig.Smoke;
        rig.Step(100);
        rig.Head.Value = SmokeRig.CleanAir;
        rig.Step(100);
        rig.Run(rig.Settings.RestoreMs - 100);
        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);

        rig.Step(100);
        Assert.AreEqual(SmokeState.Normal, rig.Detector.State);
        Assert.AreEqual(1, rig.Events().FindAll(e => e == "alarm").Count);
    }

    [TestMethod]
    [DataRow(5, "open-circuit")]
    [DataRow(0, "open-circuit")]
    [DataRow(1020, "short-circuit")]
    [DataRow(1023, "short-circuit")]
    public void Step_OutOfRangeForFaultConfirmTime_FaultWithCause(int level, string cause)
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        rig.Head.Value = level;
        rig.Step(100);
        rig.Run(rig.Settings.FaultConfirmMs - 100);
        Assert.AreEqual(SmokeState.Normal, rig.Detector.State);
        rig.Step(100);

        Assert.AreEqual(SmokeState.Fault, rig.Detector.State);
        CollectionAssert.AreEqual(new[] { "fault" }, rig.Events());
        JsonElement fault = rig.EventPayloads()[0];
        Assert.AreEqual(cause, fault.GetProperty("cause").GetString());
        Assert.AreEqual(level, fault.GetProperty("level").GetInt32());

        rig.Head.Value = SmokeRig.CleanAir;
        rig.Step(100);
        Assert.AreEqual(SmokeState.Normal, rig.Detector.State);
        Assert.AreEqual("fault-cleared", rig.Events()[^1]);
    }

    [TestMethod]
    public void Step_OutOfRangeGlitchShorterThanFaultConfirmTime_NoFault()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        for (int i = 0; i < 10; i++)
        {
            rig.Head.Value = 2;
            rig.Run(rig.Settings.FaultConfirmMs - 100);
            rig.Head.Value = SmokeRig.CleanAir;
            rig.Step(100);
        }

        Assert.IsEmpty(rig.Events());
        Assert.AreEqual(SmokeState.Normal, rig.Detector.State);
    }

    [TestMethod]
    public void Step_CircuitFaultDuringAlarm_ReportedWhileAlarmStandsAndRestoreNeedsCleanReadings()
    {
        // Changed in issue 5: a wiring fault during an alarm used to go unreported; now it is reported, the alarm stands.
        SmokeRig rig = RigInAlarm();
        rig.Head.Value = SmokeRig.CleanAir;
        rig.Run(rig.Settings.RestoreMs / 2);

        rig.Head.Value = 3;
        rig.Run(rig.Settings.FaultConfirmMs * 3);
        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
        JsonElement fault = rig.Event("fault");
        Assert.AreEqual("open-circuit", fault.GetProperty("cause").GetString());
        Assert.AreEqual("alarm", fault.GetProperty("state").GetString());
        Assert.AreEqual("alarm", rig.LastState().GetProperty("state").GetString());
        Assert.AreEqual("open-circuit", rig.LastState().GetProperty("faults")[0].GetString());
        Assert.IsTrue(rig.Sounder.Energised);

        AssertRestoresExactlyAfterRestoreTimeOfCleanAir(rig);
        Assert.AreEqual(1, rig.Events().FindAll(e => e == "fault-cleared").Count);
    }

    [TestMethod]
    public void Step_AlarmRaisedWhileOffline_AlarmEventSentAfterReconnect()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Transport.Disconnect();

        rig.Head.Value = SmokeRig.Smoke;
        rig.Run(rig.Settings.ConfirmationMs + 1000);
        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
        Assert.DoesNotContain("alarm", rig.Events());

        rig.Transport.Reconnect();
        rig.Step(100);
        rig.Run(5000);

        Assert.AreEqual(1, rig.Events().FindAll(e => e == "alarm").Count);
        JsonElement alarm = rig.EventPayloads().Find(e => e.GetProperty("event").GetString() == "alarm");
        Assert.AreEqual("alarm", alarm.GetProperty("state").GetString());
        List<JsonElement> states = Published.On(rig.Transport, rig.Identity.StateTopic);
        Assert.AreEqual("alarm", states[^1].GetProperty("state").GetString());
        Assert.AreEqual(1, states[^1].GetProperty("alarms").GetInt32());
    }

    [TestMethod]
    public void Step_AlarmWaitingWhileOffline_ConsumesNoSequenceNumbersAndFollowsOnlineStatus()
    {
        // No heartbeat or telemetry falls due in this test, so only alarm retries could use sequence numbers.
        SmokeRig rig = new SmokeRig(new SmokeDetectorSettings { HeartbeatMs = 1_000_000, TelemetryMs = 1_000_000 });
        rig.Step();
        rig.Transport.Disconnect();
        rig.Head.Value = SmokeRig.Smoke;
        rig.Run(rig.Settings.ConfirmationMs + 100);
        long sequenceAtAlarm = rig.Detector.Uplink.Sequence;

        rig.Run(10_000);

        Assert.AreEqual(sequenceAtAlarm, rig.Detector.Uplink.Sequence, "no attempts while offline");
        rig.Transport.Clear();
        rig.Transport.Reconnect();
        rig.Step(100);
        List<string> topics = rig.Transport.Messages.Select(m => m.Topic).ToList();
        int status = topics.IndexOf(rig.Identity.StatusTopic);
        int alarm = rig.Transport.Messages.ToList().FindIndex(m => m.Topic == rig.Identity.EventTopic && m.Payload.Contains("\"event\":\"alarm\"", System.StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, status);
        Assert.IsGreaterThan(status, alarm);
    }

    [TestMethod]
    public void HandleMessage_SelfTestWithHeadInRange_ReportsPass()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        rig.Command("t1", "self-test");

        JsonElement report = rig.EventPayloads()[^1];
        Assert.AreEqual("self-test-report", report.GetProperty("event").GetString());
        Assert.AreEqual("pass", report.GetProperty("result").GetString());
        Assert.AreEqual(SmokeRig.CleanAir, report.GetProperty("level").GetInt32());
        Assert.AreEqual("normal", report.GetProperty("state").GetString());
        JsonElement ack = rig.Acks()[^1];
        Assert.AreEqual("t1", ack.GetProperty("id").GetString());
        Assert.AreEqual("done", ack.GetProperty("result").GetString());
    }

    [TestMethod]
    public void HandleMessage_SelfTestWithOpenCircuit_ReportsFail()
    {
        SmokeRig rig = new SmokeRig();
        rig.Head.Value = 1;
        rig.Step();

        rig.Command("t1", "self-test");

        Assert.AreEqual("fail", rig.EventPayloads()[^1].GetProperty("result").GetString());
    }

    [TestMethod]
    public void HandleMessage_DoorCommand_RejectedNotSupported()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        rig.Command("c1", "release");

        JsonElement ack = rig.Acks()[^1];
        Assert.AreEqual("rejected", ack.GetProperty("result").GetString());
        Assert.AreEqual("not-supported", ack.GetProperty("reason").GetString());
        Assert.AreEqual(1L, rig.Detector.Commands.Rejected);
    }

    [TestMethod]
    public void Step_TelemetryPeriodElapsed_PublishesLevelOncePerPeriod()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Head.Value = 412;

        rig.Run(rig.Settings.TelemetryMs - 100);
        Assert.IsEmpty(rig.Telemetry());
        rig.Step(100);
        Assert.HasCount(1, rig.Telemetry());
        rig.Run(rig.Settings.TelemetryMs);
        Assert.HasCount(2, rig.Telemetry());

        PublishedMessage telemetry = rig.Transport.Messages[^1].Topic == rig.Identity.TelemetryTopic
            ? rig.Transport.Messages[^1]
            : rig.Transport.Messages[^2];
        Assert.AreEqual(rig.Identity.TelemetryTopic, telemetry.Topic);
        Assert.AreEqual(0, telemetry.Qos);
        Assert.IsFalse(telemetry.Retain);
        Assert.AreEqual(412, Published.Json(telemetry).GetProperty("level").GetInt32());
    }

    [TestMethod]
    public void Step_HeartbeatPeriodElapsed_PublishesState()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Transport.Clear();

        rig.Run(rig.Settings.HeartbeatMs - 100);
        Assert.IsEmpty(Published.On(rig.Transport, rig.Identity.StateTopic));
        rig.Step(100);

        List<JsonElement> states = Published.On(rig.Transport, rig.Identity.StateTopic);
        Assert.HasCount(1, states);
        Assert.AreEqual("normal", states[0].GetProperty("state").GetString());
    }

    [TestMethod]
    public void Step_FirstStepOnline_PublishesRetainedOnlineStatus()
    {
        SmokeRig rig = new SmokeRig();

        rig.Step();

        PublishedMessage status = rig.Transport.Messages[0];
        Assert.AreEqual(rig.Identity.StatusTopic, status.Topic);
        Assert.IsTrue(status.Retain);
        JsonElement body = Published.Json(status);
        Assert.IsTrue(body.GetProperty("online").GetBoolean());
        Assert.AreEqual("smoke", body.GetProperty("kind").GetString());
        Assert.AreEqual("detector", body.GetProperty("role").GetString());
        Assert.AreEqual(SmokeRig.Boot, body.GetProperty("boot").GetInt64());
    }

    [TestMethod]
    public void Step_CalledMoreOftenThanSampleInterval_ReadsHeadOncePerInterval()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();

        rig.Head.Value = 450;
        rig.Step(rig.Settings.SampleIntervalMs / 2);
        Assert.AreEqual(SmokeRig.CleanAir, rig.Detector.Level);
        rig.Step(rig.Settings.SampleIntervalMs / 2);

        Assert.AreEqual(450, rig.Detector.Level);
    }

    private static SmokeRig RigInAlarm()
    {
        SmokeRig rig = new SmokeRig();
        rig.Step();
        rig.Head.Value = SmokeRig.Smoke;
        rig.Run(rig.Settings.ConfirmationMs + 100);
        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);
        return rig;
    }

    /// <summary>Clean air from now: still in alarm one step before the restore time, restored on it.</summary>
    private static void AssertRestoresExactlyAfterRestoreTimeOfCleanAir(SmokeRig rig)
    {
        rig.Head.Value = SmokeRig.CleanAir;
        rig.Step(100);
        rig.Run(rig.Settings.RestoreMs - 100);
        Assert.AreEqual(SmokeState.Alarm, rig.Detector.State);

        rig.Step(100);

        Assert.AreEqual(SmokeState.Normal, rig.Detector.State);
        Assert.AreEqual("alarm-cleared", rig.Events()[^1]);
    }
}
