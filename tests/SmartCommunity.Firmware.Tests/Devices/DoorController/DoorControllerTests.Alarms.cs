namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;

/// <summary>Request-to-exit, unlock time, relock on close, door forced and door held open (hardware-docs/door-controller.md, "Door alarms").</summary>
public sealed partial class DoorControllerTests
{
    [TestMethod]
    public void Step_DoorOpenedWhileLocked_RaisesDoorForcedUntilItCloses()
    {
        DoorRig rig = ReadyWithList();

        rig.SetDoorClosed(false);

        Assert.IsTrue(rig.Controller.IsDoorForced);
        Assert.HasCount(1, rig.EventsNamed("door-forced"));
        Assert.AreEqual(rig.Clock.UptimeMs, rig.EventsNamed("door-forced")[0].GetProperty("at").GetInt64());
        rig.Step(1000);
        Assert.HasCount(1, rig.EventsNamed("door-forced"), "raised once per opening");

        rig.SetDoorClosed(true);

        Assert.IsFalse(rig.Controller.IsDoorForced);
        Assert.HasCount(1, rig.EventsNamed("door-forced-cleared"));
    }

    [TestMethod]
    public void Step_DoorOpenedAfterAGrant_NotForcedAndLocksAgainAsSoonAsItCloses()
    {
        DoorRig rig = ReadyWithList();
        rig.Present(Plain);

        rig.SetDoorClosed(false);
        Assert.IsFalse(rig.Controller.IsDoorForced);
        Assert.IsFalse(rig.Output.Energised);
        rig.SetDoorClosed(true);

        Assert.IsEmpty(rig.EventsNamed("door-forced"));
        Assert.IsTrue(rig.Output.Energised, "one passage per grant");
        Assert.IsLessThan(rig.Settings.UnlockMs, rig.Clock.UptimeMs - rig.LastAccess().GetProperty("at").GetInt64());
    }

    [TestMethod]
    public void Step_GrantNotUsed_LocksAgainAfterTheUnlockTime()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { UnlockMs = 3000 });
        rig.Present(Plain);

        rig.Step(2999);
        Assert.IsFalse(rig.Output.Energised);
        rig.Step(1);

        Assert.IsTrue(rig.Output.Energised);
        rig.SetDoorClosed(false);
        Assert.IsTrue(rig.Controller.IsDoorForced, "opening after the unlock time is forced");
    }

    [TestMethod]
    public void Step_RexPressed_ReportsRexAndUnlocksForTheUnlockTime()
    {
        DoorRig rig = ReadyWithList();
        long pressedAt = rig.Clock.UptimeMs + 10 + rig.Settings.RexDebounceMs;

        rig.PressRex();

        Assert.HasCount(1, rig.EventsNamed("rex"));
        Assert.AreEqual(pressedAt, rig.EventsNamed("rex")[0].GetProperty("at").GetInt64());
        Assert.IsFalse(rig.Output.Energised);
        CollectionAssert.Contains(ReleaseList(rig.LastState()), "rex");
        rig.Step(rig.Settings.UnlockMs - 10);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_RexBounceShorterThanDebounce_Ignored()
    {
        DoorRig rig = ReadyWithList();

        rig.Rex.Active = true;
        rig.Step(10);
        rig.Step(rig.Settings.RexDebounceMs - 20);
        rig.Rex.Active = false;
        rig.Step(100);

        Assert.IsEmpty(rig.EventsNamed("rex"));
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_DoorOpenedAfterRex_NotForcedAndLocksWhenItCloses()
    {
        DoorRig rig = ReadyWithList();
        rig.PressRex();

        rig.SetDoorClosed(false);
        rig.SetDoorClosed(true);

        Assert.IsEmpty(rig.EventsNamed("door-forced"));
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_DoorOpenLongerThanHeldOpenTime_RaisesDoorHeldThenClearedOnClose()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { HeldOpenMs = 20000 });
        rig.Present(Plain);
        rig.SetDoorClosed(false);
        long openedAt = rig.Clock.UptimeMs;

        rig.Step(19999);
        Assert.IsFalse(rig.Controller.IsDoorHeld);
        rig.Step(1);

        Assert.IsTrue(rig.Controller.IsDoorHeld);
        List<System.Text.Json.JsonElement> held = rig.EventsNamed("door-held");
        Assert.HasCount(1, held);
        Assert.AreEqual(openedAt + 20000, held[0].GetProperty("at").GetInt64());
        rig.Step(60000);
        Assert.HasCount(1, rig.EventsNamed("door-held"));

        rig.SetDoorClosed(true);

        Assert.IsFalse(rig.Controller.IsDoorHeld);
        Assert.HasCount(1, rig.EventsNamed("door-held-cleared"));
    }

    [TestMethod]
    public void Step_DoorOpenWhileReleasedByCommand_NoHeldAlarmUntilHeldTimeAfterTheReset()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { HeldOpenMs = 20000 });
        rig.Command("r1", "release");
        rig.SetDoorClosed(false);
        rig.Step(100000);
        Assert.IsFalse(rig.Controller.IsDoorHeld);

        rig.Command("r2", "reset");
        rig.Step(19999);
        Assert.IsFalse(rig.Controller.IsDoorHeld);
        rig.Step(1);

        Assert.IsTrue(rig.Controller.IsDoorHeld);
        Assert.IsEmpty(rig.EventsNamed("door-forced"), "it opened while released");
    }

    [TestMethod]
    public void Step_HeldOpenTimeZero_NoHeldAlarm()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { HeldOpenMs = 0 });
        rig.Present(Plain);
        rig.SetDoorClosed(false);

        rig.Step(3600000);

        Assert.IsEmpty(rig.EventsNamed("door-held"));
    }

    [TestMethod]
    public void Step_HoldOpenDoorClosesAndOpens_NoForcedOrHeld()
    {
        DoorRig rig = new DoorRig(new DoorSettings { Role = DoorRole.HoldOpen });
        rig.MakeReady();

        rig.SetDoorClosed(false);
        rig.Step(3600000);

        Assert.IsEmpty(rig.EventsNamed("door-forced"));
        Assert.IsEmpty(rig.EventsNamed("door-held"));
    }

    [TestMethod]
    public void HandleMessage_LockDuringAGrant_LocksAtOnce()
    {
        DoorRig rig = ReadyWithList();
        rig.Present(Plain);
        rig.PressRex();

        rig.Command("l1", "lock");

        Assert.IsTrue(rig.Output.Energised);
        Assert.AreEqual(0, rig.Controller.ReleaseReasonBits);
    }
}
