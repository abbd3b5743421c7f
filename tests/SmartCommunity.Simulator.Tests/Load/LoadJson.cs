namespace SmartCommunity.Simulator.Tests.Load;

using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;

/// <summary>Every figure <c>sc-sim load --json</c> promises, as paths into the JSON; a key may hold null, never be missing.</summary>
internal static class LoadJson
{
    public static readonly string[] Figures =
    [
        "tool", "formatVersion", "startedAt", "passed", "failures",
        "inputs.devices", "inputs.rate", "inputs.durationSeconds", "inputs.alarmEverySeconds", "inputs.edge", "inputs.layout", "inputs.qos",
        "inputs.inFlightPerDevice", "inputs.warmupSeconds", "inputs.drainSeconds", "inputs.minAchievedRatio", "inputs.edgeEnvironment",
        "layout.site", "layout.buildings", "layout.devices", "layout.simulated", "layout.telemetrySources", "layout.doors", "layout.alarmDetectors", "layout.notSimulated",
        "telemetry.offered", "telemetry.sent", "telemetry.throttled", "telemetry.accepted", "telemetry.rejected", "telemetry.unacknowledged", "telemetry.lost",
        "telemetry.lostCheck", "telemetry.loadSeconds", "telemetry.ackSeconds", "telemetry.sentRate", "telemetry.achievedRate", "telemetry.achievedRatio",
        "telemetry.rejectedByReason", .. Latency("telemetry.ingestLatencyMs"),
        "alarms.raised", "alarms.released", "alarms.missed", "alarms.skipped", "alarms.resets", "alarms.resetFailures",
        .. Latency("alarms.latencyMs"), .. Latency("alarms.firstDoorMs"),
        "edge.address", "edge.started", "edge.pid", "edge.build", "edge.counters", .. Memory("edge.memory"), .. Cpu("edge.cpu"),
        "generator.build", .. Memory("generator.memory"), .. Cpu("generator.cpu"),
        "machine.processorCount", "machine.cpuModel", "machine.memoryMiB", "machine.os", "machine.runtime", "machine.architecture", "machine.loadAverageAtStart", "machine.loadAverageAtEnd",
    ];

    public static readonly string[] EdgeCounters =
        ["accepted", "refused", "refusedByReason", "duplicates", "gaps", "commitFailures", "logCommitted", "logBatches", "commandsSent", "commandRetries", "mqttClients"];

    public static JsonElement At(JsonElement root, string path)
    {
        JsonElement element = root;
        foreach (string key in path.Split('.'))
        {
            Assert.AreEqual(JsonValueKind.Object, element.ValueKind, $"'{path}': the parent of '{key}' is not an object");
            Assert.IsTrue(element.TryGetProperty(key, out element), $"the JSON has no '{path}'");
        }

        return element;
    }

    public static List<string> Missing(JsonElement root) =>
        Figures.Where(path => !Has(root, path)).ToList();

    private static bool Has(JsonElement root, string path)
    {
        JsonElement element = root;
        foreach (string key in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> Latency(string prefix) => new[] { "count", "p50", "p99", "p999", "max", "mean" }.Select(k => $"{prefix}.{k}");

    private static IEnumerable<string> Memory(string prefix) => new[] { "connectedMiB", "endMiB", "peakMiB" }.Select(k => $"{prefix}.{k}");

    private static IEnumerable<string> Cpu(string prefix) => new[] { "averagePercent", "peakPercent", "endPercent", "seconds" }.Select(k => $"{prefix}.{k}");
}
