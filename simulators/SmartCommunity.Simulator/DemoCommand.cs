namespace SmartCommunity.Simulator;

using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Simulator.Demo;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary><c>sc-sim demo</c>: the end-to-end story; the last line is <c>demo: PASS</c> or <c>demo: FAIL</c>.</summary>
public sealed class DemoCommand : AsyncCommand<DemoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-l|--layout <FILE>")]
        [Description("Layout to run. Default: the demo layout shipped with sc-sim (layouts/demo.yaml).")]
        public string? Layout { get; init; }

        [CommandOption("-d|--data <DIR>")]
        [Description("Folder for the demo's SQLite event log (its edge.db is replaced). Default: ./data/demo")]
        [DefaultValue("data/demo")]
        public string Data { get; init; } = "data/demo";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string layout = settings.Layout ?? Path.Combine(AppContext.BaseDirectory, "layouts", "demo.yaml");
        var clock = Stopwatch.StartNew();
        bool passed;
        try
        {
            passed = await new DemoStory(layout, settings.Data, AnsiConsole.Console).RunAsync();
        }
        catch (LayoutException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]layout error[/] {ex.Message}");
            passed = false;
        }

        Console.WriteLine($"demo: {(passed ? "PASS" : "FAIL")} ({clock.Elapsed.TotalSeconds:F1} s)");
        return passed ? 0 : 1;
    }
}
