namespace SmartCommunity.Edge.Tests.TestSupport;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Devices;

/// <summary>
/// Real parts on loopback for the integration tests: the edge on free ports over a SQLite file in a test's own
/// folder, the demo community as virtual devices running the firmware logic, HTTP and raw MQTT clients.
/// </summary>
internal static class EdgeRig
{
    /// <summary>The device loop period, as in the demo.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    /// <summary>Well above the demo layout's alarm threshold of 600.</summary>
    public const int SmokeLevel = 800;

    public static Task<EdgeHost> StartEdgeAsync(TempFolder data, int mqttPort = 0) =>
        EdgeHost.StartAsync(
            new EdgeOptions { LayoutPath = DemoLayout.Path, DataDirectory = data.Path, MqttPort = mqttPort, HttpPort = 0 },
            NullLoggerFactory.Instance,
            TimeProvider.System);

    /// <summary>The edge over a layout of the test's own (<paramref name="layoutYaml"/>, written into the test's folder).</summary>
    public static Task<EdgeHost> StartEdgeAsync(TempFolder data, string layoutYaml)
    {
        string layout = data.File("layout.yaml");
        File.WriteAllText(layout, layoutYaml);
        return EdgeHost.StartAsync(
            new EdgeOptions { LayoutPath = layout, DataDirectory = data.Path, MqttPort = 0, HttpPort = 0 },
            NullLoggerFactory.Instance,
            TimeProvider.System);
    }

    /// <summary>Starts the virtual devices (all of the edge's layout unless told otherwise) and waits until the edge sees each one online.</summary>
    public static async Task<VirtualBuilding> StartCommunityAsync(EdgeHost edge, BuildingLayout? devices = null)
    {
        var community = new VirtualBuilding(devices ?? edge.Layout, "127.0.0.1", edge.MqttPort, TimeProvider.System, Tick);
        community.Start();
        await Eventually.WaitUntilAsync(
            () => community.Devices.All(d => edge.Twins.Find(d.Definition.Id)?.Online == true),
            "the edge sees every virtual device online");
        return community;
    }

    public static HttpClient Http(EdgeHost edge) => new() { BaseAddress = edge.HttpAddress };

    public static IEnumerable<VirtualDevice> Doors(VirtualBuilding community, IEnumerable<string> ids) => ids.Select(id => community[id]);

    public static Task WaitUntilEnergisedAsync(IEnumerable<VirtualDevice> doors, string what) =>
        Eventually.WaitUntilAsync(() => doors.All(d => d.DoorOutput!.Energised), what);

    public static Task WaitUntilReleasedAsync(IEnumerable<VirtualDevice> doors, string what) =>
        Eventually.WaitUntilAsync(() => doors.All(d => !d.DoorOutput!.Energised), what);

    /// <summary>Smoke at the b1 lobby detector; returns once the edge has latched b1 and every b1 door is released.</summary>
    public static async Task RaiseAlarmInAlarmBuildingAsync(EdgeHost edge, VirtualBuilding community)
    {
        community[DemoLayout.LobbySmoke].SmokeHead!.Value = SmokeLevel;
        await Eventually.WaitUntilAsync(() => edge.FireRule.IsLatched(DemoLayout.AlarmBuilding), "the edge latches b1's fire state");
        await WaitUntilReleasedAsync(Doors(community, DemoLayout.AlarmBuildingDoors), "every b1 door is released");
    }

    /// <summary>A bare MQTT 5 client (so refusals show their reason code) under the given client id.</summary>
    public static async Task<IMqttClient> ConnectRawAsync(EdgeHost edge, string clientId)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", edge.MqttPort)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanSession(true)
            .Build();
        await client.ConnectAsync(options);
        return client;
    }

    public static IReadOnlyList<StoredEvent> CommandsTo(EdgeHost edge, string deviceId, string command) =>
        edge.EventLog.ReadRecent(10_000, deviceId).Where(e => e.Channel == Channel.Command && e.Name == command).ToList();

    public static IReadOnlyList<StoredEvent> AcksFrom(EdgeHost edge, string deviceId, string result) =>
        edge.EventLog.ReadRecent(10_000, deviceId).Where(e => e.Channel == Channel.Ack && e.Name == result).ToList();
}
