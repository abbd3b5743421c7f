namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;

/// <summary>Reader feedback (hardware-docs/door-controller.md, "Reader feedback"): one signal per reported decision.</summary>
public sealed partial class DoorControllerTests
{
    [TestMethod]
    public void Step_CardGrantedFromList_SignalsGrantedOnce()
    {
        DoorRig rig = ReadyWithList();

        rig.Present(Plain);
        rig.Run(1000);

        Assert.AreEqual(1, rig.Reader.GrantedSignals);
        Assert.AreEqual(0, rig.Reader.DeniedSignals);
    }

    [TestMethod]
    public void Step_UnknownCard_SignalsDeniedOnce()
    {
        DoorRig rig = ReadyWithList();

        rig.Present(Unknown);
        rig.Run(1000);

        Assert.AreEqual(0, rig.Reader.GrantedSignals);
        Assert.AreEqual(1, rig.Reader.DeniedSignals);
    }

    [TestMethod]
    public void Step_ExpiredCard_SignalsDeniedOnce()
    {
        DoorRig rig = ReadyWithList();

        rig.Present(Expired);

        Assert.AreEqual(0, rig.Reader.GrantedSignals);
        Assert.AreEqual(1, rig.Reader.DeniedSignals);
    }

    [TestMethod]
    public void Step_SeveralCards_OneSignalPerAccessEvent()
    {
        DoorRig rig = ReadyWithList();

        rig.Present(Plain);
        rig.Present(Unknown);
        rig.Present(NotYet);
        rig.Present(InWindow);
        rig.Run(100);

        Assert.HasCount(4, rig.Accesses());
        Assert.AreEqual(2, rig.Reader.GrantedSignals);
        Assert.AreEqual(2, rig.Reader.DeniedSignals);
    }

    [TestMethod]
    public void Step_CardDuringFire_SignalsGranted()
    {
        DoorRig rig = ReadyWithList();
        rig.FireInput.Active = true;
        rig.Step(10);

        rig.Present(Unknown);

        AssertAccess(rig.LastAccess(), Unknown, "granted", "fire-released", offline: true);
        Assert.AreEqual(1, rig.Reader.GrantedSignals);
        Assert.AreEqual(0, rig.Reader.DeniedSignals);
    }

    [TestMethod]
    public void Step_BadFrame_NoSignal()
    {
        DoorRig rig = ReadyWithList();

        rig.Reader.PresentBadFrame(BadFrameReason.Parity);
        rig.Step(10);

        Assert.AreEqual(1L, rig.Controller.BadFrames);
        Assert.AreEqual(0, rig.Reader.Signals);
    }

    [TestMethod]
    public void Step_CardAtHoldOpenDoor_NoSignal()
    {
        DoorRig rig = new DoorRig(new DoorSettings { Role = DoorRole.HoldOpen });
        rig.MakeReady();
        rig.SyncFull("s1", 1, Entries);

        rig.Present(Plain);

        Assert.AreEqual(1L, rig.Controller.IgnoredReads);
        Assert.AreEqual(0, rig.Reader.Signals);
    }

    [TestMethod]
    public void Step_CardWaitingForTheEdge_NoSignalUntilDecided()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });

        rig.Present(Plain);

        Assert.AreEqual(1L, rig.Controller.PendingRequest);
        Assert.AreEqual(0, rig.Reader.Signals);
    }

    [TestMethod]
    public void HandleMessage_EdgeGrant_SignalsGrantedOnce()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Present(Unknown);

        rig.Command("g1", "grant", ",\"req\":1");
        rig.Step(rig.Settings.OnlineWaitMs * 2);

        Assert.AreEqual(1, rig.Reader.GrantedSignals);
        Assert.AreEqual(0, rig.Reader.DeniedSignals);
    }

    [TestMethod]
    public void HandleMessage_EdgeDeny_SignalsDeniedOnce()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Present(Plain);

        rig.Command("d1", "deny", ",\"req\":1");
        rig.Step(rig.Settings.OnlineWaitMs * 2);

        Assert.AreEqual(0, rig.Reader.GrantedSignals);
        Assert.AreEqual(1, rig.Reader.DeniedSignals);
    }

    [TestMethod]
    public void HandleMessage_RefusedOrLateAnswer_NoFurtherSignal()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Present(Plain);

        rig.Command("g1", "grant", ",\"req\":1,\"ms\":600001");
        Assert.AreEqual(0, rig.Reader.Signals, "a refused grant decides nothing");
        rig.Command("d1", "deny", ",\"req\":1");
        rig.Command("g2", "grant", ",\"req\":1");

        Assert.AreEqual(1, rig.Reader.Signals);
        Assert.AreEqual(1, rig.Reader.DeniedSignals);
    }

    [TestMethod]
    public void Step_EdgeSilentPastTheWait_SignalsTheLocalDecisionOnce()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Present(Plain);

        rig.Step(rig.Settings.OnlineWaitMs);
        rig.Step(rig.Settings.OnlineWaitMs);

        AssertAccess(rig.LastAccess(), Plain, "granted", "allow-list", offline: true);
        Assert.AreEqual(1, rig.Reader.GrantedSignals);
        Assert.AreEqual(0, rig.Reader.DeniedSignals);
    }
}
