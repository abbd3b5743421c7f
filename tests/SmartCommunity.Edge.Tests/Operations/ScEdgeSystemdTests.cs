namespace SmartCommunity.Edge.Tests.Operations;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>
/// The real sc-edge process speaking systemd's notify protocol (sd_notify(3)) to a datagram socket the test binds
/// in NOTIFY_SOCKET, as systemd would: READY=1, WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1 on SIGTERM, exit 0.
/// systemd is not PID 1 here, so the socket is the test's own.
/// </summary>
[TestClass]
public sealed class ScEdgeSystemdTests
{
    [TestMethod]
    public async Task Run_UnderNotifySocket_ReadyThenWatchdogThenStoppingOnSigtermAndExitZero()
    {
        using var data = new TempFolder();
        string socketPath = data.File("notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var received = new ConcurrentQueue<string>();
        using var stopReading = new CancellationTokenSource();
        Task reading = ReadAsync(socket, received, stopReading.Token);

        using ScEdgeProcess edge = await ScEdgeProcess.StartAsync(DemoLayout.Path, data.File("data"), environment: new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = socketPath,
            ["WATCHDOG_USEC"] = "1000000", // 1 s: a ping every 0.5 s
        });
        await Eventually.WaitUntilAsync(() => Lines(received).Count(l => l == "WATCHDOG=1") >= 3, $"three watchdog pings; got {string.Join(" | ", received)}; output:\n{edge.Output}");

        using (Process kill = Process.Start("kill", ["-TERM", edge.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        await Eventually.WaitUntilAsync(() => edge.HasExited, "sc-edge exits after SIGTERM");
        await Eventually.WaitUntilAsync(() => Lines(received).Contains("STOPPING=1"), "STOPPING=1 arrives");
        stopReading.Cancel();
        await reading;

        List<string> lines = Lines(received);
        Assert.AreEqual(0, edge.ExitCode, edge.Output);
        Assert.AreEqual("READY=1", lines.First(l => l is "READY=1" or "WATCHDOG=1"), "READY=1 comes before the first ping");
        Assert.IsTrue(lines.Any(l => l.StartsWith("STATUS=MQTT on port", StringComparison.Ordinal)), string.Join(" | ", lines));
        Assert.AreEqual("STOPPING=1", lines.Last(l => l is "STOPPING=1" or "WATCHDOG=1"), "no ping after STOPPING=1");
        StringAssert.Contains(edge.Output, "sc-edge: stopping");
    }

    [TestMethod]
    public async Task Run_WithoutNotifySocket_StopsOnSigtermWithExitZero()
    {
        using var data = new TempFolder();
        using ScEdgeProcess edge = await ScEdgeProcess.StartAsync(DemoLayout.Path, data.File("data"));

        using (Process kill = Process.Start("kill", ["-TERM", edge.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        await Eventually.WaitUntilAsync(() => edge.HasExited, "sc-edge exits after SIGTERM");
        Assert.AreEqual(0, edge.ExitCode, edge.Output);
    }

    private static List<string> Lines(ConcurrentQueue<string> datagrams) =>
        datagrams.SelectMany(d => d.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();

    private static async Task ReadAsync(Socket socket, ConcurrentQueue<string> received, CancellationToken cancel)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int length = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel);
                received.Enqueue(Encoding.UTF8.GetString(buffer, 0, length));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
