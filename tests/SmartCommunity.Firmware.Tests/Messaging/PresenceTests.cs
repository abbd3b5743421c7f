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

        Assert.IsTrue(presence.AnnounceIfNewSession());
        Assert.IsFalse(presence.AnnounceIfNewSession());
        _transport.Reconnect();
        Assert.IsTrue(presence.AnnounceIfNewSession());
        Assert.IsFalse(presence.AnnounceIfNewSession());

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

        Assert.IsFalse(presence.AnnounceIfNewSession());
        _transport.Reconnect();

        Assert.IsTrue(presence.AnnounceIfNewSession());
        Assert.HasCount(1, _transport.Messages);
    }
}
