namespace SmartCommunity.Edge.Tests.Metering;

using System.Globalization;
using System.Threading.Tasks;
using MQTTnet;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>A pulse meter device as the edge sees it on the wire: a raw MQTT client publishing <c>reading</c> events at QoS 1.</summary>
internal sealed class PulseMeterClient : DeviceClient
{
    private PulseMeterClient(IMqttClient client, string id)
        : base(client, id, DeviceKinds.Meter, "pulse meter")
    {
    }

    public static Task<PulseMeterClient> ConnectAsync(EdgeHost edge, string id) => ConnectAsync(edge, id, client => new PulseMeterClient(client, id));

    /// <summary>One channel's cumulative reading; returns once the edge has acknowledged (committed) it.</summary>
    public Task ReadingAsync(int channel, long pulses, string total, string unit, string medium) =>
        PublishAsync("event", string.Create(CultureInfo.InvariantCulture,
            $"\"event\":\"reading\",\"ch\":{channel},\"pulses\":{pulses},\"total\":{total},\"unit\":\"{unit}\",\"medium\":\"{medium}\""));
}
