namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Collections.Generic;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;

/// <summary>The edge link (hardware-docs/door-controller.md, "Edge link") and the buffered access events.</summary>
public sealed partial class DoorControllerTests
{
    [TestMethod]
    public void Step_EgressCriticalDoorLosesTheLink_ReleasesAndReportsLinkLostWhenBack()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { EgressCritical = true });
        rig.Transport.Disconnect();
        long lostFrom = rig.Clock.UptimeMs;

        rig.Step(rig.Settings.LinkLostMs - 1);
        Assert.IsTrue(rig.Output.Energised);
        rig.Step(1);

        Assert.IsTrue(rig.Controller.IsLinkLost);
        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual(ReleaseReasons.LinkLost, rig.Controller.ReleaseReasonBits);

        rig.Transport.Reconnect();
        rig.Step(10);
        Assert.IsFalse(rig.Output.Energised, "the link is back only once the fire state of the new session is read");
        rig.FireState("clear");
        rig.Step(10);

        Assert.IsFalse(rig.Controller.IsLinkLost);
        Assert.IsTrue(rig.Output.Energised);
        JsonElement lost = rig.EventsNamed("link-lost")[0];
        Assert.AreEqual(lostFrom + rig.Settings.LinkLostMs, lost.GetProperty("at").GetInt64());
        Assert.IsTrue(lost.GetProperty("egressCritical").GetBoolean());
        Assert.HasCount(1, rig.EventsNamed("link-restored"));
        Assert.AreEqual("up", rig.LastState().GetProperty("link").GetString());
    }

    [TestMethod]
    public void Step_PerimeterDoorLosesTheLink_StaysSecureAndGrantsFromItsList()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { EgressCritical = false, AskEdge = true });
        rig.Transport.Disconnect();

        rig.Step(rig.Settings.LinkLostMs);

        Assert.IsTrue(rig.Controller.IsLinkLost);
        Assert.IsTrue(rig.Output.Energised);
        rig.Present(Unknown);
        Assert.IsTrue(rig.Output.Energised);
        rig.Present(Plain);
        Assert.IsFalse(rig.Output.Energised);
        Assert.AreEqual(ReleaseReasons.Access, rig.Controller.ReleaseReasonBits);

        rig.Transport.Reconnect();
        rig.Step(10);
        Assert.AreEqual("lost", rig.LastState().GetProperty("link").GetString());
        List<JsonElement> accesses = rig.Accesses();
        AssertAccess(accesses[0], Unknown, "denied", "unknown-card", offline: true);
        AssertAccess(accesses[1], Plain, "granted", "allow-list", offline: true);
        Assert.IsFalse(rig.EventsNamed("link-lost")[0].GetProperty("egressCritical").GetBoolean());
    }

    [TestMethod]
    public void Step_LinkReturnsWhileAReleaseCommandStands_StaysReleased()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { EgressCritical = true });
        rig.Command("r1", "release");
        rig.Transport.Disconnect();
        rig.Step(rig.Settings.LinkLostMs);
        Assert.AreEqual(ReleaseReasons.Command | ReleaseReasons.LinkLost, rig.Controller.ReleaseReasonBits);

        rig.Transport.Reconnect();
        rig.FireState("clear");
        rig.Step(10);

        Assert.IsFalse(rig.Controller.IsLinkLost);
        Assert.AreEqual(ReleaseReasons.Command, rig.Controller.ReleaseReasonBits);
        Assert.IsFalse(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_ConnectedButNoFireStateInTheSession_LinkLostAfterTheLinkLostTime()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { EgressCritical = true });
        rig.Transport.Disconnect();
        rig.Transport.Reconnect();

        rig.Step(rig.Settings.LinkLostMs - 1);
        Assert.IsFalse(rig.Controller.IsLinkLost);
        rig.Step(1);

        Assert.IsTrue(rig.Controller.IsLinkLost);
        Assert.IsFalse(rig.Output.Energised);
        Assert.HasCount(1, rig.EventsNamed("link-lost"), "sent at once: the transport is up");
    }

    [TestMethod]
    public void Step_LinkLostTimeZero_NeverLost()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { EgressCritical = true, LinkLostMs = 0 });
        rig.Transport.Disconnect();

        rig.Step(24 * 3600000L);

        Assert.IsFalse(rig.Controller.IsLinkLost);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_EventsWhileOffline_SentInOrderWithTheTimeTheyHappenedWhenTheLinkReturns()
    {
        DoorRig rig = ReadyWithList();
        rig.Transport.Disconnect();
        long t0 = rig.Clock.UptimeMs;

        rig.Present(Unknown);
        rig.Step(1000);
        rig.Present(Plain);
        rig.SetDoorClosed(false);
        rig.SetDoorClosed(true);
        rig.Step(rig.Settings.UnlockMs);
        rig.SetDoorClosed(false);
        long forcedAt = rig.Clock.UptimeMs;
        rig.Step(1000);
        rig.SetDoorClosed(true);
        Assert.AreEqual(4, rig.Controller.BufferedAccessEvents);
        rig.Transport.Clear();

        rig.Transport.Reconnect();
        rig.Step(10);

        List<string> topics = new List<string>();
        List<string> names = new List<string>();
        List<long> times = new List<long>();
        foreach (SmartCommunity.Simulation.Hardware.PublishedMessage message in rig.Transport.Messages)
        {
            topics.Add(message.Topic);
            JsonElement body = TestSupport.Published.Json(message);
            if (body.TryGetProperty("at", out JsonElement at))
            {
                names.Add(body.GetProperty("event").GetString()!);
                times.Add(at.GetInt64());
            }
        }

        Assert.AreEqual(rig.Identity.StatusTopic, topics[0], "the device announces itself first");
        CollectionAssert.AreEqual(new[] { "access", "access", "door-forced", "door-forced-cleared" }, names);
        CollectionAssert.AreEqual(new[] { t0 + 10, t0 + 1020, forcedAt, forcedAt + 1060 }, times);
        Assert.AreEqual(0, rig.Controller.BufferedAccessEvents);
        AssertAccess(rig.Accesses()[0], Unknown, "denied", "unknown-card", offline: true);
        AssertAccess(rig.Accesses()[1], Plain, "granted", "allow-list", offline: true);
    }

    [TestMethod]
    public void Step_MoreEventsOfflineThanTheBufferHolds_DropsTheOldestAndCountsThem()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AccessBufferCapacity = 4 });
        rig.Transport.Disconnect();

        for (ulong card = 1; card <= 6; card++)
        {
            rig.Present(card);
        }

        Assert.AreEqual(2L, rig.Controller.AccessDropped);
        rig.Transport.Reconnect();
        rig.Step(10);

        List<JsonElement> accesses = rig.Accesses();
        Assert.HasCount(4, accesses);
        Assert.AreEqual("3", accesses[0].GetProperty("card").GetString());
        Assert.AreEqual("6", accesses[3].GetProperty("card").GetString());
        Assert.AreEqual(2, rig.LastState().GetProperty("accessDropped").GetInt32());
    }

    [TestMethod]
    public void Step_TransportRefusesTheEvent_KeptAndSentAgainAfterTheRetryInterval()
    {
        DoorRig rig = ReadyWithList();
        rig.Transport.RefusePublishes = true;
        rig.Present(Plain);
        Assert.AreEqual(1, rig.Controller.BufferedAccessEvents);
        long attempts = rig.Transport.Attempts;

        rig.Transport.RefusePublishes = false;
        rig.Step(500);
        Assert.AreEqual(1, rig.Controller.BufferedAccessEvents, "no retry before the retry interval");
        Assert.AreEqual(attempts, rig.Transport.Attempts);
        rig.Step(500);

        Assert.AreEqual(0, rig.Controller.BufferedAccessEvents);
        Assert.HasCount(1, rig.Accesses());
    }
}
