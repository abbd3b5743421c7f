namespace SmartCommunity.Firmware.Tests.Devices.EmergencyCallPoint;

using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.EmergencyCallPoint;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>Button calls, the edge's answers, cancel, boots and the wire format. Welfare calls: EmergencyCallPointTests.Welfare.cs.</summary>
[TestClass]
public sealed partial class EmergencyCallPointTests
{
    [TestMethod]
    public void Step_CallPressed_CallRaisedAtOnceWithBootAndNumberInId()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();

        rig.CallButton.Active = true;
        rig.Run(rig.Settings.ButtonDebounceMs + EmergencyCallPointRig.TickMs);

        Assert.AreEqual(EmergencyCallState.Calling, rig.Point.CallState);
        Assert.AreEqual("9-1", rig.Point.CallId);
        CollectionAssert.AreEqual(new[] { "call" }, rig.Events());
        JsonElement call = rig.EventPayloads()[0];
        Assert.AreEqual("9-1", call.GetProperty("call").GetString());
        Assert.AreEqual("call", call.GetProperty("kind").GetString());
        Assert.AreEqual("calling", call.GetProperty("callState").GetString());
        Assert.AreEqual(1, call.GetProperty("presses").GetInt32());
        JsonElement state = rig.LastState();
        Assert.AreEqual("9-1", state.GetProperty("call").GetString());
        Assert.AreEqual("calling", state.GetProperty("callState").GetString());
        Assert.AreEqual("call", state.GetProperty("kind").GetString());
        Assert.IsFalse(state.GetProperty("sounder").GetBoolean());
        Assert.IsFalse(rig.ReceivedIndicator.Energised);
    }

    [TestMethod]
    public void Step_ButtonBounceShorterThanDebounce_NoCall()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();

        rig.Bounce(rig.CallButton, 20);

        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        Assert.IsEmpty(rig.Events());
    }

    [TestMethod]
    public void Step_NoAnswerFromEdge_CallResentEveryCallResendMsWithTheSameId()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();
        Assert.HasCount(1, rig.EventsNamed("call"));

        rig.Run(rig.Settings.CallResendMs - 500);
        Assert.HasCount(1, rig.EventsNamed("call"));
        rig.Run(rig.Settings.CallResendMs * 3);

        List<JsonElement> calls = rig.EventsNamed("call");
        Assert.HasCount(4, calls);
        Assert.IsTrue(calls.All(c => c.GetProperty("call").GetString() == "9-1"));
        Assert.AreEqual(EmergencyCallState.Calling, rig.Point.CallState);
    }

    [TestMethod]
    public void HandleMessage_CallReceived_StopsResendingAndLightsReceivedIndicator()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();

        rig.CallCommand("c1", "call-received", "9-1");
        rig.Run(rig.Settings.CallResendMs * 5);

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual(EmergencyCallState.Received, rig.Point.CallState);
        Assert.IsTrue(rig.ReceivedIndicator.Energised);
        Assert.IsFalse(rig.HandledIndicator!.Energised);
        Assert.HasCount(1, rig.EventsNamed("call"));
        Assert.AreEqual("received", rig.LastState().GetProperty("callState").GetString());
    }

    [TestMethod]
    public void HandleMessage_CallHandled_ShowsHandledThenIdleAfterShowTime()
    {
        EmergencyCallPointRig rig = RigReceived();

        rig.CallCommand("c2", "call-handled", "9-1");
        Assert.AreEqual(EmergencyCallState.Handled, rig.Point.CallState);
        Assert.IsTrue(rig.HandledIndicator!.Energised);
        Assert.IsTrue(rig.ReceivedIndicator.Energised);
        Assert.AreEqual("handled", rig.LastState().GetProperty("callState").GetString());

        rig.Run(rig.Settings.HandledShowMs - 100);
        Assert.AreEqual(EmergencyCallState.Handled, rig.Point.CallState);
        rig.Run(200);

        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        Assert.IsFalse(rig.HandledIndicator.Energised);
        Assert.IsFalse(rig.ReceivedIndicator.Energised);
        JsonElement state = rig.LastState();
        Assert.AreEqual("idle", state.GetProperty("callState").GetString());
        Assert.AreEqual("", state.GetProperty("call").GetString());
        Assert.AreEqual("", state.GetProperty("kind").GetString());
    }

    [TestMethod]
    public void HandleMessage_CallHandledWithNoHandledIndicatorFitted_ReceivedStaysLitForShowTime()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig(withHandledIndicator: false);
        rig.Step();
        rig.PressCall();

        rig.CallCommand("c2", "call-handled", "9-1");

        Assert.AreEqual(EmergencyCallState.Handled, rig.Point.CallState);
        Assert.IsTrue(rig.ReceivedIndicator.Energised);
        rig.Run(rig.Settings.HandledShowMs + 100);
        Assert.IsFalse(rig.ReceivedIndicator.Energised);
    }

    [TestMethod]
    public void HandleMessage_CallHandledBeforeReceived_StopsResendingAndShowsHandled()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();

        rig.CallCommand("c2", "call-handled", "9-1");
        rig.Run(rig.Settings.HandledShowMs - 100);

        Assert.AreEqual(EmergencyCallState.Handled, rig.Point.CallState);
        Assert.HasCount(1, rig.EventsNamed("call"));
    }

    [TestMethod]
    public void HandleMessage_SoundThenHandled_SounderOnUntilHandled()
    {
        EmergencyCallPointRig rig = RigReceived();

        rig.CallCommand("c2", "sound", "9-1");
        Assert.AreEqual(EmergencyCallState.Sounding, rig.Point.CallState);
        Assert.IsTrue(rig.Sounder.Energised);
        Assert.IsTrue(rig.LastState().GetProperty("sounder").GetBoolean());
        Assert.AreEqual("sounding", rig.LastState().GetProperty("callState").GetString());
        rig.Run(60_000);
        Assert.IsTrue(rig.Sounder.Energised, "sounds until handled or cancelled, with no time limit of its own");

        rig.CallCommand("c3", "call-handled", "9-1");

        Assert.AreEqual(EmergencyCallState.Handled, rig.Point.CallState);
        Assert.IsFalse(rig.Sounder.Energised);
        Assert.IsTrue(rig.HandledIndicator!.Energised);
        Assert.IsFalse(rig.LastState().GetProperty("sounder").GetBoolean());
    }

    [TestMethod]
    public void HandleMessage_SoundBeforeReceived_SoundsAndStopsResending()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();

        rig.CallCommand("c1", "sound", "9-1");
        rig.Run(rig.Settings.CallResendMs * 3);

        Assert.AreEqual(EmergencyCallState.Sounding, rig.Point.CallState);
        Assert.IsTrue(rig.Sounder.Energised);
        Assert.IsTrue(rig.ReceivedIndicator.Energised);
        Assert.HasCount(1, rig.EventsNamed("call"));
    }

    [TestMethod]
    public void HandleMessage_SoundAfterHandled_RejectedAndSilent()
    {
        EmergencyCallPointRig rig = RigReceived();
        rig.CallCommand("c2", "call-handled", "9-1");

        rig.CallCommand("c3", "sound", "9-1");

        Assert.AreEqual("rejected", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual("bad-argument", rig.LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(EmergencyCallState.Handled, rig.Point.CallState);
        Assert.IsFalse(rig.Sounder.Energised);
    }

    [TestMethod]
    public void HandleMessage_ReceivedAgainAfterSound_StaysSounding()
    {
        EmergencyCallPointRig rig = RigReceived();
        rig.CallCommand("c2", "sound", "9-1");

        rig.CallCommand("c3", "call-received", "9-1");

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual(EmergencyCallState.Sounding, rig.Point.CallState);
        Assert.IsTrue(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Step_CancelWhileCalling_CallCancelledIndicatorsOffAndIdle()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();

        rig.PressCancel();
        rig.Run(rig.Settings.CallResendMs * 2);

        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        CollectionAssert.AreEqual(new[] { "call", "call-cancelled" }, rig.Events());
        JsonElement cancelled = rig.EventPayloads()[1];
        Assert.AreEqual("9-1", cancelled.GetProperty("call").GetString());
        Assert.AreEqual("call", cancelled.GetProperty("kind").GetString());
        Assert.IsFalse(rig.ReceivedIndicator.Energised);
        Assert.AreEqual("idle", rig.LastState().GetProperty("callState").GetString());
    }

    [TestMethod]
    public void Step_CancelWhileSounding_SounderAndIndicatorsOffAndCallCancelled()
    {
        EmergencyCallPointRig rig = RigReceived();
        rig.CallCommand("c2", "sound", "9-1");
        Assert.IsTrue(rig.Sounder.Energised);

        rig.PressCancel();

        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        Assert.IsFalse(rig.Sounder.Energised);
        Assert.IsFalse(rig.ReceivedIndicator.Energised);
        Assert.IsFalse(rig.HandledIndicator!.Energised);
        Assert.AreEqual("call-cancelled", rig.Events()[^1]);
        Assert.AreEqual("9-1", rig.EventPayloads()[^1].GetProperty("call").GetString());
    }

    [TestMethod]
    public void Step_CancelWhenIdle_NothingHappens()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();

        rig.PressCancel();

        Assert.IsEmpty(rig.Events());
        Assert.AreEqual(0L, rig.Point.Calls);
    }

    [TestMethod]
    public void Step_CancelDuringHandledShow_EndsShowEarlyWithoutEvent()
    {
        EmergencyCallPointRig rig = RigReceived();
        rig.CallCommand("c2", "call-handled", "9-1");

        rig.PressCancel();

        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        Assert.IsFalse(rig.HandledIndicator!.Energised);
        Assert.DoesNotContain("call-cancelled", rig.Events());
    }

    [TestMethod]
    public void Step_CancelledWhileOffline_CancelSentAfterReconnect()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig(new EmergencyCallPointSettings { HeartbeatMs = 1_000_000 });
        rig.Step();
        rig.PressCall();
        rig.Transport.Disconnect();
        rig.PressCancel();
        long sequence = rig.Point.Uplink.Sequence;

        rig.Run(10_000);
        Assert.AreEqual(sequence, rig.Point.Uplink.Sequence, "no attempts while offline");

        rig.Transport.Clear();
        rig.Transport.Reconnect();
        rig.Run(1000);

        List<PublishedMessage> messages = rig.Transport.Messages.ToList();
        int status = messages.FindIndex(m => m.Topic == rig.Identity.StatusTopic);
        int cancelled = messages.FindIndex(m => m.Payload.Contains("\"event\":\"call-cancelled\"", System.StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, status);
        Assert.IsGreaterThan(status, cancelled);
        Assert.HasCount(1, rig.EventsNamed("call-cancelled"));
        Assert.AreEqual("9-1", rig.EventsNamed("call-cancelled")[0].GetProperty("call").GetString());
    }

    [TestMethod]
    public void Step_TransportRefusesCancel_RetriedAtMostOncePerSecondUntilTaken()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig(new EmergencyCallPointSettings { HeartbeatMs = 1_000_000 });
        rig.Step();
        rig.PressCall();
        rig.Transport.RefusePublishes = true;
        rig.PressCancel();
        long attempts = rig.Transport.Attempts;

        rig.Run(5000);
        Assert.AreEqual(attempts + 5, rig.Transport.Attempts);

        rig.Transport.RefusePublishes = false;
        rig.Run(2000);
        Assert.HasCount(1, rig.EventsNamed("call-cancelled"));
        rig.Run(10_000);
        Assert.HasCount(1, rig.EventsNamed("call-cancelled"));
    }

    [TestMethod]
    public void Step_MoreCancelsOfflineThanTheQueueHolds_OldestGivenUpAndCounted()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.Transport.Disconnect();
        for (int i = 0; i < EmergencyCallPoint.PendingEndingCapacity + 1; i++)
        {
            rig.PressCall();
            rig.PressCancel();
        }

        rig.Transport.Reconnect();
        rig.Run(2000);

        List<string?> cancelled = rig.EventsNamed("call-cancelled").Select(e => e.GetProperty("call").GetString()).ToList();
        CollectionAssert.AreEqual(new[] { "9-2", "9-3", "9-4", "9-5" }, cancelled);
        Assert.AreEqual(1L, rig.Point.LostEndings);
        Assert.AreEqual(1, rig.LastState().GetProperty("lostEndings").GetInt32());
    }

    [TestMethod]
    public void Step_CallRaisedWhileOffline_SentAfterOnlineStatusThenResentOnCadence()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig(new EmergencyCallPointSettings { HeartbeatMs = 1_000_000 });
        rig.Step();
        rig.Transport.Disconnect();
        rig.PressCall();
        long sequence = rig.Point.Uplink.Sequence;
        rig.Run(30_000);
        Assert.AreEqual(sequence, rig.Point.Uplink.Sequence, "no attempts while offline");

        rig.Transport.Clear();
        rig.Transport.Reconnect();
        rig.Step(EmergencyCallPointRig.TickMs);

        List<PublishedMessage> messages = rig.Transport.Messages.ToList();
        int status = messages.FindIndex(m => m.Topic == rig.Identity.StatusTopic);
        int call = messages.FindIndex(m => m.Payload.Contains("\"event\":\"call\"", System.StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, status);
        Assert.IsGreaterThan(status, call);
        rig.Run(rig.Settings.CallResendMs - 100);
        Assert.HasCount(1, rig.EventsNamed("call"));
        rig.Run(200);
        Assert.HasCount(2, rig.EventsNamed("call"));
    }

    [TestMethod]
    public void HandleMessage_CommandNamingAnotherCall_RejectedAsStaleAndNothingChanges()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();

        rig.CallCommand("c1", "call-received", "9-7");
        Assert.AreEqual("bad-argument", rig.LastAck().GetProperty("reason").GetString());
        rig.CallCommand("c2", "sound", "8-1");
        Assert.AreEqual("bad-argument", rig.LastAck().GetProperty("reason").GetString());
        rig.CallCommand("c3", "call-handled", "9-10");
        Assert.AreEqual("bad-argument", rig.LastAck().GetProperty("reason").GetString());

        Assert.AreEqual(EmergencyCallState.Calling, rig.Point.CallState);
        Assert.IsFalse(rig.Sounder.Energised);
        Assert.AreEqual(3L, rig.Point.Commands.Rejected);
    }

    [TestMethod]
    public void HandleMessage_CallCommandWhileIdle_RejectedAsStale()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();

        rig.CallCommand("c1", "sound", "9-1");

        Assert.AreEqual("bad-argument", rig.LastAck().GetProperty("reason").GetString());
        Assert.IsFalse(rig.Sounder.Energised);
    }

    [TestMethod]
    public void HandleMessage_CallCommandWithoutCallId_RejectedBadArgument()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();

        rig.Command("c1", "call-received");

        Assert.AreEqual("bad-argument", rig.LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(EmergencyCallState.Calling, rig.Point.CallState);
    }

    [TestMethod]
    public void HandleMessage_HandledForTheJustFinishedCall_AcceptedWithoutEffect()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();
        rig.PressCancel();

        rig.CallCommand("c1", "call-handled", "9-1");
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        rig.CallCommand("c2", "call-received", "9-1");
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());

        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
        Assert.IsFalse(rig.HandledIndicator!.Energised);
        Assert.IsFalse(rig.ReceivedIndicator.Energised);
    }

    [TestMethod]
    public void HandleMessage_SoundForTheJustFinishedCall_RejectedAndSilent()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();
        rig.PressCancel();

        rig.CallCommand("c1", "sound", "9-1");

        Assert.AreEqual("bad-argument", rig.LastAck().GetProperty("reason").GetString());
        Assert.IsFalse(rig.Sounder.Energised);
    }

    [TestMethod]
    public void HandleMessage_HandledForACallBeforeTheLastOne_RejectedAsStale()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();
        rig.PressCancel();
        rig.PressCall();
        rig.PressCancel();

        rig.CallCommand("c1", "call-handled", "9-1");

        Assert.AreEqual("bad-argument", rig.LastAck().GetProperty("reason").GetString());
    }

    [TestMethod]
    public void Step_SecondPressDuringOpenCall_NoNewCallAndCallSentAgainAtOnce()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();
        rig.Run(2000);

        rig.PressCall();

        List<JsonElement> calls = rig.EventsNamed("call");
        Assert.HasCount(2, calls);
        Assert.AreEqual("9-1", calls[1].GetProperty("call").GetString());
        Assert.AreEqual(2, calls[1].GetProperty("presses").GetInt32());
        Assert.AreEqual(1L, rig.Point.Calls);
        Assert.AreEqual(EmergencyCallState.Calling, rig.Point.CallState);
    }

    [TestMethod]
    public void Step_SecondPressWhileSounding_SameCallKeepsSounding()
    {
        EmergencyCallPointRig rig = RigReceived();
        rig.CallCommand("c2", "sound", "9-1");

        rig.PressCall();

        Assert.AreEqual(EmergencyCallState.Sounding, rig.Point.CallState);
        Assert.AreEqual("9-1", rig.Point.CallId);
        Assert.AreEqual(1L, rig.Point.Calls);
        Assert.IsTrue(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Step_PressDuringHandledShow_StartsANewCall()
    {
        EmergencyCallPointRig rig = RigReceived();
        rig.CallCommand("c2", "call-handled", "9-1");

        rig.PressCall();

        Assert.AreEqual(EmergencyCallState.Calling, rig.Point.CallState);
        Assert.AreEqual("9-2", rig.Point.CallId);
        Assert.IsFalse(rig.HandledIndicator!.Energised);
        Assert.IsFalse(rig.ReceivedIndicator.Energised);
        rig.CallCommand("c3", "call-handled", "9-1");
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString(), "a late handled for the finished call is harmless");
        Assert.AreEqual(EmergencyCallState.Calling, rig.Point.CallState);
    }

    [TestMethod]
    public void Step_NewCallsInOneBoot_NumberedOneTwoThree()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();

        for (int i = 0; i < 3; i++)
        {
            rig.PressCall();
            rig.PressCancel();
        }

        List<string?> ids = rig.EventsNamed("call").Select(e => e.GetProperty("call").GetString()).ToList();
        CollectionAssert.AreEqual(new[] { "9-1", "9-2", "9-3" }, ids);
        Assert.AreEqual(3, rig.LastState().GetProperty("calls").GetInt32());
    }

    [TestMethod]
    public void Step_Reboot_NumberingRestartsAndIdsStayUniqueThroughTheBoot()
    {
        EmergencyCallPointRig before = new EmergencyCallPointRig(boot: 9);
        before.Step();
        before.PressCall();
        before.PressCancel();
        before.PressCall();
        Assert.AreEqual("9-2", before.Point.CallId);

        // A restart: same store-backed boot counter, one higher; nothing of the open call survives in RAM.
        EmergencyCallPointRig after = new EmergencyCallPointRig(boot: 10);
        Assert.IsFalse(after.ReceivedIndicator.Energised);
        Assert.AreEqual(EmergencyCallState.Idle, after.Point.CallState);
        after.Step();
        after.PressCall();

        Assert.AreEqual("10-1", after.Point.CallId);
        after.CallCommand("c1", "call-received", "9-2");
        Assert.AreEqual("bad-argument", after.LastAck().GetProperty("reason").GetString(), "a call of the earlier boot is stale");
    }

    [TestMethod]
    public void WriteCallId_BootAndNumber_AsciiBootDashNumber()
    {
        byte[] buffer = new byte[EmergencyCallPoint.CallIdCapacity];

        int length = EmergencyCallPoint.WriteCallId(buffer, 1234567890123, 42);

        Assert.AreEqual("1234567890123-42", System.Text.Encoding.ASCII.GetString(buffer, 0, length));
        length = EmergencyCallPoint.WriteCallId(buffer, long.MaxValue, long.MaxValue);
        Assert.AreEqual(long.MaxValue + "-" + long.MaxValue, System.Text.Encoding.ASCII.GetString(buffer, 0, length));
    }

    [TestMethod]
    public void Constructor_Boot_AllOutputsWrittenOff()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();

        Assert.AreEqual(1L, rig.ReceivedIndicator.Writes);
        Assert.AreEqual(1L, rig.HandledIndicator!.Writes);
        Assert.AreEqual(1L, rig.Sounder.Writes);
        Assert.IsFalse(rig.Sounder.Energised);
    }

    [TestMethod]
    public void Constructor_CallResendOutOfRange_BroughtToTheNearestLimit()
    {
        Assert.AreEqual(EmergencyCallPointSettings.MinCallResendMs, new EmergencyCallPointRig(new EmergencyCallPointSettings { CallResendMs = 0 }).Point.CallResendMs);
        Assert.AreEqual(EmergencyCallPointSettings.MaxCallResendMs, new EmergencyCallPointRig(new EmergencyCallPointSettings { CallResendMs = 3_600_000 }).Point.CallResendMs);
    }

    [TestMethod]
    public void HandleMessage_SelfTest_ReportsPassWithInputs()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();

        rig.Command("t1", "self-test");

        JsonElement report = rig.EventPayloads()[^1];
        Assert.AreEqual("self-test-report", report.GetProperty("event").GetString());
        Assert.AreEqual("pass", report.GetProperty("result").GetString());
        Assert.AreEqual("idle", report.GetProperty("callState").GetString());
        Assert.IsFalse(report.GetProperty("callButton").GetBoolean());
        Assert.IsTrue(report.GetProperty("motionFitted").GetBoolean());
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
    }

    [TestMethod]
    [DataRow("release")]
    [DataRow("reset")]
    [DataRow("unlock")]
    public void HandleMessage_CommandOfOtherDevices_RejectedNotSupported(string name)
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();

        rig.Command("x1", name);

        Assert.AreEqual("not-supported", rig.LastAck().GetProperty("reason").GetString());
    }

    [TestMethod]
    public void Step_FirstStepOnline_PublishesRetainedOnlineStatusWithKindAndRole()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();

        rig.Step();

        PublishedMessage status = rig.Transport.Messages[0];
        Assert.AreEqual(rig.Identity.StatusTopic, status.Topic);
        Assert.IsTrue(status.Retain);
        JsonElement body = Published.Json(status);
        Assert.AreEqual("emergency-call-point", body.GetProperty("kind").GetString());
        Assert.AreEqual("resident", body.GetProperty("role").GetString());
        JsonElement state = rig.LastState();
        Assert.AreEqual("idle", state.GetProperty("callState").GetString());
        Assert.AreEqual("", state.GetProperty("call").GetString());
        Assert.IsTrue(state.GetProperty("welfare").GetBoolean());
    }

    [TestMethod]
    public void Step_HeartbeatPeriodElapsed_PublishesStateWithTimeSinceActivity()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.Transport.Clear();

        rig.Run(rig.Settings.HeartbeatMs - EmergencyCallPointRig.TickMs);
        Assert.IsEmpty(rig.States());
        rig.Step(EmergencyCallPointRig.TickMs);

        Assert.HasCount(1, rig.States());
        Assert.AreEqual(rig.Settings.HeartbeatMs, rig.LastState().GetProperty("lastActivityMs").GetInt64());
    }

    private static EmergencyCallPointRig RigReceived()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig();
        rig.Step();
        rig.PressCall();
        rig.CallCommand("c1", "call-received", "9-1");
        Assert.AreEqual(EmergencyCallState.Received, rig.Point.CallState);
        return rig;
    }
}
