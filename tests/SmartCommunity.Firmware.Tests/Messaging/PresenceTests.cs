namespace SmartCommunity.Firmware.Tests.Messaging;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed class PresenceTests
{
    private readonly RecordingTransport _transport = new RecordingTransport();
    private readonly DeviceIdentity _identity = new DeviceIdentity("s", "b", "door", "d-1", "3.1");

    [TestMethod]
    public void AnnounceIfNewSession_OncePerSession_PublishesRetainedOnlineStatus()
    {
        Presence presence = new Presence(new Uplink(_identity, new ManualClock(), _transport, 1), _transport, "egress-lock");

        Assert.IsTrue(presence.AnnounceIfNewSession(0));
        Assert.IsFalse(presence.AnnounceIfNewSession(0));
        _transport.Reconnect();
        Assert.IsTrue(presence.AnnounceIfNewSession(0));
        Assert.IsFalse(presence.AnnounceIfNewSession(0));

        Assert.HasCount(2, _transport.Messages);
        Assert.AreEqual(_identity.StatusTopic, _transport.Messages[1].Topic);
        Assert.IsTrue(_transport.Messages[1].Retain);
        Assert.AreEqual("3.1", Published.Json(_transport.Messages[1]).GetProperty("fw").GetString());
    }

    [TestMethod]
    public void AnnounceIfNewSession_Offline_WaitsUntilConnected()
    {
        Presence presence = new Presence(new Uplink(_identity, new ManualClock(), _transport, 1), _transport, "egress-lock");
        _transport.Disconnect();

        Assert.IsFalse(presence.AnnounceIfNewSession(0));
        _transport.Reconnect();

        Assert.IsTrue(presence.AnnounceIfNewSession(0));
        Assert.HasCount(1, _transport.Messages);
    }

    [TestMethod]
    public void AnnounceIfNewSession_TransportRefuses_RetriesAtMostOncePerRetryInterval()
    {
        Uplink uplink = new Uplink(_identity, new ManualClock(), _transport, 1);
        Presence presence = new Presence(uplink, _transport, "egress-lock");
        _transport.RefusePublishes = true;

        for (long now = 0; now < 3 * Uplink.RetryIntervalMs; now += 10)
        {
            Assert.IsFalse(presence.AnnounceIfNewSession(now));
        }

        Assert.AreEqual(3L, _transport.Attempts);
        Assert.AreEqual(3L, uplink.Sequence);
        _transport.RefusePublishes = false;
        Assert.IsTrue(presence.AnnounceIfNewSession(3 * Uplink.RetryIntervalMs));
    }
}
