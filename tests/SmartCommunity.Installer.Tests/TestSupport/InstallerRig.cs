namespace SmartCommunity.Installer.Tests.TestSupport;

using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Simulation.Devices;

/// <summary>
/// Real parts on loopback: the edge on free ports over a SQLite file in the test's folder, running the demo
/// community's layout, an admin's operator token, and virtual devices (the firmware logic over MQTT).
/// </summary>
internal static class InstallerRig
{
    public const string Site = "riverside";
    public const string Door = "b1-lobby-entrance";
    public const string Smoke = "b1-lobby-smoke";
    public const string StairDoor = "b1-stair-door";

    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    public static readonly TimeSpan WaitAtMost = TimeSpan.FromSeconds(15);

    public static string LayoutPath => Path.Combine(AppContext.BaseDirectory, "layouts", "demo.yaml");

    public static Task<EdgeHost> StartEdgeAsync(TempFolder data) =>
        EdgeHost.StartAsync(
            new EdgeOptions { LayoutPath = LayoutPath, DataDirectory = Path.Combine(data.Path, "edge"), MqttPort = 0, HttpPort = 0 },
            NullLoggerFactory.Instance,
            TimeProvider.System);

    /// <summary>An admin's token (the roles are being extended with 'installer'; admin may do everything).</summary>
    public static Task<string> AdminTokenAsync(EdgeHost edge) => edge.Operators.IssueAsync("ines", "test", OperatorRoles.Admin);

    public static EdgeApiClient Client(EdgeHost edge, string token) => new(edge.HttpAddress, token);

    /// <summary>Starts the layout's device <paramref name="id"/> as a virtual device and waits until the edge sees it online.</summary>
    public static async Task<VirtualDevice> StartDeviceAsync(EdgeHost edge, string id, Action<VirtualDevice>? beforeStart = null)
    {
        VirtualDevice device = VirtualDevice.Create(edge.Layout.DevicesById[id], "127.0.0.1", edge.MqttPort, TimeProvider.System, Tick);
        beforeStart?.Invoke(device);
        device.Start();
        await WaitUntilAsync(() => edge.Twins.Find(id)?.Online == true, $"the edge sees {id} online");
        return device;
    }

    /// <summary>Waits for a condition another thread makes true, polling; fails the test after a bounded time.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > WaitAtMost)
            {
                Assert.Fail($"gave up after {WaitAtMost.TotalSeconds:F0} s waiting until {what}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>A loopback URL nothing listens on: a port just freed.</summary>
    public static Uri DeadEdge()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
