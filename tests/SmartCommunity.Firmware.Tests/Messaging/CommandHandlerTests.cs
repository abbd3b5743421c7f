namespace SmartCommunity.Firmware.Tests.Messaging;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed class CommandHandlerTests
{
    private const long Boot = 4;

    private readonly RecordingTransport _transport = new RecordingTransport();
    private readonly DeviceIdentity _identity = new DeviceIdentity("s", "b", "door", "d-1", "1.0");
    private readonly CountingTarget _target = new CountingTarget();
    private readonly CommandHandler _handler;

    public CommandHandlerTests()
    {
        _handler = new CommandHandler(new Uplink(_identity, new ManualClock(), _transport, Boot), _target);
    }

    [TestMethod]
    public void Handle_EveryDelivery_ExactlyOneAckOnTheAckTopic()
    {
        Handle("{\"v\":1,\"id\":\"a\",\"cmd\":\"release\"}", 0);
        Handle("{\"v\":1,\"id\":\"a\",\"cmd\":\"release\"}", 0);
        Handle("{oops", 0);
        Handle("{\"v\":1,\"id\":\"b\",\"cmd\":\"nope\"}", 0);

        Assert.HasCount(4, _transport.Messages);
        foreach (PublishedMessage message in _transport.Messages)
        {
            Assert.AreEqual(_identity.AckTopic, message.Topic);
            Assert.AreEqual(1, message.Qos);
        }

        Assert.AreEqual(1, _target.Calls);
        Assert.AreEqual(1L, _handler.Executed);
        Assert.AreEqual(1L, _handler.Repeats);
        Assert.AreEqual(2L, _handler.Rejected);
    }

    [TestMethod]
    public void Handle_TargetRefuses_AckCarriesReasonAndRepeatKeepsIt()
    {
        _target.Outcome = CommandRejection.NotSupportedByDevice;
        Handle("{\"v\":1,\"id\":\"a\",\"cmd\":\"self-test\"}", 0);
        _target.Outcome = CommandRejection.None;

        Handle("{\"v\":1,\"id\":\"a\",\"cmd\":\"self-test\"}", 0);

        JsonElement ack = Published.Json(_transport.Messages[1]);
        Assert.AreEqual("rejected", ack.GetProperty("result").GetString());
        Assert.AreEqual("not-supported", ack.GetProperty("reason").GetString());
        Assert.IsTrue(ack.GetProperty("repeat").GetBoolean());
        Assert.AreEqual(1, _target.Calls);
    }

    [TestMethod]
    public void Handle_ExpiredCommand_NotPassedToTargetAndRemembered()
    {
        Handle("{\"v\":1,\"id\":\"a\",\"cmd\":\"release\",\"boot\":4,\"exp\":100}", 101);
        Handle("{\"v\":1,\"id\":\"a\",\"cmd\":\"release\",\"boot\":4,\"exp\":100}", 50);

        Assert.AreEqual(0, _target.Calls);
        JsonElement again = Published.Json(_transport.Messages[1]);
        Assert.AreEqual("expired", again.GetProperty("reason").GetString());
        Assert.IsTrue(again.GetProperty("repeat").GetBoolean());
    }

    [TestMethod]
    public void Handle_RejectedBeforeDecodingCompleted_NotRememberedAsRepeat()
    {
        Handle("{\"v\":2,\"id\":\"a\",\"cmd\":\"release\"}", 0);

        Handle("{\"v\":1,\"id\":\"a\",\"cmd\":\"release\"}", 0);

        Assert.AreEqual(1, _target.Calls);
        Assert.IsFalse(Published.Json(_transport.Messages[1]).GetProperty("repeat").GetBoolean());
    }

    [TestMethod]
    public void Handle_IdNeedingEscapes_EchoedExactlyInTheAck()
    {
        Handle("{\"v\":1,\"id\":\"q\\\"\\\\x\",\"cmd\":\"release\"}", 0);

        Assert.AreEqual("q\"\\x", Published.Json(_transport.Messages[0]).GetProperty("id").GetString());
    }

    private void Handle(string json, long nowMs)
    {
        byte[] payload = Published.Bytes(json);
        _handler.Handle(payload, payload.Length, nowMs);
    }

    private sealed class CountingTarget : ICommandTarget
    {
        public int Calls { get; private set; }

        public CommandRejection Outcome { get; set; }

        public CommandRejection Execute(Command command, long nowMs)
        {
            Calls++;
            return Outcome;
        }
    }
}
