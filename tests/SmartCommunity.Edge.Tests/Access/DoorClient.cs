namespace SmartCommunity.Edge.Tests.Access;

using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using MQTTnet;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>
/// A door controller as the edge sees it on the wire (the access contract): a raw MQTT client under the door's id that
/// publishes at QoS 1, keeps an allow-list table (<see cref="DoorTable"/>, fed by the device's own decoder) and
/// acknowledges every command, refusing allow-list commands the way a door would.
/// </summary>
internal sealed class DoorClient : DeviceClient
{
    private readonly object _tableLock = new();

    private DoorClient(IMqttClient client, string id)
        : base(client, id, DeviceKinds.Door, "door")
    {
    }

    public DoorTable Table { get; } = new();

    public long ListVersion
    {
        get
        {
            lock (_tableLock)
            {
                return Table.Version;
            }
        }
    }

    public static Task<DoorClient> ConnectAsync(EdgeHost edge, string id) => ConnectAsync(edge, id, client => new DoorClient(client, id));

    public Task OnlineAsync() => PublishAsync("status", "\"online\":true,\"fw\":\"test\"");

    public Task StateAsync() => PublishAsync("state", $"\"listVersion\":{ListVersion},\"listFull\":false");

    public Task EventAsync(string name, string fields) => PublishAsync("event", $"\"event\":\"{name}\",{fields}");

    public JsonElement? Answer(long req) =>
        Commands.Where(c => c.GetProperty("cmd").GetString() is CommandNames.Grant or CommandNames.Deny && c.GetProperty("req").GetInt64() == req)
            .Select(c => (JsonElement?)c).FirstOrDefault();

    protected override string? Refusal(JsonElement command, byte[] payload)
    {
        if (command.GetProperty("cmd").GetString() != CommandNames.AllowList)
        {
            return null;
        }

        lock (_tableLock)
        {
            return Table.Answered.Add(command.GetProperty("id").GetString()!) ? Table.Apply(payload).Reason : null;
        }
    }
}
