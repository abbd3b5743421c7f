namespace SmartCommunity.Simulator.Load;

using System.Globalization;
using System.Linq;
using Spectre.Console;

/// <summary>The figures of a run as a table for people, with the brief's targets beside them (shared/BRIEF.md, "Figures we aim at").</summary>
public static class LoadReport
{
    public static void Write(IAnsiConsole console, LoadFigures figures)
    {
        TelemetryFigures t = figures.Telemetry;
        AlarmFigures a = figures.Alarms;
        EdgeFigures e = figures.Edge;
        var table = new Table().AddColumns("figure", "measured", "aimed at");
        table.AddRow("achieved rate", $"{t.AchievedRate:N0} msg/s of {figures.Inputs.Rate:N0} asked ({t.AchievedRatio:P1}); sent {t.SentRate:N0}/s over {t.LoadSeconds:N1} s",
            $"at least {figures.Inputs.MinAchievedRatio:P0} of --rate; ingest 40,000 msg/s");
        table.AddRow("telemetry", $"sent {t.Sent:N0} = accepted {t.Accepted:N0} + rejected {t.Rejected:N0} + unacknowledged {t.Unacknowledged:N0}; throttled {t.Throttled:N0} of {t.Offered:N0} due", "");
        table.AddRow("lost", t.Lost is { } lost ? $"{lost:N0} ({t.LostCheck})" : t.LostCheck, "0");
        table.AddRow("ingest latency (publish → PUBACK)", Latency(t.IngestLatencyMs), "p99 < 100 ms");
        table.AddRow("alarm → last door's release", Latency(a.LatencyMs), "p99 < 12 ms at 10,000 msg/s, < 15 ms at 20,000");
        table.AddRow("alarm → first door's release", Latency(a.FirstDoorMs), "");
        table.AddRow("alarm rounds", $"raised {a.Raised}, released {a.Released}, missed {a.Missed}, skipped {a.Skipped}; resets {a.Resets}, failed {a.ResetFailures}", "every alarm released");
        table.AddRow("edge memory (resident)", Memory(e.Memory), "< 80 MB with 5,000 devices connected");
        table.AddRow("edge CPU (% of one core)", Cpu(e.Cpu), "");
        table.AddRow("edge counters", e.Counters is { } c
            ? $"accepted {c.Accepted:N0}, refused {c.Refused:N0}{(c.RefusedByReason.Count > 0 ? " (" + string.Join(", ", c.RefusedByReason.Select(r => $"{r.Key} {r.Value}")) + ")" : "")}, "
                + $"duplicates {c.Duplicates:N0}, gaps {c.Gaps:N0}, commit failures {c.CommitFailures:N0}; log {c.LogCommitted:N0} rows in {c.LogBatches:N0} commits; "
                + $"commands {c.CommandsSent:N0} (+{c.CommandRetries:N0} retries); {c.MqttClients:N0} MQTT clients"
            : "(no /metrics)", "");
        table.AddRow("edge", $"{e.Started}, {e.Address}, pid {e.Pid?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}, build {e.Build ?? "unknown"}", "");
        table.AddRow("sc-sim (load generator)", $"build {figures.Generator.Build}; {Memory(figures.Generator.Memory)}; CPU {Cpu(figures.Generator.Cpu)}", "");
        MachineFigures m = figures.Machine;
        table.AddRow("machine", $"{m.ProcessorCount} × {m.CpuModel ?? "?"}, {m.MemoryMiB:N0} MiB, {m.Os}, {m.Runtime}; load average {m.LoadAverageAtStart:N1} at start, {m.LoadAverageAtEnd:N1} at the end of the load",
            "the edge on 2 cores");
        console.Write(table);
    }

    private static string Latency(LatencyFigures l) => l.Count == 0
        ? "no samples"
        : $"p50 {l.P50:N2} · p99 {l.P99:N2} · p99.9 {l.P999:N2} · max {l.Max:N2} ms (n={l.Count:N0})";

    private static string Memory(MemoryFigures m) =>
        m.PeakMiB is null ? "not measured" : $"connected {m.ConnectedMiB:N1}, end {m.EndMiB:N1}, peak {m.PeakMiB:N1} MiB";

    private static string Cpu(CpuFigures c) =>
        c.AveragePercent is null ? "not measured" : $"average {c.AveragePercent:N0}%, peak {c.PeakPercent:N0}%, end {c.EndPercent:N0}% ({c.Seconds:N1} s CPU)";
}
