namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Simulation.Hardware;

/// <summary>Fail-safe and fail-secure outputs (hardware-docs/door-controller.md, "Lock modes"), and the fire input winning over access.</summary>
public sealed partial class DoorControllerTests
{
    [TestMethod]
    public void Constructor_FailSecureEntryLock_DeEnergisesFirstThenEnergisesToStartReleased()
    {
        SimulatedOutput output = new SimulatedOutput();

        DoorController controller = new DoorController(
            new DeviceIdentity("s", "b", DoorController.Kind, "d", "1"),
            new DoorSettings { Role = DoorRole.EntryLock, LockMode = LockMode.FailSecure },
            output,
            new SimulatedInput(),
            null,
            new ManualClock(),
            new RecordingTransport(),
            1);

        Assert.AreEqual(2L, output.Writes);
        Assert.IsTrue(output.Energised, "a fail-secure strike is released by energising it");
        Assert.IsFalse(controller.IsSecured);
        Assert.AreEqual(LockMode.FailSecure, controller.LockMode);
    }

    [TestMethod]
    public void HandleMessage_FailSecureDoorReady_DeEnergisedMeansLocked()
    {
        DoorRig rig = new DoorRig(new DoorSettings { Role = DoorRole.EntryLock, LockMode = LockMode.FailSecure });

        rig.MakeReady();

        Assert.IsFalse(rig.Output.Energised);
        Assert.IsTrue(rig.Controller.IsSecured);
        JsonElement state = rig.LastState();
        Assert.AreEqual("de-energised", state.GetProperty("output").GetString());
        Assert.AreEqual("locked", state.GetProperty("lock").GetString());
        Assert.AreEqual("fail-secure", state.GetProperty("lockMode").GetString());
        Assert.AreEqual("entry-lock", state.GetProperty("role").GetString());
        Assert.AreEqual("de-energised", rig.Events()[^1]);
    }

    [TestMethod]
    public void Step_FailSecureDoorGrantedCard_EnergisesForTheUnlockTime()
    {
        DoorRig rig = new DoorRig(new DoorSettings { Role = DoorRole.EntryLock, LockMode = LockMode.FailSecure });
        rig.MakeReady();
        rig.SyncFull("s1", 1, Entries);

        rig.Present(Plain);

        Assert.IsTrue(rig.Output.Energised);
        Assert.AreEqual("unlocked", rig.LastState().GetProperty("lock").GetString());
        rig.Step(rig.Settings.UnlockMs);
        Assert.IsFalse(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_FailSecureDoorFireInput_EnergisesAtOnceAndNoCommandLocksIt()
    {
        DoorRig rig = new DoorRig(new DoorSettings { Role = DoorRole.EntryLock, LockMode = LockMode.FailSecure });
        rig.MakeReady();
        rig.FireInput.Active = true;

        rig.Step();

        Assert.IsTrue(rig.Output.Energised);
        rig.Command("l1", "lock");
        Assert.AreEqual("fire-active", rig.LastAck().GetProperty("reason").GetString());
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_FailSecureDoorOpenedWhileLocked_Forced()
    {
        DoorRig rig = new DoorRig(new DoorSettings { Role = DoorRole.EntryLock, LockMode = LockMode.FailSecure });
        rig.MakeReady();

        rig.SetDoorClosed(false);

        Assert.IsTrue(rig.Controller.IsDoorForced);
    }

    [TestMethod]
    [DataRow(DoorRole.EgressLock, "egress-lock")]
    [DataRow(DoorRole.HoldOpen, "hold-open")]
    public void Constructor_FailSecureAskedForARoleThatMustBeFailSafe_RunsFailSafeAndReportsIt(DoorRole role, string roleName)
    {
        DoorRig rig = new DoorRig(new DoorSettings { Role = role, LockMode = LockMode.FailSecure });

        rig.MakeReady();

        Assert.IsTrue(rig.Controller.LockModeRefused);
        Assert.AreEqual(LockMode.FailSafe, rig.Controller.LockMode);
        Assert.IsTrue(rig.Output.Energised, "fail-safe: energised when secured");
        JsonElement refused = rig.EventsNamed("lock-mode-refused")[0];
        Assert.AreEqual("fail-secure", refused.GetProperty("asked").GetString());
        Assert.AreEqual("fail-safe", refused.GetProperty("lockMode").GetString());
        Assert.AreEqual(roleName, refused.GetProperty("role").GetString());
        Assert.AreEqual("fail-safe", rig.LastState().GetProperty("lockMode").GetString());
    }

    [TestMethod]
    public void Step_FailSafeEntryLock_BehavesLikeAnEgressLockButSaysEntryLock()
    {
        DoorRig rig = new DoorRig(new DoorSettings { Role = DoorRole.EntryLock });
        rig.MakeReady();
        Assert.IsTrue(rig.Output.Energised);
        Assert.AreEqual("entry-lock", TestSupport.Published.Json(rig.Transport.Messages[0]).GetProperty("role").GetString());

        rig.Command("u1", "unlock", ",\"ms\":1000");

        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual("released", rig.LastState().GetProperty("output").GetString());
    }

    [TestMethod]
    public void Step_FireInputDuringGrantAndRex_StaysReleasedAfterTheyEnd()
    {
        DoorRig rig = ReadyWithList();
        rig.Present(Plain);
        rig.PressRex();
        rig.FireInput.Active = true;
        rig.Step(10);

        rig.Step(rig.Settings.UnlockMs * 2);
        rig.SetDoorClosed(false);
        rig.SetDoorClosed(true);

        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual(ReleaseReasons.FireInput, rig.Controller.ReleaseReasonBits);
        Assert.IsEmpty(rig.EventsNamed("door-forced"));
    }

    [TestMethod]
    public void HandleMessage_FireInputActiveWhenALinkReturnsOrAGrantArrives_NeverSecures()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { EgressCritical = true, AskEdge = true });
        rig.Present(Plain);
        rig.Transport.Disconnect();
        rig.Step(rig.Settings.LinkLostMs);
        rig.FireInput.Active = true;

        rig.Transport.Reconnect();
        rig.FireState("clear");
        rig.Command("g1", "grant", ",\"req\":1");
        rig.Step(rig.Settings.UnlockMs);

        Assert.IsFalse(rig.Output.Energised);
        Assert.IsFalse(rig.Controller.IsLinkLost);
    }

    [TestMethod]
    public void PublishState_SevenReasonsAndLargeNumbers_FitsTheUplinkLimit()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { Role = DoorRole.EntryLock, LockMode = LockMode.FailSecure, EgressCritical = true });
        rig.Transport.Disconnect();
        rig.Step(rig.Settings.LinkLostMs);
        rig.Step(long.MaxValue / 4);
        rig.Command("r1", "release");
        rig.Command("u1", "unlock", ",\"ms\":600000");
        rig.Present(Plain);
        rig.PressRex();
        rig.FireState("alarm");
        rig.FireInput.Active = true;
        rig.Transport.Reconnect();

        rig.Step(10);

        PublishedMessage last = rig.Transport.Messages[0];
        foreach (PublishedMessage message in rig.Transport.Messages)
        {
            if (message.Topic == rig.Identity.StateTopic)
            {
                last = message;
            }
        }

        JsonElement state = TestSupport.Published.Json(last);
        Assert.AreEqual(7, state.GetProperty("release").GetArrayLength(), last.Payload);
        int length = System.Text.Encoding.UTF8.GetByteCount(last.Payload);
        Assert.IsLessThan(SmartCommunity.Protocol.MessageLimits.MaxUplinkBytes - 40, length, "room left for larger counters: " + length);
    }
}
