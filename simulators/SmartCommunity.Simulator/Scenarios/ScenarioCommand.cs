namespace SmartCommunity.Simulator.Scenarios;

using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Configuration;
using SmartCommunity.Simulator.Scenarios.Reporting;
using SmartCommunity.Simulator.Scenarios.Running;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary>
/// <c>sc-sim scenario FILE... [--junit PATH] [--layout FILE]</c>: loads every file first (exit 2 on the first bad one,
/// before anything starts), runs each in virtual time, prints the summary; exit 0 only when every expectation held.
/// </summary>
public sealed class ScenarioCommand : AsyncCommand<ScenarioCommand.Settings>
{
    public const int ExitPassed = 0;
    public const int ExitFailed = 1;
    public const int ExitBadFile = 2;

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[FILE]")]
        [Description("Scenario files to run; a folder runs every .yaml in it (e.g. simulators/scenarios).")]
        public string[] Files { get; init; } = [];

        [CommandOption("--junit <PATH>")]
        [Description("Write JUnit XML: a testsuite per scenario, a testcase per expectation.")]
        public string? JUnit { get; init; }

        [CommandOption("-l|--layout <FILE>")]
        [Description("Run against this layout instead of the one each scenario names.")]
        public string? Layout { get; init; }

        [CommandOption("-d|--data <DIR>")]
        [Description("Keep each run's edge data (edge.db) under DIR/<scenario> instead of a temporary folder.")]
        public string? Data { get; init; }

        [CommandOption("-v|--verbose")]
        [Description("Show the edge's warnings while the scenario runs.")]
        public bool Verbose { get; init; }

        [CommandOption("--list")]
        [Description("List the stimuli and expectations a scenario can use, and exit.")]
        public bool List { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IAnsiConsole console = AnsiConsole.Console;
        ScenarioLoader loader = ScenarioLoader.CreateDefault();
        if (settings.List)
        {
            ListVocabulary(console, loader);
            return ExitPassed;
        }

        if (settings.Files.Length == 0)
        {
            console.MarkupLine("[red]error:[/] name a scenario file or folder, e.g. sc-sim scenario simulators/scenarios/fire-drill.yaml");
            return ExitBadFile;
        }

        var scenarios = new List<Scenario>();
        try
        {
            foreach (string file in Expand(settings.Files))
            {
                scenarios.Add(loader.Load(file, settings.Layout));
            }
        }
        catch (ConfigFileException ex)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return ExitBadFile;
        }
        catch (FileNotFoundException ex)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return ExitBadFile;
        }

        using ILoggerFactory loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(settings.Verbose ? LogLevel.Warning : LogLevel.None));
        var runner = new ScenarioRunner(new ScenarioRunOptions
        {
            DataDirectory = settings.Data,
            Loggers = loggers,
            Progress = line => console.MarkupLine($"[grey]{Markup.Escape(line)}[/]"),
        });
        DateTimeOffset started = DateTimeOffset.UtcNow;
        var results = new List<ScenarioResult>();
        foreach (Scenario scenario in scenarios)
        {
            console.MarkupLine($"[bold]scenario {Markup.Escape(scenario.Name)}[/] {Markup.Escape(scenario.Description ?? "")}");
            ScenarioResult result = await runner.RunAsync(scenario, cancellationToken);
            ScenarioConsoleReport.Write(console, result);
            results.Add(result);
        }

        if (settings.JUnit is { } junit)
        {
            JUnitReport.Write(junit, results, started);
            console.MarkupLine($"[grey]JUnit XML written to {Markup.Escape(junit)}[/]");
        }

        int passed = results.Count(r => r.Passed);
        console.MarkupLine($"scenarios: {passed} passed, {results.Count - passed} failed");
        return passed == results.Count ? ExitPassed : ExitFailed;
    }

    private static IEnumerable<string> Expand(IEnumerable<string> paths)
    {
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (string file in Directory.GetFiles(path, "*.yaml").Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else
            {
                yield return File.Exists(path) ? path : throw new FileNotFoundException($"{path}: no such scenario file or folder");
            }
        }
    }

    private static void ListVocabulary(IAnsiConsole console, ScenarioLoader loader)
    {
        var stimuli = new Table().AddColumn("stimulus (under do:)").AddColumn("arguments and effect");
        foreach (var stimulus in loader.Stimuli.All)
        {
            stimuli.AddRow(Markup.Escape(stimulus.Name), Markup.Escape(stimulus.Summary));
        }

        var expectations = new Table().AddColumn("expectation (under expect:)").AddColumn("arguments and meaning").AddColumn("timing");
        foreach (var kind in loader.Expectations.All)
        {
            string timing = kind.Modes switch
            {
                Expectations.ExpectationModes.Eventually => "within / by",
                Expectations.ExpectationModes.Throughout => "for",
                _ => "within / by / for",
            };
            expectations.AddRow(Markup.Escape(kind.Name), Markup.Escape(kind.Summary), timing);
        }

        console.Write(stimuli);
        console.Write(expectations);
    }
}
