namespace SmartCommunity.Firmware.Tests.Messaging;

using System.Text;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed class UplinkTests
{
    private readonly ManualClock _clock = new ManualClock(12345);
    private readonly RecordingTransport _transport = new RecordingTransport();
    private readonly DeviceIdentity _identity = new DeviceIdentity("s", "b", "door", "d-1", "1.0");

    [TestMethod]
    public void Begin_AnyMessage_WritesTheEnvelope()
    {
        Uplink uplink = new Uplink(_identity, _clock, _transport, 9);

        uplink.BeginEvent("tested").Property("extra", 5);
        Assert.IsTrue(uplink.Send(_identity.EventTopic, 1));

        JsonElement message = Published.Json(_transport.Messages[0]);
        Assert.AreEqual(1, message.GetProperty("v").GetInt32());
        Assert.AreEqual("d-1", message.GetProperty("dev").GetString());
        Assert.AreEqual(1, message.GetProperty("seq").GetInt32());
        Assert.AreEqual(9, message.GetProperty("boot").GetInt32());
        Assert.AreEqual(12345, message.GetProperty("up").GetInt32());
        Assert.AreEqual("tested", message.GetProperty("event").GetString());
        Assert.AreEqual(5, message.GetProperty("extra").GetInt32());
        Assert.AreEqual(_identity.EventTopic, _transport.Messages[0].Topic);
    }

    [TestMethod]
    public void Send_Offline_DropsButConsumesTheSequenceNumber()
    {
        Uplink uplink = new Uplink(_identity, _clock, _transport, 1);
        uplink.Begin();
        uplink.Send(_identity.StateTopic, 1);
        _transport.Disconnect();

        uplink.Begin();
        bool sent = uplink.Send(_identity.StateTopic, 1);
        _transport.Reconnect();
        uplink.Begin();
        uplink.Send(_identity.StateTopic, 1);

        Assert.IsFalse(sent);
        Assert.AreEqual(1L, uplink.Dropped);
        Assert.AreEqual(3L, uplink.Sequence);
        Assert.HasCount(2, _transport.Messages);
        Assert.AreEqual(3, Published.Json(_transport.Messages[1]).GetProperty("seq").GetInt32());
    }

    [TestMethod]
    public void Send_PayloadLargerThanUplinkLimit_DropsInsteadOfSendingATruncatedMessage()
    {
        Uplink uplink = new Uplink(_identity, _clock, _transport, 1);

        uplink.Begin().Property("big", new string('x', MessageLimits.MaxUplinkBytes));
        bool sent = uplink.Send(_identity.StateTopic, 1);

        Assert.IsFalse(sent);
        Assert.AreEqual(1L, uplink.Dropped);
        Assert.IsEmpty(_transport.Messages);
    }

    [TestMethod]
    public void WriteOfflineStatus_DeviceId_WritesTheLastWillPayload()
    {
        byte[] buffer = new byte[64];

        int length = Uplink.WriteOfflineStatus("d-1", buffer);

        Assert.AreEqual("{\"v\":1,\"dev\":\"d-1\",\"online\":false}", Encoding.ASCII.GetString(buffer, 0, length));
        Assert.AreEqual(-1, Uplink.WriteOfflineStatus("d-1", new byte[10]));
    }
}
