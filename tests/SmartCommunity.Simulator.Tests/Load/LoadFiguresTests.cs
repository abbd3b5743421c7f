namespace SmartCommunity.Simulator.Tests.Load;

using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Load;

[TestClass]
public sealed class LoadFiguresTests
{
    [TestMethod]
    public void ToJson_NothingMeasuredForAnEdgeElsewhere_EveryFigureStillWrittenAsNull()
    {
        LoadFigures figures = Unmeasured();

        using JsonDocument json = JsonDocument.Parse(figures.ToJson());

        CollectionAssert.AreEqual(new List<string>(), LoadJson.Missing(json.RootElement));
        Assert.AreEqual(JsonValueKind.Null, LoadJson.At(json.RootElement, "telemetry.lost").ValueKind);
        Assert.AreEqual(JsonValueKind.Null, LoadJson.At(json.RootElement, "edge.memory.peakMiB").ValueKind);
        Assert.AreEqual(JsonValueKind.Null, LoadJson.At(json.RootElement, "alarms.latencyMs.p99").ValueKind);
    }

    [TestMethod]
    public void From_Histogram_PercentilesInMilliseconds()
    {
        var histogram = LatencyFigures.NewHistogram();
        for (long us = 1_000; us <= 100_000; us += 1_000)
        {
            histogram.RecordValue(us);
        }

        LatencyFigures latency = LatencyFigures.From(histogram);

        Assert.AreEqual(100L, latency.Count);
        Assert.AreEqual(50.0, latency.P50!.Value, 0.1);
        Assert.AreEqual(99.0, latency.P99!.Value, 0.1);
        Assert.AreEqual(100.0, latency.Max!.Value, 0.1);
        Assert.IsGreaterThanOrEqualTo(latency.P99.Value, latency.P999!.Value);
    }

    [TestMethod]
    public void ClampMicroseconds_BeyondTheHistogram_ClampedNotThrown()
    {
        Assert.AreEqual(LatencyFigures.HighestMicroseconds, LatencyFigures.ClampMicroseconds(TimeSpan.FromHours(2)));
        Assert.AreEqual(1L, LatencyFigures.ClampMicroseconds(TimeSpan.Zero));
    }

    [TestMethod]
    public void WriteTo_MissingFolder_Created()
    {
        string folder = Path.Combine(Path.GetTempPath(), "sc-sim-load-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(folder, "nested", "figures.json");

            Unmeasured().WriteTo(path);

            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
            Assert.AreEqual("sc-sim load", LoadJson.At(json.RootElement, "tool").GetString());
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static LoadFigures Unmeasured()
    {
        var none = new LatencyFigures(0, null, null, null, null, null);
        return new LoadFigures("sc-sim load", LoadFigures.CurrentFormat, DateTimeOffset.UnixEpoch, false, ["example"],
            new LoadInputs(10, 100, 5, 1, "127.0.0.1:1883,8080", "layout.yaml", 1, TelemetrySource.Window, 3, 15, LoadPlan.MinAchievedRatio, new Dictionary<string, string>()),
            new LayoutFigures("loadtown", 1, 10, 10, 5, 4, 1, 0),
            new TelemetryFigures(500, 0, 0, 0, 0, 0, null, "not checked", 5, 5, 0, 0, 0, none, new Dictionary<string, long>()),
            new AlarmFigures(0, 0, 0, 0, 0, 0, none, none),
            new EdgeFigures("127.0.0.1:1883,8080", "already running", null, null, null, new MemoryFigures(null, null, null), new CpuFigures(null, null, null, null)),
            new GeneratorFigures("Debug", new MemoryFigures(null, null, null), new CpuFigures(null, null, null, null)),
            new MachineFigures(2, null, null, "linux", ".NET", "x64"));
    }
}
