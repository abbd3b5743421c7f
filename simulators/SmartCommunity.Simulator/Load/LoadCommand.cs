namespace SmartCommunity.Simulator.Load;

using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary>
/// <c>sc-sim load</c>: loads an edge with N devices at a total telemetry rate, raises alarms at intervals, and reports
/// alarm-to-release latency, achieved rate, rejected and lost messages and the edge's memory and CPU. Exit code 0 when
/// every figure holds, 1 when the rate was not reached or anything was rejected, lost or missed, 2 when the run could
/// not be set up.
/// </summary>
public sealed class LoadCommand : AsyncCommand<LoadCommand.Settings>
{
    public const int ExitPassed = 0;
    public const int ExitFailed = 1;
    public const int ExitSetupFailed = 2;

    /// <summary>The environment variable an operator token for <c>--edge</c> may come from instead of <c>--token</c>.</summary>
    public const string TokenVariable = "SC_EDGE_TOKEN";

    public sealed class Settings : CommandSettings
    {
        public const int DefaultDevices = 1000;

        [CommandOption("-n|--devices <N>")]
        [Description("Devices in the generated layout (10-20000): buildings of 50, each with 4 doors, 1 alarm detector and telemetry sources. Default: 1000")]
        public int? Devices { get; init; }

        [CommandOption("-r|--rate <MSG_PER_S>")]
        [Description("Total telemetry rate over all telemetry sources, messages a second. Default: 5000")]
        [DefaultValue(5000)]
        public int Rate { get; init; } = 5000;

        [CommandOption("-t|--duration <SECONDS>")]
        [Description("How long the load runs (1-3600 s); the run then drains and stops by itself. Default: 20")]
        [DefaultValue(20)]
        public int Duration { get; init; } = 20;

        [CommandOption("--alarm-every <SECONDS>")]
        [Description("Seconds between smoke alarms, in a rotating building (0 = none; at least 0.1). Default: 1")]
        [DefaultValue(1.0)]
        public double AlarmEvery { get; init; } = 1.0;

        [CommandOption("--edge <ADDRESS>")]
        [Description("Load an edge that is already running, at HOST:MQTTPORT[[,HTTPPORT]] (HTTP default 8080); loopback only. Needs --layout (the edge's). Default: sc-sim starts its own sc-edge")]
        public string? Edge { get; init; }

        [CommandOption("--token <TOKEN>")]
        [Description("Operator token of the --edge for the alarm resets (sc-edge operator add); or set " + TokenVariable)]
        public string? Token { get; init; }

        [CommandOption("--layout <FILE>")]
        [Description("Run the devices of this layout instead of a generated one (doors, one alarm detector per building, the other smoke detectors as telemetry sources)")]
        public string? Layout { get; init; }

        [CommandOption("--json <PATH>")]
        [Description("Write every figure (inputs, rates, counts, latency percentiles, memory, CPU, machine) to this JSON file")]
        public string? Json { get; init; }

        [CommandOption("--warmup <SECONDS>")]
        [Description("Before the measured load: one uncounted alarm round, then this long at --rate, uncounted, so JIT compilation is not measured (0-600). Default: 3")]
        [DefaultValue(3)]
        public int Warmup { get; init; } = 3;

        [CommandOption("--drain <SECONDS>")]
        [Description("After the load, how long to wait at most for outstanding PUBACKs (1-600). Default: 15")]
        [DefaultValue(15)]
        public int Drain { get; init; } = 15;

        [CommandOption("--edge-env <NAME=VALUE>")]
        [Description("Environment variable for the sc-edge that sc-sim starts, e.g. DOTNET_GCgen0size=0x400000 (repeatable)")]
        public string[] EdgeEnvironment { get; init; } = [];

        [CommandOption("--keep")]
        [Description("Keep the run's folder (layout, edge.db, edge.log) even when the run passes; a failed run always keeps it")]
        public bool Keep { get; init; }

        public int EffectiveDevices => Devices ?? DefaultDevices;

        public override ValidationResult Validate()
        {
            if (Devices is { } devices && Layout is not null)
            {
                return ValidationResult.Error("--devices and --layout exclude each other: with --layout, the layout's devices run");
            }

            if (Layout is null && EffectiveDevices is < LoadLayout.MinDevices or > LoadLayout.MaxDevices)
            {
                return ValidationResult.Error($"--devices must be {LoadLayout.MinDevices}-{LoadLayout.MaxDevices}, not {EffectiveDevices}");
            }

            if (Rate is < 1 or > 200_000)
            {
                return ValidationResult.Error($"--rate must be 1-200000 messages a second, not {Rate}");
            }

            if (Duration is < 1 or > 3600)
            {
                return ValidationResult.Error($"--duration must be 1-3600 seconds, not {Duration}");
            }

            if (double.IsNaN(AlarmEvery) || AlarmEvery < 0 || (AlarmEvery > 0 && AlarmEvery < 0.1) || AlarmEvery > 3600)
            {
                return ValidationResult.Error($"--alarm-every must be 0 (no alarms) or 0.1-3600 seconds, not {AlarmEvery}");
            }

            if (Warmup is < 0 or > 600)
            {
                return ValidationResult.Error($"--warmup must be 0-600 seconds, not {Warmup}");
            }

            if (Drain is < 1 or > 600)
            {
                return ValidationResult.Error($"--drain must be 1-600 seconds, not {Drain}");
            }

            if (Layout is null)
            {
                int sources = EffectiveDevices - LoadLayout.BuildingCount(EffectiveDevices) * (LoadLayout.DoorsPerBuilding + 1);
                if ((double)Rate / sources > 1000)
                {
                    return ValidationResult.Error($"--rate {Rate} over {sources} telemetry sources is more than 1000 messages a second per device; use more --devices");
                }
            }
            else if (!File.Exists(Layout))
            {
                return ValidationResult.Error($"--layout '{Layout}' does not exist");
            }

            if (Edge is not null)
            {
                if (!EdgeAddress.TryParse(Edge, out _, out string error))
                {
                    return ValidationResult.Error(error);
                }

                if (Layout is null)
                {
                    return ValidationResult.Error("--edge needs --layout: the layout file that edge runs, so the virtual devices are ones it knows");
                }

                if (EdgeEnvironment.Length > 0)
                {
                    return ValidationResult.Error("--edge-env only applies to the sc-edge that sc-sim starts, not to one given with --edge");
                }

                if (AlarmEvery > 0 && string.IsNullOrWhiteSpace(Token ?? Environment.GetEnvironmentVariable(TokenVariable)))
                {
                    return ValidationResult.Error($"alarms need an operator token for the resets: --token TOKEN or {TokenVariable} (sc-edge operator add NAME --data DIR), or --alarm-every 0");
                }
            }
            else if (Token is not null)
            {
                return ValidationResult.Error("--token is for an edge given with --edge; sc-sim issues a token for the edge it starts");
            }

            foreach (string variable in EdgeEnvironment)
            {
                if (variable.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    return ValidationResult.Error($"--edge-env '{variable}' must be NAME=VALUE");
                }
            }

            return ValidationResult.Success();
        }

        public LoadPlan ToPlan()
        {
            EdgeAddress? edge = null;
            if (Edge is not null)
            {
                EdgeAddress.TryParse(Edge, out edge, out _);
            }

            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string variable in EdgeEnvironment)
            {
                int equals = variable.IndexOf('=', StringComparison.Ordinal);
                environment[variable[..equals]] = variable[(equals + 1)..];
            }

            return new LoadPlan(Layout is null ? EffectiveDevices : null, Rate, TimeSpan.FromSeconds(Duration), TimeSpan.FromSeconds(AlarmEvery), edge,
                edge is null ? null : Token ?? Environment.GetEnvironmentVariable(TokenVariable), Layout, Json, environment, TimeSpan.FromSeconds(Warmup),
                TimeSpan.FromSeconds(Drain), Keep);
        }
    }

    /// <summary>
    /// Worker threads the generator keeps ready. Its timestamps (PUBACK arrival, a release reaching a door) are taken
    /// on thread-pool threads; on a 2-core machine the pool starts with 2 and adds more only slowly, so a burst of
    /// completions would delay the stamps and the run would measure its own queueing instead of the edge's.
    /// </summary>
    public const int GeneratorMinThreads = 32;

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, GeneratorMinThreads), completionPorts);
        var run = new LoadRun(settings.ToPlan(), AnsiConsole.Console);
        return await run.RunAsync(cancellationToken);
    }
}

/// <summary>A validated load run: what to load, how hard, for how long, and where the figures go.</summary>
public sealed record LoadPlan(
    int? Devices,
    int Rate,
    TimeSpan Duration,
    TimeSpan AlarmEvery,
    EdgeAddress? Edge,
    string? Token,
    string? LayoutPath,
    string? JsonPath,
    IReadOnlyDictionary<string, string> EdgeEnvironment,
    TimeSpan Warmup,
    TimeSpan Drain,
    bool Keep)
{
    /// <summary>Below this share of the asked rate, the run fails: the edge (or this machine) could not carry it.</summary>
    public const double MinAchievedRatio = 0.9;
}
