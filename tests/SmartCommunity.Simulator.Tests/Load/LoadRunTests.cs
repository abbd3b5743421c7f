namespace SmartCommunity.Simulator.Tests.Load;

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Load;

/// <summary>
/// One short real run of <c>sc-sim load</c> as its own process, with its own sc-edge process, real MQTT on loopback and a
/// real SQLite log. It asserts that the run completes and that its figures exist and add up, never a time or a
/// latency value: those are for the figures file, not for a test (shared/BRIEF.md).
/// </summary>
[TestClass]
public sealed class LoadRunTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [TestMethod]
    public async Task Load_100Devices500PerSecondFor5Seconds_ExitZeroAndEveryFigureConsistent()
    {
        string folder = Directory.CreateTempSubdirectory("sc-sim-load-test-").FullName;
        try
        {
            string json = Path.Combine(folder, "figures.json");

            (int exit, string output) = await RunScSimAsync("load", "--devices", "100", "--rate", "500", "--duration", "5", "--json", json);

            Assert.AreEqual(LoadCommand.ExitPassed, exit, output);
            StringAssert.Contains(output, "load: PASS");
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
            JsonElement root = document.RootElement;
            CollectionAssert.AreEqual(Array.Empty<string>(), LoadJson.Missing(root).ToArray(), output);
            Assert.IsTrue(LoadJson.At(root, "passed").GetBoolean());

            long sent = Long(root, "telemetry.sent");
            long accepted = Long(root, "telemetry.accepted");
            Assert.AreEqual(sent, accepted + Long(root, "telemetry.rejected") + Long(root, "telemetry.unacknowledged"), "sent = accepted + rejected + unacknowledged");
            Assert.AreEqual(Long(root, "telemetry.offered"), sent + Long(root, "telemetry.throttled"), "every due message was sent or throttled");
            Assert.AreEqual(0L, Long(root, "telemetry.lost"), "checked against the event log");
            Assert.AreEqual(accepted, Long(root, "telemetry.ingestLatencyMs.count"));
            Assert.IsGreaterThan(0L, accepted);

            long raised = Long(root, "alarms.raised");
            Assert.IsGreaterThan(0L, raised);
            Assert.AreEqual(raised, Long(root, "alarms.released") + Long(root, "alarms.missed"), "raised = released + missed");
            Assert.AreEqual(Long(root, "alarms.released"), Long(root, "alarms.latencyMs.count"));
            Assert.AreEqual(raised, Long(root, "alarms.resets"));

            foreach (string counter in LoadJson.EdgeCounters)
            {
                LoadJson.At(root, "edge.counters." + counter);
            }

            Assert.IsGreaterThanOrEqualTo(accepted, Long(root, "edge.counters.accepted"), "the edge counted the telemetry and the firmware devices' messages");
            Assert.AreEqual(0L, Long(root, "edge.counters.refused"));
            Assert.AreEqual(100L, Long(root, "edge.counters.mqttClients"));
            Assert.AreEqual("sc-sim", LoadJson.At(root, "edge.started").GetString());
            Assert.AreEqual(JsonValueKind.Number, LoadJson.At(root, "edge.pid").ValueKind);
            foreach (string figure in new[] { "edge.memory.connectedMiB", "edge.memory.endMiB", "edge.memory.peakMiB", "edge.cpu.averagePercent", "edge.cpu.seconds" })
            {
                Assert.AreEqual(JsonValueKind.Number, LoadJson.At(root, figure).ValueKind, $"{figure} is measured for a local edge");
            }

            Assert.AreEqual(Environment.ProcessorCount, (int)Long(root, "machine.processorCount"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public async Task Load_NonLoopbackEdge_RefusedBeforeAnythingStarts()
    {
        (int exit, string output) = await RunScSimAsync("load", "--edge", "192.168.1.20:1883", "--layout", Path.Combine(AppContext.BaseDirectory, "layouts", "demo.yaml"),
            "--token", "sce_x");

        Assert.AreNotEqual(0, exit, output);
        StringAssert.Contains(output, "not a loopback address");
    }

    private static long Long(JsonElement root, string path) => LoadJson.At(root, path).GetInt64();

    // sc-sim.dll and sc-edge.dll are both built next to these tests (project references), as in sc-sim's own output.
    private static async Task<(int Exit, string Output)> RunScSimAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sc-sim.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"sc-sim load did not stop by itself within {RunTimeout.TotalMinutes:F0} min:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
