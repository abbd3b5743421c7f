namespace SmartCommunity.Edge.Tests.TestSupport;

using System.Buffers;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>Device messages as a device would publish them, decoded by the real decoder.</summary>
internal static class Messages
{
    public static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    public static string TopicOf(DeviceDefinition device, string channel) =>
        Topics.Device(device.Site, device.Building, device.Kind, device.Id, channel);

    public static DeviceMessage Decode(string topic, string json)
    {
        bool decoded = DeviceMessageDecoder.TryDecode(topic, Bytes(json), out DeviceMessage? message, out string reason);
        Assert.IsTrue(decoded, reason);
        return message!;
    }

    public static DeviceMessage Event(DeviceDefinition device, long seq, string name, long boot = 1, long up = 1000) =>
        Decode(TopicOf(device, Channel.Event), $$"""{"v":1,"dev":"{{device.Id}}","seq":{{seq}},"boot":{{boot}},"up":{{up}},"event":"{{name}}"}""");

    public static DeviceMessage State(DeviceDefinition device, long seq, string state, long boot = 1, long up = 1000) =>
        Decode(TopicOf(device, Channel.State), $$"""{"v":1,"dev":"{{device.Id}}","seq":{{seq}},"boot":{{boot}},"up":{{up}},"state":"{{state}}"}""");

    public static DeviceMessage Online(DeviceDefinition device, long seq, long boot = 1, long up = 1000) =>
        Decode(TopicOf(device, Channel.Status), $$"""{"v":1,"dev":"{{device.Id}}","seq":{{seq}},"boot":{{boot}},"up":{{up}},"online":true,"fw":"test-1"}""");

    public static DeviceMessage Will(DeviceDefinition device) =>
        Decode(TopicOf(device, Channel.Status), $$"""{"v":1,"dev":"{{device.Id}}","online":false}""");

    public static DeviceMessage Ack(DeviceDefinition device, long seq, string commandId, string result = CommandNames.ResultDone, long boot = 1) =>
        Decode(TopicOf(device, Channel.Ack), $$"""{"v":1,"dev":"{{device.Id}}","seq":{{seq}},"boot":{{boot}},"up":1000,"id":"{{commandId}}","cmd":"release","result":"{{result}}"}""");
}
