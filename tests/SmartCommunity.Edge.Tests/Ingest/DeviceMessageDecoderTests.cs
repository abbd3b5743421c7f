namespace SmartCommunity.Edge.Tests.Ingest;

using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

[TestClass]
public sealed class DeviceMessageDecoderTests
{
    private const string EventTopic = "sc/v1/riverside/b1/smoke/b1-lobby-smoke/event";
    private const string AlarmEvent = """{"v":1,"dev":"b1-lobby-smoke","seq":7,"boot":3,"up":12345,"event":"alarm","state":"alarm","level":812}""";

    [TestMethod]
    public void TryDecode_AlarmEvent_ReadsTopicEnvelopeAndName()
    {
        DeviceMessage message = Accepted(EventTopic, AlarmEvent);

        Assert.AreEqual(EventTopic, message.Topic);
        Assert.AreEqual(("riverside", "b1", "smoke", "b1-lobby-smoke"), (message.Site, message.Building, message.Kind, message.DeviceId));
        Assert.AreEqual(Channel.Event, message.Channel);
        Assert.AreEqual((7L, 3L, 12345L), (message.Sequence, message.Boot, message.UptimeMs));
        Assert.AreEqual("alarm", message.EventName);
        Assert.AreEqual("alarm", message.StringField("state"));
        Assert.AreEqual(812, message.Body.GetProperty("level").GetInt32());
        Assert.AreEqual(AlarmEvent, message.Payload);
        Assert.IsNull(message.Online);
    }

    [TestMethod]
    public void TryDecode_State_HasNoEventName()
    {
        DeviceMessage message = Accepted(
            "sc/v1/riverside/b1/door/b1-stair-door/state",
            """{"v":1,"dev":"b1-stair-door","seq":2,"boot":1,"up":40,"role":"hold-open","output":"released"}""");

        Assert.AreEqual(Channel.State, message.Channel);
        Assert.AreEqual("door", message.Kind);
        Assert.IsNull(message.EventName);
        Assert.AreEqual("released", message.StringField("output"));
    }

    [TestMethod]
    public void TryDecode_OnlineStatus_ReadsOnlineFlag()
    {
        DeviceMessage message = Accepted(
            "sc/v1/riverside/b1/door/b1-stair-door/status",
            """{"v":1,"dev":"b1-stair-door","seq":1,"boot":4,"up":0,"online":true,"fw":"sim-0.1.0"}""");

        Assert.AreEqual(Channel.Status, message.Channel);
        Assert.IsTrue(message.Online);
        Assert.AreEqual((1L, 4L, 0L), (message.Sequence, message.Boot, message.UptimeMs));
    }

    [TestMethod]
    public void TryDecode_Ack_ReadsIdAndResult()
    {
        DeviceMessage message = Accepted(
            "sc/v1/riverside/b1/door/b1-stair-door/ack",
            """{"v":1,"dev":"b1-stair-door","seq":9,"boot":1,"up":500,"id":"67c2-1","cmd":"release","result":"done","repeat":false}""");

        Assert.AreEqual(Channel.Ack, message.Channel);
        Assert.AreEqual("67c2-1", message.StringField("id"));
        Assert.AreEqual(CommandNames.ResultDone, message.StringField("result"));
        Assert.IsNull(message.StringField("repeat"), "a field of another JSON type is not read as a string");
    }

    [TestMethod]
    public void TryDecode_LastWillWithoutSequence_IsAccepted()
    {
        DeviceMessage message = Accepted("sc/v1/riverside/b1/door/b1-stair-door/status", """{"v":1,"dev":"b1-stair-door","online":false}""");

        Assert.IsFalse(message.Online);
        Assert.AreEqual((0L, 0L), (message.Sequence, message.Boot));
    }

    [TestMethod]
    public void TryDecode_OnlineStatusWithoutSequence_IsRefused()
    {
        string reason = Refused("sc/v1/riverside/b1/door/b1-stair-door/status", """{"v":1,"dev":"b1-stair-door","online":true}""");

        Assert.Contains("\"seq\"", reason);
    }

    [TestMethod]
    [DataRow("sc/v1/riverside/b1/fire")]
    [DataRow("sc/v1/riverside/b1/smoke/b1-lobby-smoke/event/extra")]
    [DataRow("sc/v2/riverside/b1/smoke/b1-lobby-smoke/event")]
    [DataRow("other/v1/riverside/b1/smoke/b1-lobby-smoke/event")]
    public void TryDecode_NotADeviceTopic_IsRefused(string topic)
    {
        string reason = Refused(topic, AlarmEvent);

        Assert.Contains("is not a device topic", reason);
    }

    [TestMethod]
    [DataRow("cmd")]
    [DataRow("fire")]
    [DataRow("")]
    public void TryDecode_ChannelADeviceDoesNotPublishOn_IsRefused(string channel)
    {
        string reason = Refused("sc/v1/riverside/b1/smoke/b1-lobby-smoke/" + channel, AlarmEvent);

        Assert.Contains($"channel '{channel}'", reason);
    }

    [TestMethod]
    [DataRow("sc/v1/Riverside/b1/smoke/b1-lobby-smoke/event")]
    [DataRow("sc/v1/riverside/b1/smoke/+/event")]
    [DataRow("sc/v1/riverside//smoke/b1-lobby-smoke/event")]
    public void TryDecode_TopicLevelWithBadCharacters_IsRefused(string topic)
    {
        string reason = Refused(topic, AlarmEvent);

        Assert.Contains("topic level", reason);
    }

    [TestMethod]
    public void TryDecode_PayloadOneByteOverTheLimit_IsRefused()
    {
        string reason = Refused(EventTopic, Padded(MessageLimits.MaxUplinkBytes + 1));

        Assert.Contains($"{MessageLimits.MaxUplinkBytes + 1} bytes exceeds the {MessageLimits.MaxUplinkBytes}-byte limit", reason);
    }

    [TestMethod]
    public void TryDecode_PayloadExactlyAtTheLimit_IsAccepted()
    {
        DeviceMessage message = Accepted(EventTopic, Padded(MessageLimits.MaxUplinkBytes));

        Assert.AreEqual(MessageLimits.MaxUplinkBytes, Encoding.UTF8.GetByteCount(message.Payload));
    }

    [TestMethod]
    [DataRow("{\"v\":1,")]
    [DataRow("not json")]
    [DataRow("")]
    public void TryDecode_InvalidJson_IsRefused(string payload)
    {
        string reason = Refused(EventTopic, payload);

        Assert.StartsWith("payload is not valid JSON", reason);
    }

    [TestMethod]
    public void TryDecode_JsonNestedTooDeep_IsRefusedNotThrown()
    {
        string deep = """{"v":1,"dev":"b1-lobby-smoke","x":""" + new string('[', 64) + new string(']', 64) + "}";

        string reason = Refused(EventTopic, deep);

        Assert.StartsWith("payload is not valid JSON", reason);
    }

    [TestMethod]
    [DataRow("[1,2,3]")]
    [DataRow("\"alarm\"")]
    [DataRow("42")]
    public void TryDecode_JsonThatIsNotAnObject_IsRefused(string payload)
    {
        string reason = Refused(EventTopic, payload);

        Assert.AreEqual("payload must be a JSON object", reason);
    }

    [TestMethod]
    [DataRow("""{"v":2,"dev":"b1-lobby-smoke","seq":1,"boot":1,"up":0,"event":"alarm"}""")]
    [DataRow("""{"v":"1","dev":"b1-lobby-smoke","seq":1,"boot":1,"up":0,"event":"alarm"}""")]
    [DataRow("""{"dev":"b1-lobby-smoke","seq":1,"boot":1,"up":0,"event":"alarm"}""")]
    public void TryDecode_WrongVersion_IsRefused(string payload)
    {
        string reason = Refused(EventTopic, payload);

        Assert.AreEqual("\"v\" must be 1", reason);
    }

    [TestMethod]
    [DataRow("""{"v":1,"dev":"b1-f1-smoke","seq":1,"boot":1,"up":0,"event":"alarm"}""")]
    [DataRow("""{"v":1,"seq":1,"boot":1,"up":0,"event":"alarm"}""")]
    [DataRow("""{"v":1,"dev":7,"seq":1,"boot":1,"up":0,"event":"alarm"}""")]
    public void TryDecode_DevNotMatchingTheTopic_IsRefused(string payload)
    {
        string reason = Refused(EventTopic, payload);

        Assert.AreEqual("\"dev\" must equal the topic's device id 'b1-lobby-smoke'", reason);
    }

    [TestMethod]
    [DataRow("""{"v":1,"dev":"b1-lobby-smoke","boot":1,"up":0,"event":"alarm"}""")]
    [DataRow("""{"v":1,"dev":"b1-lobby-smoke","seq":1,"up":0,"event":"alarm"}""")]
    [DataRow("""{"v":1,"dev":"b1-lobby-smoke","seq":1,"boot":1,"event":"alarm"}""")]
    [DataRow("""{"v":1,"dev":"b1-lobby-smoke","seq":0,"boot":1,"up":0,"event":"alarm"}""")]
    [DataRow("""{"v":1,"dev":"b1-lobby-smoke","seq":1,"boot":0,"up":0,"event":"alarm"}""")]
    [DataRow("""{"v":1,"dev":"b1-lobby-smoke","seq":1,"boot":1,"up":-1,"event":"alarm"}""")]
    [DataRow("""{"v":1,"dev":"b1-lobby-smoke","seq":1.5,"boot":1,"up":0,"event":"alarm"}""")]
    [DataRow("""{"v":1,"dev":"b1-lobby-smoke","seq":"1","boot":1,"up":0,"event":"alarm"}""")]
    public void TryDecode_MissingOrBadSequenceBootOrUptime_IsRefused(string payload)
    {
        string reason = Refused(EventTopic, payload);

        Assert.Contains("\"seq\" and \"boot\"", reason);
    }

    [TestMethod]
    [DataRow("""{"v":1,"dev":"b1-lobby-smoke","seq":1,"boot":1,"up":0}""")]
    [DataRow("""{"v":1,"dev":"b1-lobby-smoke","seq":1,"boot":1,"up":0,"event":""}""")]
    [DataRow("""{"v":1,"dev":"b1-lobby-smoke","seq":1,"boot":1,"up":0,"event":3}""")]
    public void TryDecode_EventWithoutName_IsRefused(string payload)
    {
        string reason = Refused(EventTopic, payload);

        Assert.AreEqual("an event needs a non-empty \"event\" name", reason);
    }

    [TestMethod]
    public void TryDecode_LongForeignTopic_ReasonIsShortened()
    {
        string topic = "sc/v1/riverside/b1/smoke/b1-lobby-smoke/" + new string('x', 500);

        string reason = Refused(topic, AlarmEvent);

        Assert.IsLessThan(200, reason.Length, reason);
    }

    private static DeviceMessage Accepted(string topic, string payload)
    {
        bool decoded = DeviceMessageDecoder.TryDecode(topic, Messages.Bytes(payload), out DeviceMessage? message, out string reason);

        Assert.IsTrue(decoded, reason);
        Assert.IsNotNull(message);
        Assert.AreEqual("", reason);
        return message;
    }

    private static string Refused(string topic, string payload)
    {
        bool decoded = DeviceMessageDecoder.TryDecode(topic, Messages.Bytes(payload), out DeviceMessage? message, out string reason);

        Assert.IsFalse(decoded, "expected a refusal");
        Assert.IsNull(message);
        Assert.IsFalse(string.IsNullOrWhiteSpace(reason), "a refusal says why");
        return reason;
    }

    /// <summary>A valid event padded to exactly <paramref name="bytes"/> bytes.</summary>
    private static string Padded(int bytes)
    {
        const string Start = "{\"v\":1,\"dev\":\"b1-lobby-smoke\",\"seq\":1,\"boot\":1,\"up\":0,\"event\":\"alarm\",\"pad\":\"";
        const string End = "\"}";
        return Start + new string('x', bytes - Start.Length - End.Length) + End;
    }
}
