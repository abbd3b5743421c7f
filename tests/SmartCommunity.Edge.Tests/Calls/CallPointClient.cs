namespace SmartCommunity.Edge.Tests.Calls;

using System.Linq;
using System.Threading.Tasks;
using MQTTnet;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>
/// An emergency call point as the edge sees it on the wire (hardware-docs/protocol.md): a raw MQTT client under the
/// point's id that publishes its events at QoS 1, takes its commands and acknowledges each one as done.
/// </summary>
internal sealed class CallPointClient : DeviceClient
{
    private CallPointClient(IMqttClient client, string id)
        : base(client, id, DeviceKinds.EmergencyCallPoint, "call point")
    {
    }

    protected override long UptimeMs => 1000;

    public static Task<CallPointClient> ConnectAsync(EdgeHost edge, string id) => ConnectAsync(edge, id, client => new CallPointClient(client, id));

    /// <summary>Publishes an event such as "call" with {"call": id}; the edge's PUBACK says it is committed.</summary>
    public Task EventAsync(string name, string callId) => PublishAsync("event", $"\"event\":\"{name}\",\"call\":\"{callId}\"");

    public bool Heard(string command, string callId) =>
        Commands.Any(c => c.GetProperty("cmd").GetString() == command && c.GetProperty("call").GetString() == callId);
}
