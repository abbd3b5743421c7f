namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;

/// <summary>Doors that ask the edge (askEdge): access-request, grant, deny, and the local decision after onlineWaitMs.</summary>
public sealed partial class DoorControllerTests
{
    [TestMethod]
    public void Step_CardAtAskEdgeDoor_SendsAccessRequestAndWaitsLocked()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });

        rig.Present(Plain);

        JsonElement request = rig.EventsNamed("access-request")[0];
        Assert.AreEqual("1001", request.GetProperty("card").GetString());
        Assert.AreEqual(26, request.GetProperty("bits").GetInt32());
        Assert.AreEqual("wiegand", request.GetProperty("reader").GetString());
        Assert.AreEqual(1, request.GetProperty("req").GetInt32());
        Assert.AreEqual(1L, rig.Controller.PendingRequest);
        Assert.IsEmpty(rig.Accesses());
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void HandleMessage_GrantForTheWaitingRequest_UnlocksForItsTimeAndReportsTheEdgeDecision()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Present(Unknown);
        rig.Step(200);

        rig.Command("g1", "grant", ",\"req\":1,\"ms\":2000");

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        AssertAccess(rig.LastAccess(), Unknown, "granted", "edge", offline: false);
        Assert.AreEqual(1, rig.LastAccess().GetProperty("req").GetInt32());
        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual(0L, rig.Controller.PendingRequest);
        rig.Step(1999);
        Assert.IsFalse(rig.Output.Energised);
        rig.Step(1);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void HandleMessage_DenyForTheWaitingRequest_DeniedEdgeDeniedEvenForAListedCard()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Present(Plain);

        rig.Command("d1", "deny", ",\"req\":1,\"reason\":\"anti-passback\"");

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        AssertAccess(rig.LastAccess(), Plain, "denied", "edge-denied", offline: false);
        Assert.AreEqual(1, rig.LastAccess().GetProperty("req").GetInt32());
        Assert.IsTrue(rig.Output.Energised);
        rig.Step(rig.Settings.OnlineWaitMs * 2);
        Assert.HasCount(1, rig.Accesses());
    }

    [TestMethod]
    public void Step_NoAnswerWithinOnlineWait_DecidesFromTheListAndSaysOffline()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Present(Plain);

        rig.Step(rig.Settings.OnlineWaitMs - 1);
        Assert.IsEmpty(rig.Accesses());
        Assert.IsTrue(rig.Output.Energised);
        rig.Step(1);

        AssertAccess(rig.LastAccess(), Plain, "granted", "allow-list", offline: true);
        Assert.AreEqual(1, rig.LastAccess().GetProperty("req").GetInt32());
        Assert.IsFalse(rig.Output.Energised);
    }

    [TestMethod]
    public void HandleMessage_GrantAfterTheLocalDecision_RejectedExpiredAndNothingChanges()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Present(Unknown);
        rig.Step(rig.Settings.OnlineWaitMs);
        AssertAccess(rig.LastAccess(), Unknown, "denied", "unknown-card", offline: true);

        rig.Command("g1", "grant", ",\"req\":1");

        Assert.AreEqual("rejected", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual("expired", rig.LastAck().GetProperty("reason").GetString());
        Assert.HasCount(1, rig.Accesses());
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void HandleMessage_AnswerForAnotherRequest_RejectedExpiredAndTheRequestStillWaits()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Present(Plain);

        rig.Command("g1", "grant", ",\"req\":2");

        Assert.AreEqual("expired", rig.LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(1L, rig.Controller.PendingRequest);
        rig.Command("g2", "grant", ",\"req\":1");
        AssertAccess(rig.LastAccess(), Plain, "granted", "edge", offline: false);
    }

    [TestMethod]
    public void HandleMessage_GrantLongerThanAllowed_RejectedBadArgumentAndTheRequestStillWaits()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Present(Plain);

        rig.Command("g1", "grant", ",\"req\":1,\"ms\":600001");

        Assert.AreEqual("bad-argument", rig.LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(1L, rig.Controller.PendingRequest);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_CardAtAskEdgeDoorWhileDisconnected_DecidedLocallyAtOnceAndSentLater()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Transport.Disconnect();

        rig.Present(Plain);

        Assert.AreEqual(0L, rig.Controller.PendingRequest);
        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual(1, rig.Controller.BufferedAccessEvents);
        rig.Transport.Reconnect();
        rig.Step(10);
        AssertAccess(rig.LastAccess(), Plain, "granted", "allow-list", offline: true);
        Assert.IsFalse(rig.LastAccess().TryGetProperty("req", out _));
        Assert.IsEmpty(rig.EventsNamed("access-request"));
    }

    [TestMethod]
    public void Step_SecondCardWhileTheFirstWaits_TakenOnlyAfterTheFirstIsDecided()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.Present(Plain);
        rig.Present(InWindow);
        Assert.AreEqual(1, rig.Reader.Waiting);

        rig.Command("d1", "deny", ",\"req\":1");
        rig.Step(10);

        Assert.AreEqual(0, rig.Reader.Waiting);
        JsonElement second = rig.EventsNamed("access-request")[1];
        Assert.AreEqual("1002", second.GetProperty("card").GetString());
        Assert.AreEqual(2, second.GetProperty("req").GetInt32());
    }
}
