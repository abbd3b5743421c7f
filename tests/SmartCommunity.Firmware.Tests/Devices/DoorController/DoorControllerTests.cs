namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Collections.Generic;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed partial class DoorControllerTests
{
    [TestMethod]
    public void Constructor_OutputLeftEnergisedDuringReset_ReleasesBeforeAnythingElse()
    {
        SimulatedOutput output = new SimulatedOutput();
        output.Write(true);
        RecordingTransport transport = new RecordingTransport();

        DoorController controller = new DoorController(
            new DeviceIdentity("s", "b", DoorController.Kind, "d", "1"),
            new DoorSettings(),
            output,
            new SimulatedInput(),
            null,
            new ManualClock(),
            transport,
            1);

        Assert.IsFalse(output.Energised);
        Assert.AreEqual(2L, output.Writes);
        Assert.IsFalse(controller.IsEnergised);
        Assert.AreEqual(ReleaseReasons.AwaitingFireState, controller.ReleaseReasonBits);
    }

    [TestMethod]
    public void Step_NoFireStateEverRead_StaysReleased()
    {
        DoorRig rig = new DoorRig();

        for (int i = 0; i < 200; i++)
        {
            rig.Step(1000);
        }

        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual(ReleaseReasons.AwaitingFireState, rig.Controller.ReleaseReasonBits);
        JsonElement state = rig.LastState();
        Assert.AreEqual("unknown", state.GetProperty("fireState").GetString());
        CollectionAssert.AreEqual(new[] { "awaiting-fire-state" }, ReleaseList(state));
    }

    [TestMethod]
    public void HandleMessage_FireStateClearWithFireInputClear_Energises()
    {
        DoorRig rig = new DoorRig();
        rig.Step();
        rig.Step(rig.Settings.FireInputClearMs);

        rig.FireState("clear");

        Assert.IsTrue(rig.Output.Energised);
        Assert.IsTrue(rig.Controller.IsEnergised);
        Assert.AreEqual(0, rig.Controller.ReleaseReasonBits);
        Assert.AreEqual("energised", rig.Events()[^1]);
        JsonElement state = rig.LastState();
        Assert.AreEqual("energised", state.GetProperty("output").GetString());
        Assert.AreEqual("clear", state.GetProperty("fireState").GetString());
        Assert.AreEqual(0, state.GetProperty("release").GetArrayLength());
    }

    [TestMethod]
    public void HandleMessage_FireStateClearWhileFireInputActive_EnergisesOnlyOnceInputClearForClearTime()
    {
        DoorRig rig = new DoorRig();
        rig.FireInput.Active = true;
        rig.Step();

        rig.FireState("clear");
        Assert.IsFalse(rig.Output.Energised);
        rig.Step(5000);
        Assert.IsFalse(rig.Output.Energised);

        rig.FireInput.Active = false;
        rig.Step(10);
        rig.Step(rig.Settings.FireInputClearMs - 1);
        Assert.IsFalse(rig.Output.Energised);

        rig.Step(1);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_FireInputClearButNoFireStateRead_StaysReleased()
    {
        DoorRig rig = new DoorRig();
        rig.FireInput.Active = true;
        rig.Step();
        rig.FireInput.Active = false;

        for (int i = 0; i < 100; i++)
        {
            rig.Step(100);
        }

        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual(ReleaseReasons.AwaitingFireState, rig.Controller.ReleaseReasonBits);
        CollectionAssert.Contains(rig.Events(), "fire-input-clear");
    }

    [TestMethod]
    public void Step_FireInputActiveWhileOffline_ReleasesInTheSameStep()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        Assert.IsTrue(rig.Output.Energised);
        rig.Transport.Disconnect();
        long published = rig.Transport.PublishCount;

        rig.FireInput.Active = true;
        rig.Step();

        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual(ReleaseReasons.FireInput, rig.Controller.ReleaseReasonBits);
        Assert.AreEqual(published, rig.Transport.PublishCount);
        Assert.IsGreaterThan(0L, rig.Controller.Uplink.Dropped);
    }

    [TestMethod]
    public void HandleMessage_FireInputActiveBeforeAnyStep_NeverEnergises()
    {
        DoorRig rig = new DoorRig();
        rig.FireInput.Active = true;

        rig.FireState("clear");

        Assert.IsFalse(rig.Output.Energised);
    }

    [TestMethod]
    public void HandleMessage_FireInputGoesActiveWhileEnergised_ReleasesBeforeTheNextStep()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();

        rig.FireInput.Active = true;
        rig.FireState("clear");

        Assert.IsFalse(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_FireInputChattersWithinClearTime_StaysReleasedUntilAFullClearTime()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        long clearMs = rig.Settings.FireInputClearMs;
        rig.FireInput.Active = true;
        rig.Step(10);

        rig.FireInput.Active = false;
        rig.Step(10);
        rig.Step(clearMs - 100);
        rig.FireInput.Active = true;
        rig.Step(10);
        rig.FireInput.Active = false;
        rig.Step(10);
        rig.Step(clearMs - 1);
        Assert.IsFalse(rig.Output.Energised);

        rig.Step(1);

        Assert.IsTrue(rig.Output.Energised);
        List<string> events = rig.Events();
        Assert.AreEqual(1, events.FindAll(e => e == "fire-input-active").Count);
        Assert.AreEqual(1, events.FindAll(e => e == "fire-input-clear").Count);
        Assert.AreEqual("energised", events[^1]);
    }

    [TestMethod]
    public void HandleMessage_BuildingFireAlarm_ReleasesAndClearReenergises()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();

        rig.FireState("alarm");

        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual(FireState.Alarm, rig.Controller.BuildingFire);
        Assert.AreEqual("released", rig.Events()[^1]);
        JsonElement state = rig.LastState();
        Assert.AreEqual("alarm", state.GetProperty("fireState").GetString());
        CollectionAssert.AreEqual(new[] { "building-fire" }, ReleaseList(state));

        rig.FireState("clear");

        Assert.IsTrue(rig.Output.Energised);
        Assert.AreEqual("energised", rig.Events()[^1]);
    }

    [TestMethod]
    public void HandleMessage_ReleaseCommand_LatchesUntilReset()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();

        rig.Command("c1", "release");
        Assert.IsFalse(rig.Output.Energised);
        AssertAck(rig.LastAck(), "c1", "release", "done", null, false);
        CollectionAssert.AreEqual(new[] { "command" }, ReleaseList(rig.LastState()));

        rig.FireState("clear");
        rig.Step(60000);
        rig.FireState("clear");
        Assert.IsFalse(rig.Output.Energised);

        rig.Command("c2", "reset");
        Assert.IsTrue(rig.Output.Energised);
        AssertAck(rig.LastAck(), "c2", "reset", "done", null, false);
    }

    [TestMethod]
    public void HandleMessage_ResetWhileFireInputActiveOrClearing_RejectedFireActive()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.Command("c1", "release");
        rig.FireInput.Active = true;
        rig.Step(10);

        rig.Command("r1", "reset");
        AssertAck(rig.LastAck(), "r1", "reset", "rejected", "fire-active", false);

        rig.FireInput.Active = false;
        rig.Step(10);
        rig.Command("r2", "reset");
        AssertAck(rig.LastAck(), "r2", "reset", "rejected", "fire-active", false);

        rig.Step(rig.Settings.FireInputClearMs);
        Assert.IsFalse(rig.Output.Energised, "the release command must still be in force");
        rig.Command("r3", "reset");
        AssertAck(rig.LastAck(), "r3", "reset", "done", null, false);
        Assert.IsTrue(rig.Output.Energised);
        Assert.AreEqual(2L, rig.Controller.Commands.Rejected);
    }

    [TestMethod]
    public void HandleMessage_ResetWhileFireInputActiveButNotYetStepped_RejectedFireActive()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.Command("c1", "release");
        rig.FireInput.Active = true;

        rig.Command("r1", "reset");

        AssertAck(rig.LastAck(), "r1", "reset", "rejected", "fire-active", false);
        Assert.IsFalse(rig.Output.Energised);
    }

    [TestMethod]
    public void HandleMessage_ResetWhileBuildingFireAlarm_RejectedFireActive()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.Command("c1", "release");
        rig.FireState("alarm");

        rig.Command("r1", "reset");

        AssertAck(rig.LastAck(), "r1", "reset", "rejected", "fire-active", false);
        rig.FireState("clear");
        Assert.IsFalse(rig.Output.Energised, "the refused reset must not have cleared the release command");
        rig.Command("r2", "reset");
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void HandleMessage_RepeatedCommandId_AckedAgainWithRepeatAndNotExecutedAgain()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.Command("c1", "release");
        rig.Command("r1", "reset");
        Assert.IsTrue(rig.Output.Energised);
        long writes = rig.Output.Writes;

        rig.Command("c1", "release");

        Assert.IsTrue(rig.Output.Energised);
        Assert.AreEqual(writes, rig.Output.Writes);
        AssertAck(rig.LastAck(), "c1", "release", "done", null, true);
        Assert.AreEqual(2L, rig.Controller.Commands.Executed);
        Assert.AreEqual(1L, rig.Controller.Commands.Repeats);
        Assert.HasCount(3, rig.Acks());
    }

    [TestMethod]
    public void HandleMessage_RepeatedIdOfRefusedCommand_RepeatsTheRefusal()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.Command("c1", "release");
        rig.FireState("alarm");
        rig.Command("r1", "reset");
        rig.FireState("clear");

        rig.Command("r1", "reset");

        AssertAck(rig.LastAck(), "r1", "reset", "rejected", "fire-active", true);
        Assert.IsFalse(rig.Output.Energised);
    }

    [TestMethod]
    [DataRow(DoorRig.Boot, 9999L, true, DisplayName = "this boot, deadline passed")]
    [DataRow(DoorRig.Boot - 1, 20000L, true, DisplayName = "earlier boot")]
    [DataRow(DoorRig.Boot, 10000L, false, DisplayName = "this boot, deadline now")]
    [DataRow(DoorRig.Boot, 20000L, false, DisplayName = "this boot, deadline ahead")]
    [DataRow(0L, 5000L, false, DisplayName = "boot unknown to the edge")]
    [DataRow(DoorRig.Boot, 0L, false, DisplayName = "no deadline")]
    public void HandleMessage_CommandWithExpiry_RejectedOnlyWhenExpired(long boot, long expiresAtMs, bool expired)
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.Step(10000 - rig.Clock.UptimeMs);

        rig.Command("c1", "release", ",\"boot\":" + boot + ",\"exp\":" + expiresAtMs);

        if (expired)
        {
            AssertAck(rig.LastAck(), "c1", "release", "rejected", "expired", false);
            Assert.IsTrue(rig.Output.Energised);
            Assert.AreEqual(1L, rig.Controller.Commands.Rejected);
        }
        else
        {
            AssertAck(rig.LastAck(), "c1", "release", "done", null, false);
            Assert.IsFalse(rig.Output.Energised);
        }
    }

    [TestMethod]
    [DataRow("{not json", "", "malformed")]
    [DataRow("{\"v\":1,\"cmd\":\"release\"}", "", "missing-id")]
    [DataRow("{\"v\":9,\"id\":\"c1\",\"cmd\":\"release\"}", "c1", "unsupported-version")]
    [DataRow("{\"v\":1,\"id\":\"c1\",\"cmd\":\"explode\"}", "c1", "unknown-command")]
    public void HandleMessage_BadCommand_RejectedAckAndCounted(string json, string id, string reason)
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();

        rig.Deliver(rig.Identity.CommandTopic, json);

        JsonElement ack = rig.LastAck();
        Assert.AreEqual(id, ack.GetProperty("id").GetString());
        Assert.AreEqual("rejected", ack.GetProperty("result").GetString());
        Assert.AreEqual(reason, ack.GetProperty("reason").GetString());
        Assert.IsTrue(rig.Output.Energised);
        Assert.AreEqual(1L, rig.Controller.Commands.Rejected);
        Assert.AreEqual(0L, rig.Controller.Commands.Executed);
        rig.Step(rig.Settings.HeartbeatMs);
        Assert.AreEqual(1, rig.LastState().GetProperty("rejectedCommands").GetInt32());
    }

    [TestMethod]
    public void HandleMessage_SelfTest_PublishesReportAndAcks()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();

        rig.Command("t1", "self-test");

        JsonElement report = rig.EventPayloads()[^1];
        Assert.AreEqual("self-test-report", report.GetProperty("event").GetString());
        Assert.AreEqual("pass", report.GetProperty("result").GetString());
        Assert.AreEqual("energised", report.GetProperty("output").GetString());
        AssertAck(rig.LastAck(), "t1", "self-test", "done", null, false);
    }

    [TestMethod]
    public void HandleMessage_MalformedFireState_IgnoredAndCounted()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();

        rig.Deliver(rig.Identity.FireStateTopic, "garbage");
        rig.Deliver(rig.Identity.FireStateTopic, "{\"v\":1,\"state\":\"smoky\"}");
        rig.Deliver(rig.Identity.FireStateTopic, "{\"v\":2,\"state\":\"alarm\"}");

        Assert.IsTrue(rig.Output.Energised);
        Assert.AreEqual(FireState.Clear, rig.Controller.BuildingFire);
        Assert.AreEqual(3L, rig.Controller.MalformedFireStates);
    }

    [TestMethod]
    public void HandleMessage_MalformedFireStateBeforeAnyClear_StaysReleased()
    {
        DoorRig rig = new DoorRig();
        rig.Step();

        rig.Deliver(rig.Identity.FireStateTopic, "");

        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual(ReleaseReasons.AwaitingFireState, rig.Controller.ReleaseReasonBits);
        Assert.AreEqual(1L, rig.Controller.MalformedFireStates);
    }

    [TestMethod]
    public void HandleMessage_OtherTopic_Ignored()
    {
        DoorRig rig = new DoorRig();
        rig.Step();

        rig.Deliver("sc/v1/site-1/b2/fire", "{\"v\":1,\"state\":\"clear\"}");

        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual(0L, rig.Controller.MalformedFireStates);
    }

    [TestMethod]
    public void Step_DoorContactChangeHeldForDebounce_EmitsDoorOpenedThenDoorClosed()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        long debounceMs = rig.Settings.DoorContactDebounceMs;
        Assert.IsTrue(rig.Controller.IsDoorClosed);

        rig.DoorContact!.Active = false;
        rig.Step(10);
        rig.Step(debounceMs - 1);
        Assert.DoesNotContain("door-opened", rig.Events());

        rig.Step(1);
        // Opening a locked door also raises door-forced (DoorControllerTests.Alarms.cs), right after door-opened.
        Assert.AreEqual("door-opened", rig.Events()[^2]);
        Assert.AreEqual("open", rig.EventsNamed("door-opened")[^1].GetProperty("door").GetString());
        Assert.IsFalse(rig.Controller.IsDoorClosed);

        rig.DoorContact.Active = true;
        rig.Step(10);
        rig.Step(debounceMs);
        Assert.AreEqual("door-closed", rig.Events()[^2]);
        Assert.AreEqual("closed", rig.EventsNamed("door-closed")[^1].GetProperty("door").GetString());
        Assert.IsTrue(rig.Controller.IsDoorClosed);
    }

    [TestMethod]
    public void Step_DoorContactBouncesShorterThanDebounce_NoDoorEvent()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        long debounceMs = rig.Settings.DoorContactDebounceMs;

        for (int i = 0; i < 20; i++)
        {
            rig.DoorContact!.Active = i % 2 == 1;
            rig.Step(debounceMs / 3);
            rig.Step(debounceMs / 3);
        }

        rig.DoorContact!.Active = true;
        rig.Step(debounceMs * 10);

        Assert.DoesNotContain("door-opened", rig.Events());
        Assert.DoesNotContain("door-closed", rig.Events());
        Assert.IsTrue(rig.Controller.IsDoorClosed);
    }

    [TestMethod]
    public void Step_NoDoorContactWired_ReportsNoDoorField()
    {
        DoorRig rig = new DoorRig(withDoorContact: false);

        rig.MakeReady();

        Assert.IsFalse(rig.LastState().TryGetProperty("door", out _));
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_FirstStepOnline_PublishesRetainedOnlineStatusThenState()
    {
        DoorRig rig = new DoorRig();

        rig.Step();

        Assert.HasCount(2, rig.Transport.Messages);
        PublishedMessage status = rig.Transport.Messages[0];
        Assert.AreEqual("sc/v1/site-1/b1/door/door-1/status", status.Topic);
        Assert.IsTrue(status.Retain);
        Assert.AreEqual(1, status.Qos);
        JsonElement body = Published.Json(status);
        Assert.IsTrue(body.GetProperty("online").GetBoolean());
        Assert.AreEqual("door", body.GetProperty("kind").GetString());
        Assert.AreEqual("egress-lock", body.GetProperty("role").GetString());
        Assert.AreEqual("1.2.3", body.GetProperty("fw").GetString());
        Assert.AreEqual("door-1", body.GetProperty("dev").GetString());
        Assert.AreEqual(1, body.GetProperty("v").GetInt32());
        Assert.AreEqual(DoorRig.Boot, body.GetProperty("boot").GetInt64());
        Assert.AreEqual(rig.Identity.StateTopic, rig.Transport.Messages[1].Topic);
    }

    [TestMethod]
    public void Step_NewSession_PublishesRetainedOnlineStatusThenStateOnce()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.Step(100);
        rig.Transport.Disconnect();
        rig.Step(100);
        rig.Transport.Clear();

        rig.Transport.Reconnect();
        rig.Step(100);
        rig.Step(100);

        Assert.HasCount(2, rig.Transport.Messages);
        PublishedMessage status = rig.Transport.Messages[0];
        Assert.AreEqual(rig.Identity.StatusTopic, status.Topic);
        Assert.IsTrue(status.Retain);
        Assert.IsTrue(Published.Json(status).GetProperty("online").GetBoolean());
        PublishedMessage state = rig.Transport.Messages[1];
        Assert.AreEqual(rig.Identity.StateTopic, state.Topic);
        Assert.AreEqual("energised", Published.Json(state).GetProperty("output").GetString());
    }

    [TestMethod]
    public void Step_HoldOpenRole_ReportedAsHoldOpen()
    {
        DoorRig rig = new DoorRig(new DoorSettings { Role = DoorRole.HoldOpen });

        rig.MakeReady();

        Assert.AreEqual("hold-open", rig.Controller.RoleName);
        Assert.AreEqual("hold-open", Published.Json(rig.Transport.Messages[0]).GetProperty("role").GetString());
        Assert.AreEqual("hold-open", rig.LastState().GetProperty("role").GetString());
        Assert.AreEqual("hold-open", rig.EventPayloads()[^1].GetProperty("role").GetString());
    }

    [TestMethod]
    public void Step_HeartbeatPeriodElapsed_PublishesStateOncePerPeriod()
    {
        DoorRig rig = new DoorRig();
        rig.Step();
        long heartbeatMs = rig.Settings.HeartbeatMs;
        rig.Transport.Clear();

        rig.Step(heartbeatMs - 1);
        Assert.IsEmpty(rig.States());
        rig.Step(1);
        Assert.HasCount(1, rig.States());
        rig.Step(heartbeatMs - 1);
        Assert.HasCount(1, rig.States());
        rig.Step(1);
        Assert.HasCount(2, rig.States());
        Assert.HasCount(2, rig.Transport.Messages);
    }

    [TestMethod]
    public void Step_AnyMessages_SequenceIncreasesByOnePerMessage()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.Command("c1", "release");
        rig.DoorContact!.Active = false;
        rig.Step(10);
        rig.Step(100);
        rig.Step(rig.Settings.HeartbeatMs);

        IReadOnlyList<PublishedMessage> messages = rig.Transport.Messages;
        Assert.IsGreaterThan(8, messages.Count);
        for (int i = 0; i < messages.Count; i++)
        {
            Assert.AreEqual(i + 1L, Published.Json(messages[i]).GetProperty("seq").GetInt64(), messages[i].Payload);
        }
    }

    [TestMethod]
    public void Step_MessagesDroppedWhileOffline_StillConsumeSequenceNumbers()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        long lastSeq = Published.Json(rig.Transport.Messages[^1]).GetProperty("seq").GetInt64();
        rig.Transport.Disconnect();

        rig.FireInput.Active = true;
        rig.Step(10);
        long dropped = rig.Controller.Uplink.Dropped;
        rig.Transport.Reconnect();
        rig.Step(10);

        Assert.IsGreaterThan(0L, dropped);
        JsonElement status = Published.Json(rig.Transport.Messages[^2]);
        Assert.AreEqual(lastSeq + dropped + 1, status.GetProperty("seq").GetInt64());
        JsonElement state = Published.Json(rig.Transport.Messages[^1]);
        Assert.AreEqual(lastSeq + dropped + 2, state.GetProperty("seq").GetInt64());
        Assert.AreEqual(dropped, state.GetProperty("dropped").GetInt64());
        Assert.AreEqual("released", state.GetProperty("output").GetString());
    }

    [TestMethod]
    public void Step_ClockWrapsDuringFireInputClearTime_StillWaitsTheFullClearTime()
    {
        DoorRig rig = new DoorRig(startMs: long.MaxValue - 300);
        rig.MakeReady();
        rig.FireInput.Active = true;
        rig.Step(10);
        rig.FireInput.Active = false;
        rig.Step(10);

        rig.Step(500);
        rig.Step(rig.Settings.FireInputClearMs - 501);
        Assert.IsFalse(rig.Output.Energised);
        Assert.IsLessThan(0L, rig.Clock.UptimeMs);

        rig.Step(1);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Subscriptions_Always_CommandAndBuildingFireTopics()
    {
        DoorRig rig = new DoorRig();

        CollectionAssert.AreEquivalent(
            new[] { "sc/v1/site-1/b1/door/door-1/cmd", "sc/v1/site-1/b1/fire" },
            rig.Controller.Subscriptions);
    }

    [TestMethod]
    public void HandleMessage_UnlockWithDuration_ReleasesThenLocksAgainByItself()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();

        rig.Command("u1", "unlock", ",\"ms\":3000");

        AssertAck(rig.LastAck(), "u1", "unlock", "done", null, false);
        Assert.IsFalse(rig.Output.Energised);
        rig.Step(2999);
        Assert.IsFalse(rig.Output.Energised);
        rig.Step(1);
        Assert.IsTrue(rig.Output.Energised);
        Assert.Contains("unlock-ended", rig.Events());
    }

    [TestMethod]
    public void HandleMessage_UnlockWithoutDuration_UsesTheDefault()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();

        rig.Command("u1", "unlock");
        rig.Step(rig.Settings.DefaultUnlockMs - 1);
        Assert.IsFalse(rig.Output.Energised);
        rig.Step(1);

        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void HandleMessage_LockDuringTimedUnlock_EnergisesAtOnce()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.Command("u1", "unlock", ",\"ms\":60000");

        rig.Command("l1", "lock");

        AssertAck(rig.LastAck(), "l1", "lock", "done", null, false);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void HandleMessage_LockWhileBuildingFire_RejectedFireActiveAndStaysReleased()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.FireState("alarm");

        rig.Command("l1", "lock");

        AssertAck(rig.LastAck(), "l1", "lock", "rejected", "fire-active", false);
        Assert.IsFalse(rig.Output.Energised);
    }

    [TestMethod]
    public void HandleMessage_UnlockEndingDuringFire_DoorStaysReleased()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.Command("u1", "unlock", ",\"ms\":1000");
        rig.FireInput.Active = true;

        rig.Step(2000);

        Assert.IsFalse(rig.Output.Energised);
    }

    [TestMethod]
    public void HandleMessage_UnlockOnHoldOpenDoor_RejectedNotSupported()
    {
        DoorRig rig = new DoorRig(new DoorSettings { Role = DoorRole.HoldOpen });
        rig.MakeReady();

        rig.Command("u1", "unlock");

        AssertAck(rig.LastAck(), "u1", "unlock", "rejected", "not-supported", false);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    [DataRow(",\"ms\":-5", "bad-argument")]
    [DataRow(",\"ms\":600001", "bad-argument")]
    public void HandleMessage_UnlockWithBadDuration_Rejected(string extra, string reason)
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();

        rig.Command("u1", "unlock", extra);

        AssertAck(rig.LastAck(), "u1", "unlock", "rejected", reason, false);
        Assert.IsTrue(rig.Output.Energised);
    }

    private static void AssertAck(JsonElement ack, string id, string command, string result, string? reason, bool repeat)
    {
        Assert.AreEqual(id, ack.GetProperty("id").GetString());
        Assert.AreEqual(command, ack.GetProperty("cmd").GetString());
        Assert.AreEqual(result, ack.GetProperty("result").GetString());
        if (reason == null)
        {
            Assert.IsFalse(ack.TryGetProperty("reason", out _));
        }
        else
        {
            Assert.AreEqual(reason, ack.GetProperty("reason").GetString());
        }

        Assert.AreEqual(repeat, ack.GetProperty("repeat").GetBoolean());
    }

    private static string[] ReleaseList(JsonElement payload)
    {
        List<string> reasons = new List<string>();
        foreach (JsonElement item in payload.GetProperty("release").EnumerateArray())
        {
            reasons.Add(item.GetString()!);
        }

        return reasons.ToArray();
    }
}
