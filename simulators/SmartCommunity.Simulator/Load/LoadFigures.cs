namespace SmartCommunity.Simulator.Load;

using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using HdrHistogram;

/// <summary>
/// Everything a load run measured, as <c>--json PATH</c> writes it. A figure that could not be measured (no local
/// edge process, no access to its event log) is written as null, never left out, so a reader always finds every key.
/// Durations are milliseconds, memory MiB, CPU percent of one core (200 = both cores of a 2-core machine busy).
/// </summary>
public sealed record LoadFigures(
    string Tool,
    int FormatVersion,
    DateTimeOffset StartedAt,
    bool Passed,
    IReadOnlyList<string> Failures,
    LoadInputs Inputs,
    LayoutFigures Layout,
    TelemetryFigures Telemetry,
    AlarmFigures Alarms,
    EdgeFigures Edge,
    GeneratorFigures Generator,
    MachineFigures Machine)
{
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void WriteTo(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, ToJson() + "\n");
    }
}

public sealed record LoadInputs(
    int Devices,
    int Rate,
    double DurationSeconds,
    double AlarmEverySeconds,
    string Edge,
    string Layout,
    int Qos,
    int InFlightPerDevice,
    double WarmupSeconds,
    double DrainSeconds,
    double MinAchievedRatio,
    IReadOnlyDictionary<string, string> EdgeEnvironment);

public sealed record LayoutFigures(string Site, int Buildings, int Devices, int Simulated, int TelemetrySources, int Doors, int AlarmDetectors, int NotSimulated);

/// <summary>
/// Telemetry counts. <c>sent = accepted + rejected + unacknowledged</c>; <c>lost</c> counts accepted (PUBACKed) messages
/// the event log does not hold; <c>throttled</c> messages were due but not sent because the device already had its
/// whole window of messages waiting for PUBACKs.
/// </summary>
public sealed record TelemetryFigures(
    long Offered,
    long Sent,
    long Throttled,
    long Accepted,
    long Rejected,
    long Unacknowledged,
    long? Lost,
    string LostCheck,
    double LoadSeconds,
    double AckSeconds,
    double SentRate,
    double AchievedRate,
    double AchievedRatio,
    LatencyFigures IngestLatencyMs,
    IReadOnlyDictionary<string, long> RejectedByReason);

/// <summary>
/// Alarm rounds: <c>raised = released + missed</c>; <c>skipped</c> rounds found the building's detector not back to
/// normal yet and raised nothing. <c>latencyMs</c> is alarm event leaving the detector → release command arriving at
/// the last door of its building; <c>firstDoorMs</c> the same to the first door.
/// </summary>
public sealed record AlarmFigures(int Raised, int Released, int Missed, int Skipped, int Resets, int ResetFailures, LatencyFigures LatencyMs, LatencyFigures FirstDoorMs);

public sealed record LatencyFigures(long Count, double? P50, double? P99, double? P999, double? Max, double? Mean)
{
    /// <summary>Highest latency a histogram records: one minute in microseconds; anything longer is clamped to it.</summary>
    public const long HighestMicroseconds = 60_000_000;

    public static LongHistogram NewHistogram() => new(1, HighestMicroseconds, 3);

    public static LongConcurrentHistogram NewConcurrentHistogram() => new(1, HighestMicroseconds, 3);

    public static long ClampMicroseconds(TimeSpan elapsed) => Math.Clamp((long)elapsed.TotalMicroseconds, 1, HighestMicroseconds);

    public static LatencyFigures From(HistogramBase histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return new LatencyFigures(0, null, null, null, null, null);
        }

        return new LatencyFigures(histogram.TotalCount, Ms(histogram.GetValueAtPercentile(50)), Ms(histogram.GetValueAtPercentile(99)),
            Ms(histogram.GetValueAtPercentile(99.9)), Ms(histogram.GetMaxValue()), Math.Round(histogram.GetMean() / 1000.0, 3));
    }

    private static double Ms(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}

/// <summary>
/// The edge: <c>started</c> is <c>sc-sim</c> (its own sc-edge process) or <c>already running</c> (<c>--edge</c>);
/// <c>pid</c> is null when no local process could be found for it, and then memory and CPU are null too. Counters are
/// the differences of its /metrics before and after the load.
/// </summary>
public sealed record EdgeFigures(string Address, string Started, int? Pid, string? Build, EdgeCounterFigures? Counters, MemoryFigures Memory, CpuFigures Cpu);

public sealed record EdgeCounterFigures(
    long Accepted,
    long Refused,
    IReadOnlyDictionary<string, long> RefusedByReason,
    long Duplicates,
    long Gaps,
    long CommitFailures,
    long LogCommitted,
    long LogBatches,
    long CommandsSent,
    long CommandRetries,
    long MqttClients);

/// <summary>
/// Resident memory: <c>connectedMiB</c> with every device connected before the load, <c>endMiB</c> when the load and
/// its drain are over, <c>peakMiB</c> the kernel's high-water mark (VmHWM) for the whole process life.
/// </summary>
public sealed record MemoryFigures(double? ConnectedMiB, double? EndMiB, double? PeakMiB);

/// <summary>
/// CPU in percent of one core: <c>averagePercent</c> over the load window, <c>peakPercent</c> the busiest one-second
/// sample, <c>endPercent</c> the last sample of the load window, <c>seconds</c> CPU time used during the load window.
/// </summary>
public sealed record CpuFigures(double? AveragePercent, double? PeakPercent, double? EndPercent, double? Seconds);

public sealed record GeneratorFigures(string Build, MemoryFigures Memory, CpuFigures Cpu);

/// <summary>
/// The machine, with its 1-minute load average (/proc/loadavg) when the run started and when the load ended: on a
/// machine shared with other work the figures mean little without it (2 cores: above 2 means something waited for a core).
/// </summary>
public sealed record MachineFigures(int ProcessorCount, string? CpuModel, double? MemoryMiB, string Os, string Runtime, string Architecture,
    double? LoadAverageAtStart = null, double? LoadAverageAtEnd = null);
