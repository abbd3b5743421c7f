namespace SmartCommunity.Firmware.Tests.Devices.ManualCallPoint;

using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.ManualCallPoint;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed partial class ManualCallPointTests
{
    [TestMethod]
    public void Step_GlassOperated_ActivatedWithinDebounceWithNoVerificationDelay()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Step();

        rig.Glass.Active = true;
        rig.Step(ManualCallPointRig.TickMs);
        Assert.AreEqual(ManualCallPointState.Normal, rig.Point.State, "one reading is not yet past contact bounce");
        rig.Run(rig.Settings.ContactDebounceMs);

        Assert.AreEqual(ManualCallPointState.Activated, rig.Point.State);
        Assert.IsLessThanOrEqualTo(rig.Settings.ContactDebounceMs + ManualCallPointRig.TickMs, rig.Clock.UptimeMs);
        CollectionAssert.AreEqual(new[] { "activated" }, rig.Events());
        JsonElement activated = rig.EventPayloads()[0];
        Assert.AreEqual("activated", activated.GetProperty("state").GetString());
        Assert.AreEqual("operated", activated.GetProperty("glass").GetString());
        Assert.AreEqual("activated", rig.LastState().GetProperty("state").GetString());
        Assert.AreEqual(1, rig.LastState().GetProperty("activations").GetInt32());
        Assert.AreEqual(1L, rig.Point.Activations);
    }

    [TestMethod]
    public void Step_ContactBounceShorterThanDebounce_NoActivation()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Step();

        rig.Bounce(rig.Glass, 50);

        Assert.AreEqual(ManualCallPointState.Normal, rig.Point.State);
        Assert.IsEmpty(rig.Events());
    }

    [TestMethod]
    public void Step_OperatedForHours_OneActivatedEventAndStaysActivated()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Step();
        rig.Glass.Active = true;

        rig.Run(120_000);

        Assert.AreEqual(ManualCallPointState.Activated, rig.Point.State);
        CollectionAssert.AreEqual(new[] { "activated" }, rig.Events());
    }

    [TestMethod]
    public void Step_ElementResetAtThePoint_RestoredAndNormal()
    {
        ManualCallPointRig rig = RigActivated();

        rig.Glass.Active = false;
        rig.Run(rig.Settings.ContactDebounceMs + ManualCallPointRig.TickMs);

        Assert.AreEqual(ManualCallPointState.Normal, rig.Point.State);
        CollectionAssert.AreEqual(new[] { "activated", "restored" }, rig.Events());
        Assert.AreEqual("normal", rig.EventPayloads()[1].GetProperty("state").GetString());
        Assert.AreEqual("normal", rig.LastState().GetProperty("state").GetString());
    }

    [TestMethod]
    public void Step_OperatedAgainAfterRestore_SecondActivation()
    {
        ManualCallPointRig rig = RigActivated();
        rig.Glass.Active = false;
        rig.Run(1000);

        rig.Glass.Active = true;
        rig.Run(1000);

        CollectionAssert.AreEqual(new[] { "activated", "restored", "activated" }, rig.Events());
        Assert.AreEqual(2L, rig.Point.Activations);
    }

    [TestMethod]
    public void Step_GlassAlreadyOperatedAtBoot_ActivatedAfterDebounce()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Glass.Active = true;

        rig.Step();
        rig.Run(rig.Settings.ContactDebounceMs);

        Assert.AreEqual(ManualCallPointState.Activated, rig.Point.State);
        CollectionAssert.AreEqual(new[] { "activated" }, rig.Events());
    }

    [TestMethod]
    public void Step_ActivatedWhileOffline_EventSentOnceAfterOnlineStatus()
    {
        ManualCallPointRig rig = new ManualCallPointRig(new ManualCallPointSettings { HeartbeatMs = 1_000_000 });
        rig.Step();
        rig.Transport.Disconnect();
        rig.Glass.Active = true;
        rig.Run(1000);
        Assert.AreEqual(ManualCallPointState.Activated, rig.Point.State);
        long sequence = rig.Point.Uplink.Sequence;

        rig.Run(10_000);
        Assert.AreEqual(sequence, rig.Point.Uplink.Sequence, "no attempts while offline");

        rig.Transport.Clear();
        rig.Transport.Reconnect();
        rig.Run(5000);

        List<PublishedMessage> messages = rig.Transport.Messages.ToList();
        int status = messages.FindIndex(m => m.Topic == rig.Identity.StatusTopic);
        int activated = messages.FindIndex(m => m.Topic == rig.Identity.EventTopic && m.Payload.Contains("\"event\":\"activated\"", System.StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, status);
        Assert.IsGreaterThan(status, activated);
        Assert.AreEqual(1, rig.Events().Count(e => e == "activated"));
        Assert.AreEqual("activated", rig.LastState().GetProperty("state").GetString());
    }

    [TestMethod]
    public void Step_TransportRefusesActivated_RetriedAtMostOncePerSecondUntilTaken()
    {
        ManualCallPointRig rig = new ManualCallPointRig(new ManualCallPointSettings { HeartbeatMs = 1_000_000 });
        rig.Step();
        rig.Transport.RefusePublishes = true;
        rig.Glass.Active = true;
        rig.Run(1000);
        long attempts = rig.Transport.Attempts;

        rig.Run(5000);
        Assert.AreEqual(attempts + 5, rig.Transport.Attempts);

        rig.Transport.RefusePublishes = false;
        rig.Run(5000);
        Assert.AreEqual(1, rig.Events().Count(e => e == "activated"));
    }

    [TestMethod]
    public void Step_RestoredBeforeLinkReturns_ActivatedNotSentLateButCounted()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Step();
        rig.Transport.Disconnect();
        rig.Glass.Active = true;
        rig.Run(1000);
        rig.Glass.Active = false;
        rig.Run(1000);

        rig.Transport.Reconnect();
        rig.Run(5000);

        Assert.DoesNotContain("activated", rig.Events());
        Assert.AreEqual(1, rig.LastState().GetProperty("activations").GetInt32());
        Assert.IsGreaterThan(0, rig.LastState().GetProperty("dropped").GetInt32());
    }

    [TestMethod]
    public void Step_LineFaultHeldForConfirmTime_FaultThenFaultCleared()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Step();

        rig.LineFault!.Active = true;
        rig.Run(rig.Settings.LineFaultConfirmMs - 20);
        Assert.AreEqual(ManualCallPointState.Normal, rig.Point.State);
        rig.Run(30);
        Assert.AreEqual(ManualCallPointState.Fault, rig.Point.State);
        Assert.AreEqual("fault", rig.LastState().GetProperty("state").GetString());
        Assert.IsTrue(rig.LastState().GetProperty("lineFault").GetBoolean());

        rig.LineFault.Active = false;
        rig.Run(rig.Settings.LineFaultConfirmMs + 20);

        Assert.AreEqual(ManualCallPointState.Normal, rig.Point.State);
        CollectionAssert.AreEqual(new[] { "fault", "fault-cleared" }, rig.Events());
    }

    [TestMethod]
    public void Step_LineFaultGlitchShorterThanConfirmTime_NoFault()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Step();

        for (int i = 0; i < 10; i++)
        {
            rig.LineFault!.Active = true;
            rig.Run(rig.Settings.LineFaultConfirmMs - 100);
            rig.LineFault.Active = false;
            rig.Run(100);
        }

        Assert.IsEmpty(rig.Events());
    }

    [TestMethod]
    public void Step_OperatedDuringLineFault_ActivationWinsThenFaultOnRestore()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Step();
        rig.LineFault!.Active = true;
        rig.Run(rig.Settings.LineFaultConfirmMs + 20);
        Assert.AreEqual(ManualCallPointState.Fault, rig.Point.State);

        rig.Glass.Active = true;
        rig.Run(100);
        Assert.AreEqual(ManualCallPointState.Activated, rig.Point.State);

        rig.Glass.Active = false;
        rig.Run(100);

        Assert.AreEqual(ManualCallPointState.Fault, rig.Point.State);
        CollectionAssert.AreEqual(new[] { "fault", "activated", "restored" }, rig.Events());
        Assert.AreEqual("fault", rig.EventPayloads()[2].GetProperty("state").GetString());
    }

    [TestMethod]
    public void Step_LineFaultDuringActivation_StaysActivated()
    {
        ManualCallPointRig rig = RigActivated();

        rig.LineFault!.Active = true;
        rig.Run(rig.Settings.LineFaultConfirmMs * 3);

        Assert.AreEqual(ManualCallPointState.Activated, rig.Point.State);
        Assert.AreEqual("fault", rig.Events()[^1]);
        Assert.AreEqual("activated", rig.EventPayloads()[^1].GetProperty("state").GetString());
        Assert.IsTrue(rig.LastState().GetProperty("lineFault").GetBoolean());
    }

    [TestMethod]
    public void Step_NoLineMonitoringFitted_NoLineFaultField()
    {
        ManualCallPointRig rig = new ManualCallPointRig(withLineMonitoring: false);

        rig.Step();

        Assert.IsFalse(rig.Point.IsLineMonitored);
        Assert.IsFalse(rig.LastState().TryGetProperty("lineFault", out _));
        Assert.AreEqual("normal", rig.LastState().GetProperty("state").GetString());
    }

    [TestMethod]
    public void HandleMessage_ResetWhileActivated_RejectedNotSupportedAndStaysActivated()
    {
        ManualCallPointRig rig = RigActivated();

        rig.Command("r1", "reset");
        rig.Run(1000);

        JsonElement ack = rig.Acks()[^1];
        Assert.AreEqual("rejected", ack.GetProperty("result").GetString());
        Assert.AreEqual("not-supported", ack.GetProperty("reason").GetString());
        Assert.AreEqual(ManualCallPointState.Activated, rig.Point.State);
    }

    [TestMethod]
    public void HandleMessage_SelfTest_ReportsPass()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Step();

        rig.Command("t1", "self-test");

        JsonElement report = rig.EventPayloads()[^1];
        Assert.AreEqual("self-test-report", report.GetProperty("event").GetString());
        Assert.AreEqual("pass", report.GetProperty("result").GetString());
        Assert.AreEqual("normal", report.GetProperty("state").GetString());
        Assert.AreEqual("done", rig.Acks()[^1].GetProperty("result").GetString());
    }

    [TestMethod]
    public void HandleMessage_SelfTestWithLineFault_ReportsFail()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Step();
        rig.LineFault!.Active = true;
        rig.Run(rig.Settings.LineFaultConfirmMs + 20);

        rig.Command("t1", "self-test");

        Assert.AreEqual("fail", rig.EventPayloads()[^1].GetProperty("result").GetString());
    }

    [TestMethod]
    public void Step_FirstStepOnline_PublishesRetainedOnlineStatusWithKindAndRole()
    {
        ManualCallPointRig rig = new ManualCallPointRig();

        rig.Step();

        PublishedMessage status = rig.Transport.Messages[0];
        Assert.AreEqual(rig.Identity.StatusTopic, status.Topic);
        Assert.IsTrue(status.Retain);
        JsonElement body = Published.Json(status);
        Assert.AreEqual("manual-call-point", body.GetProperty("kind").GetString());
        Assert.AreEqual("break-glass", body.GetProperty("role").GetString());
        Assert.AreEqual("normal", rig.LastState().GetProperty("state").GetString());
    }

    [TestMethod]
    public void Step_HeartbeatPeriodElapsed_PublishesState()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Step();
        rig.Transport.Clear();

        rig.Run(rig.Settings.HeartbeatMs - ManualCallPointRig.TickMs);
        Assert.IsEmpty(rig.States());
        rig.Step(ManualCallPointRig.TickMs);

        Assert.HasCount(1, rig.States());
    }

    private static ManualCallPointRig RigActivated()
    {
        ManualCallPointRig rig = new ManualCallPointRig();
        rig.Step();
        rig.Glass.Active = true;
        rig.Run(100);
        Assert.AreEqual(ManualCallPointState.Activated, rig.Point.State);
        return rig;
    }
}
