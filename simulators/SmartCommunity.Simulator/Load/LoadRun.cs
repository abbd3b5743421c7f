namespace SmartCommunity.Simulator.Load;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using SmartCommunity.Edge;
using SmartCommunity.Edge.Layout;
using Spectre.Console;

/// <summary>
/// One load run from start to figures: layout, edge, devices connected and settled, the load with its alarm rounds
/// and progress display, a bounded drain, the edge's counters, memory and CPU, the edge stopped and its event log
/// checked for every accepted message, then the verdict. Every wait is bounded; the run stops by itself.
/// </summary>
public sealed class LoadRun(LoadPlan plan, IAnsiConsole console)
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);
    private const int ConnectParallelism = 64;

    public async Task<int> RunAsync(CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        string work = Directory.CreateTempSubdirectory("sc-sim-load-").FullName;
        bool keep = plan.Keep;
        try
        {
            LoadFigures figures = await MeasureAsync(work, startedAt, cancel);
            if (plan.JsonPath is { } json)
            {
                figures.WriteTo(json);
                Say($"figures written to {Path.GetFullPath(json)}");
            }

            LoadReport.Write(console, figures);
            keep |= !figures.Passed;
            if (figures.Passed)
            {
                Console.WriteLine($"load: PASS ({clock.Elapsed.TotalSeconds:F1} s)");
                return LoadCommand.ExitPassed;
            }

            Console.WriteLine($"load: FAIL ({clock.Elapsed.TotalSeconds:F1} s)");
            foreach (string failure in figures.Failures)
            {
                Console.WriteLine("  " + failure);
            }

            return LoadCommand.ExitFailed;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            keep = true;
            Console.WriteLine("load: CANCELLED before any figure was complete");
            return LoadCommand.ExitFailed;
        }
        catch (Exception ex) when (ex is LoadSetupException or LayoutException)
        {
            keep = true;
            Console.WriteLine($"load: CANNOT RUN: {ex.Message}");
            return LoadCommand.ExitSetupFailed;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (keep)
            {
                Say($"run folder kept: {work} (layout.yaml, data/edge.db, edge.log)");
            }
            else
            {
                try
                {
                    Directory.Delete(work, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private async Task<LoadFigures> MeasureAsync(string work, DateTimeOffset startedAt, CancellationToken cancel)
    {
        MachineFigures machine = ProcStats.Machine();
        string layoutPath = plan.LayoutPath ?? Path.Combine(work, "layout.yaml");
        if (plan.LayoutPath is null)
        {
            File.WriteAllText(layoutPath, LoadLayout.Generate(plan.Devices!.Value));
        }

        BuildingLayout layout = LayoutLoader.Load(layoutPath);
        LoadCast cast = LoadCast.From(layout);
        if (cast.TelemetrySources.Count == 0)
        {
            throw new LoadSetupException($"{layoutPath} has no smoke detector left to carry telemetry (one per building raises the alarms)");
        }

        Say($"layout: {layout.Buildings.Count} buildings, {cast.Simulated} devices: {cast.TelemetrySources.Count} telemetry sources, "
            + $"{cast.Doors.Count()} doors, {cast.AlarmBuildings.Count} alarm detectors{(cast.NotSimulated.Count > 0 ? $" ({cast.NotSimulated.Count} of other kinds not simulated)" : "")}");

        EdgeProcess? edgeProcess = null;
        try
        {
            string? token = plan.Token;
            if (plan.Edge is null)
            {
                Say("starting sc-edge ...");
                edgeProcess = await EdgeProcess.StartAsync(layoutPath, Path.Combine(work, "data"), plan.EdgeEnvironment, cancel);
                token = await edgeProcess.IssueTokenAsync(cancel);
                Say($"sc-edge (pid {edgeProcess.Pid}) ready: MQTT 127.0.0.1:{edgeProcess.Address.MqttPort}, API {edgeProcess.Address.HttpBase}; operator token issued with sc-edge operator add");
            }

            EdgeAddress address = edgeProcess?.Address ?? plan.Edge!;
            int? pid = edgeProcess?.Pid ?? (ProcStats.TryFindListeningProcess(address.MqttPort, out int found) ? found : null);
            if (edgeProcess is null)
            {
                Say(pid is { } p ? $"edge at {address}: process {p} (memory and CPU from /proc)" : $"edge at {address}: no local process found for port {address.MqttPort}; memory and CPU not measured");
            }

            using var api = new EdgeApi(address.HttpBase, token);
            if (!await api.IsReadyAsync(cancel))
            {
                throw new LoadSetupException($"the edge at {address} is not ready ({address.HttpBase}health/ready does not answer 200)");
            }

            return await LoadAsync(startedAt, machine, layoutPath, layout, cast, edgeProcess, address, pid, api, cancel);
        }
        finally
        {
            if (edgeProcess is not null)
            {
                await edgeProcess.DisposeAsync();
            }
        }
    }

    private async Task<LoadFigures> LoadAsync(DateTimeOffset startedAt, MachineFigures machine, string layoutPath, BuildingLayout layout, LoadCast cast,
        EdgeProcess? edgeProcess, EdgeAddress address, int? pid, EdgeApi api, CancellationToken cancel)
    {
        var edgeSampler = new ResourceSampler(pid);
        var selfSampler = new ResourceSampler(Environment.ProcessId);

        // A boot number above any earlier run's, so an edge that saw this layout before takes the sequences as new (protocol.md §3).
        long boot = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long epoch = Stopwatch.GetTimestamp();
        var probe = new AlarmProbe();
        var counters = new TelemetryCounters();
        List<FirmwareNode> nodes = cast.Doors.Concat(cast.AlarmBuildings.Select(b => b.Detector))
            .Select(d => FirmwareNode.Create(d, address.Host, address.MqttPort, boot, probe)).ToList();
        List<TelemetrySource> sources = cast.TelemetrySources.Select(d => new TelemetrySource(d, boot, counters, epoch)).ToList();
        var firmwareLoop = new FirmwareLoop(nodes, TimeSpan.FromMilliseconds(5));
        AlarmDriver alarms;
        EdgeMetrics before;
        EdgeMetrics? after;
        TelemetrySnapshot telemetry;
        var failures = new List<string>();
        double? loadAverageAtEnd = null;
        try
        {
            foreach (FirmwareNode node in nodes)
            {
                node.Transport.Start();
            }

            firmwareLoop.Start();
            await ConnectAsync(sources, address, cancel);
            if (!await WaitUntilAsync(() => nodes.All(n => n.Transport.IsConnected && (n.DoorOutput?.Energised ?? true)), SettleTimeout, cancel))
            {
                int waiting = nodes.Count(n => !n.Transport.IsConnected || !(n.DoorOutput?.Energised ?? true));
                throw new LoadSetupException($"{waiting} of {nodes.Count} doors and alarm detectors did not connect and settle (doors energised on a clear fire state) within {SettleTimeout.TotalSeconds:F0} s");
            }

            edgeSampler.MarkConnected();
            selfSampler.MarkConnected();
            Say($"{sources.Count + nodes.Count} devices connected; edge {Mib(edgeSampler.ConnectedMiB)} resident");
            alarms = new AlarmDriver(cast.AlarmBuildings, nodes.ToDictionary(n => n.Definition.Id), probe, api, plan.AlarmEvery, plan.Duration);
            await WarmUpAsync(sources, alarms, cancel);

            before = await api.ReadMetricsAsync(cancel) ?? throw new LoadSetupException($"the edge at {address} does not serve /metrics");
            foreach (TelemetrySource source in sources)
            {
                source.Counters = counters;
            }

            Say($"load: {plan.Rate:N0} msg/s for {plan.Duration.TotalSeconds:F0} s" + (plan.AlarmEvery > TimeSpan.Zero ? $", an alarm every {plan.AlarmEvery.TotalSeconds:0.###} s" : ", no alarms"));
            var pacer = new TelemetryPacer(sources, plan.Rate, plan.Duration);
            edgeSampler.StartWindow();
            selfSampler.StartWindow();
            long loadStart = Stopwatch.GetTimestamp();
            Task pacing = pacer.RunAsync(cancel);
            Task alarming = alarms.RunAsync(cancel);
            await ShowProgressAsync(pacing, loadStart, counters, alarms, edgeSampler, selfSampler);
            await pacing;
            double loadSeconds = Stopwatch.GetElapsedTime(loadStart).TotalSeconds;
            edgeSampler.EndWindow();
            selfSampler.EndWindow();
            loadAverageAtEnd = ProcStats.LoadAverage();

            // The drain: outstanding PUBACKs and the last alarm round, each bounded.
            await WaitUntilAsync(() => counters.InFlight == 0, plan.Drain, CancellationToken.None);
            try
            {
                await alarming.WaitAsync(AlarmDriver.RoundTimeout, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                failures.Add($"the last alarm round did not end within {AlarmDriver.RoundTimeout.TotalSeconds:F0} s");
            }

            long lastAck = counters.LastAckAt;
            double ackSeconds = Math.Max(loadSeconds, lastAck == 0 ? 0 : Stopwatch.GetElapsedTime(loadStart, lastAck).TotalSeconds);
            telemetry = new TelemetrySnapshot(pacer.Due, counters.Sent, counters.Throttled, counters.Accepted, counters.Rejected,
                counters.Unacknowledged + counters.InFlight, loadSeconds, ackSeconds, LatencyFigures.From(counters.IngestLatency), counters.RejectedByReason);
            after = await api.ReadMetricsAsync(CancellationToken.None);
            edgeSampler.MarkEnd();
            selfSampler.MarkEnd();
            if (cancel.IsCancellationRequested)
            {
                failures.Add("cancelled before the end (Ctrl+C)");
            }
        }
        finally
        {
            await firmwareLoop.DisposeAsync();
            await Task.WhenAll(sources.Select(s => s.DisposeAsync().AsTask()).Concat(nodes.Select(n => n.DisposeAsync().AsTask())));
        }

        (long? lost, string lostCheck) = (null, "not checked: the event log of an edge given with --edge is not read; see the edge's gap counter");
        bool? stoppedCleanly = null;
        if (edgeProcess is not null)
        {
            stoppedCleanly = await edgeProcess.StopAsync();
            (lost, lostCheck) = CountLost(Path.Combine(edgeProcess.DataDirectory, EdgeHost.DatabaseFileName), boot, sources);
        }

        AlarmFigures alarmFigures = alarms.Figures();
        double achieved = telemetry.Accepted / telemetry.AckSeconds;
        var telemetryFigures = new TelemetryFigures(telemetry.Due, telemetry.Sent, telemetry.Throttled, telemetry.Accepted, telemetry.Rejected,
            telemetry.Unacknowledged, lost, lostCheck, Math.Round(telemetry.LoadSeconds, 3), Math.Round(telemetry.AckSeconds, 3),
            Math.Round(telemetry.Sent / telemetry.LoadSeconds, 1), Math.Round(achieved, 1), Math.Round(achieved / plan.Rate, 4), telemetry.Latency, telemetry.RejectedByReason);

        if (achieved < plan.Rate * LoadPlan.MinAchievedRatio)
        {
            failures.Add($"achieved {achieved:N0} msg/s, below {LoadPlan.MinAchievedRatio:P0} of the {plan.Rate:N0} msg/s asked for "
                + $"({telemetry.Throttled:N0} due messages throttled by full device windows, ingest p99 {telemetry.Latency.P99?.ToString("N1", CultureInfo.InvariantCulture) ?? "-"} ms)");
        }

        if (lost > 0)
        {
            failures.Add($"{lost:N0} messages the edge acknowledged (PUBACK) are missing from its event log");
        }

        if (telemetry.Unacknowledged > 0)
        {
            failures.Add($"{telemetry.Unacknowledged:N0} messages got no PUBACK (connection lost, timed out, or still waiting after the {plan.Drain.TotalSeconds:F0} s drain)");
        }

        if (telemetry.Rejected > 0)
        {
            failures.Add($"the edge refused {telemetry.Rejected:N0} messages ({string.Join(", ", telemetry.RejectedByReason.Select(r => $"{r.Key}: {r.Value}"))})");
        }

        if (alarmFigures.Missed > 0 || alarmFigures.ResetFailures > 0)
        {
            failures.Add($"{alarmFigures.Missed} alarms did not release every door of their building within {AlarmDriver.ReleaseTimeout.TotalSeconds:F0} s, "
                + $"{alarmFigures.ResetFailures} resets failed: {string.Join("; ", alarms.Problems)}");
        }

        if (plan.AlarmEvery > TimeSpan.Zero && plan.AlarmEvery <= plan.Duration && cast.AlarmBuildings.Count > 0 && alarmFigures.Raised == 0)
        {
            failures.Add($"no alarm could be raised ({alarmFigures.Skipped} rounds found the building's detector not back to normal)");
        }

        if (stoppedCleanly == false)
        {
            failures.Add($"sc-edge did not stop cleanly on SIGTERM; see {edgeProcess!.LogPath}");
        }

        var inputs = new LoadInputs(plan.Devices ?? layout.Devices.Count, plan.Rate, plan.Duration.TotalSeconds, plan.AlarmEvery.TotalSeconds,
            plan.Edge?.ToString() ?? "started by sc-sim", plan.LayoutPath ?? "generated", 1, TelemetrySource.Window, plan.Warmup.TotalSeconds, plan.Drain.TotalSeconds,
            LoadPlan.MinAchievedRatio, plan.EdgeEnvironment);
        var layoutFigures = new LayoutFigures(layout.Site, layout.Buildings.Count, layout.Devices.Count, cast.Simulated, cast.TelemetrySources.Count,
            cast.Doors.Count(), cast.AlarmBuildings.Count, cast.NotSimulated.Count);
        var edgeFigures = new EdgeFigures(address.ToString(), edgeProcess is null ? "already running" : "sc-sim", pid,
            edgeProcess is null ? null : BuildOf(typeof(SmartCommunity.Edge.Cli.RunCommand).Assembly), after?.Since(before), edgeSampler.Memory, edgeSampler.Cpu);
        var generator = new GeneratorFigures(BuildOf(typeof(LoadRun).Assembly), selfSampler.Memory, selfSampler.Cpu);
        return new LoadFigures("sc-sim load", LoadFigures.CurrentFormat, startedAt, failures.Count == 0, failures, inputs, layoutFigures, telemetryFigures,
            alarmFigures, edgeFigures, generator, machine with { LoadAverageAtEnd = loadAverageAtEnd });
    }

    /// <summary>
    /// Accepted (PUBACKed) telemetry that the event log does not hold, read from edge.db after the edge stopped. Every
    /// accepted message must be there: the edge acknowledges only after the commit (hardware-docs/protocol.md §8).
    /// </summary>
    public static (long Lost, string Check) CountLost(string database, long boot, IEnumerable<TelemetrySource> sources)
    {
        var logged = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT source, seq FROM events WHERE channel = 'telemetry' AND boot = $boot";
            command.Parameters.AddWithValue("$boot", boot);
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                string source = reader.GetString(0);
                if (!logged.TryGetValue(source, out HashSet<long>? sequences))
                {
                    logged[source] = sequences = new HashSet<long>();
                }

                sequences.Add(reader.GetInt64(1));
            }
        }

        long lost = 0;
        long checkedCount = 0;
        foreach (TelemetrySource source in sources)
        {
            HashSet<long>? sequences = logged.GetValueOrDefault(source.Device.Id);
            foreach (long sequence in source.AcceptedSequences)
            {
                checkedCount++;
                if (sequences is null || !sequences.Contains(sequence))
                {
                    lost++;
                }
            }
        }

        return (lost, $"each of the {checkedCount:N0} accepted messages looked up in the event log (edge.db) after the edge stopped");
    }

    /// <summary>
    /// One uncounted alarm round, then <see cref="LoadPlan.Warmup"/> of telemetry at the full rate, counted apart and
    /// drained: the first calls of every path are JIT-compiled and tiered up before anything is measured.
    /// </summary>
    private async Task WarmUpAsync(List<TelemetrySource> sources, AlarmDriver alarms, CancellationToken cancel)
    {
        if (!await alarms.WarmUpAsync(cancel))
        {
            throw new LoadSetupException("the warm-up alarm failed: " + string.Join("; ", alarms.Problems));
        }

        if (plan.Warmup <= TimeSpan.Zero)
        {
            return;
        }

        Say($"warm-up: {plan.Rate:N0} msg/s for {plan.Warmup.TotalSeconds:F0} s, not counted");
        var warmup = new TelemetryCounters();
        foreach (TelemetrySource source in sources)
        {
            source.Counters = warmup;
        }

        await new TelemetryPacer(sources, plan.Rate, plan.Warmup).RunAsync(cancel);
        await WaitUntilAsync(() => warmup.InFlight == 0, plan.Drain, cancel);
    }

    private async Task ConnectAsync(List<TelemetrySource> sources, EdgeAddress address, CancellationToken cancel)
    {
        Say($"connecting {sources.Count} telemetry sources ...");
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(ConnectParallelism);
        var errors = new List<string>();
        await Task.WhenAll(sources.Select(async source =>
        {
            await gate.WaitAsync(cancel);
            try
            {
                await source.ConnectAsync(address.Host, address.MqttPort, cancel);
            }
            catch (Exception ex)
            {
                // Whatever the cause (refused, timed out, cancelled), a device that is not connected spoils the run.
                lock (errors)
                {
                    errors.Add($"{source.Device.Id}: {ex.Message}");
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        if (errors.Count > 0)
        {
            throw new LoadSetupException($"{errors.Count} of {sources.Count} telemetry sources could not connect to MQTT {address.Host}:{address.MqttPort}, e.g. {errors[0]}");
        }

        Say($"connected in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private async Task ShowProgressAsync(Task pacing, long loadStart, TelemetryCounters counters, AlarmDriver alarms, ResourceSampler edge, ResourceSampler self)
    {
        double total = plan.Duration.TotalSeconds;
        long lastAccepted = 0;
        long lastAt = loadStart;
        double recentRate = 0;
        string Status()
        {
            edge.Sample();
            self.Sample();
            long now = Stopwatch.GetTimestamp();
            long accepted = counters.Accepted;
            double seconds = Stopwatch.GetElapsedTime(lastAt, now).TotalSeconds;
            if (seconds >= 0.5)
            {
                recentRate = (accepted - lastAccepted) / seconds;
                lastAccepted = accepted;
                lastAt = now;
            }

            string alarmText = alarms.Raised == 0 ? "no alarm yet" : $"alarms {alarms.Released}/{alarms.Raised} released, p99 {alarms.P99Ms():N1} ms";
            string edgeText = edge.LastMiB is { } mib ? $"edge {mib:N0} MiB {edge.LastCpuPercent ?? 0:N0}% CPU" : "edge not measured";
            return $"{Math.Min(Stopwatch.GetElapsedTime(loadStart).TotalSeconds, total):N0}/{total:N0} s · sent {counters.Sent:N0} · accepted {accepted:N0} "
                + $"({recentRate:N0}/s) · in flight {counters.InFlight:N0} · {alarmText} · {edgeText} · sc-sim {self.LastCpuPercent ?? 0:N0}% CPU";
        }

        if (console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            await console.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    ProgressTask task = context.AddTask("load", maxValue: total);
                    while (!pacing.IsCompleted)
                    {
                        await Task.WhenAny(pacing, Task.Delay(1000));
                        task.Description = Markup.Escape(Status());
                        task.Value = Math.Min(Stopwatch.GetElapsedTime(loadStart).TotalSeconds, total);
                    }

                    task.Value = total;
                });
            return;
        }

        // Redirected output (CI, a log file): a plain line every few seconds, the samples still once a second.
        TimeSpan every = TimeSpan.FromSeconds(total <= 60 ? 2 : 5);
        long lastLine = loadStart;
        while (!pacing.IsCompleted)
        {
            await Task.WhenAny(pacing, Task.Delay(1000));
            string status = Status();
            if (Stopwatch.GetElapsedTime(lastLine) >= every || pacing.IsCompleted)
            {
                Console.WriteLine("load: " + status);
                lastLine = Stopwatch.GetTimestamp();
            }
        }
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancel)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > timeout || cancel.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return true;
    }

    private static string BuildOf(Assembly assembly) => assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "unknown";

    private static string Mib(double? value) => value is { } mib ? $"{mib:N1} MiB" : "(not measured)";

    private void Say(string text) => console.MarkupLineInterpolated($"[grey]...[/] {text}");

    private sealed record TelemetrySnapshot(long Due, long Sent, long Throttled, long Accepted, long Rejected, long Unacknowledged, double LoadSeconds,
        double AckSeconds, LatencyFigures Latency, IReadOnlyDictionary<string, long> RejectedByReason);
}
