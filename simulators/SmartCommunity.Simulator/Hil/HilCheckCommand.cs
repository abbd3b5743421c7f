namespace SmartCommunity.Simulator.Hil;

using System;
using System.ComponentModel;
using System.Device.Gpio;
using System.IO;
using System.Linq;
using System.Threading;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary>
/// <c>sc-sim hil check --pins FILE [--chip N]</c>: toggles every loopback jumper of the pin map and reports each
/// one as ok, stuck low, stuck high, crossed, unstable or error (hardware-docs/hil.md, "Checking the wiring").
/// Exit 0 when every jumper is ok, 1 on any wiring fault, 2 when the check cannot run.
/// </summary>
public sealed class HilCheckCommand : Command<HilCheckCommand.Settings>
{
    /// <summary>Where the chips come from; tests set one over a fake driver. (One parameterless constructor, so
    /// Spectre.Console.Cli's default type resolver can create the command.)</summary>
    public GpioAccess Gpio { get; init; } = new();

    /// <summary>How settling waits; null for a real sleep. Tests pass a no-op.</summary>
    public Action<TimeSpan>? Wait { get; init; }

    public sealed class Settings : HilSettings
    {
        [CommandOption("--settle-ms <MS>")]
        [Description("Wait after each pattern before reading, 0-1000 ms.")]
        [DefaultValue(2)]
        public int SettleMs { get; init; } = 2;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Run(settings, AnsiConsole.Console);

    /// <summary>Runs the check and writes the report to <paramref name="console"/>; returns the exit code.</summary>
    public int Run(Settings settings, IAnsiConsole console)
    {
        if (string.IsNullOrWhiteSpace(settings.Pins))
        {
            return CannotRun(console, "options", "--pins FILE is required: the pin map with the loopback jumpers (hardware-docs/hil.md)");
        }

        if (settings.SettleMs is < 0 or > 1000 || settings.Chip is < 0)
        {
            return CannotRun(console, "options", "--settle-ms must be 0-1000 and --chip 0 or more");
        }

        HilPinMap map;
        try
        {
            map = HilPinMapLoader.Load(settings.Pins);
        }
        catch (PinMapException ex)
        {
            return CannotRun(console, "pin map error", ex.Message);
        }

        if (map.Jumpers.Count == 0)
        {
            return CannotRun(console, "pin map error", $"{map.File}: no loopback jumpers are listed; add a 'loopback:' list of {{ drive: LINE, read: LINE }} (hardware-docs/hil.md)");
        }

        int chip = settings.Chip ?? map.Chip;
        GpioController controller;
        try
        {
            controller = Gpio.Open(chip);
        }
        catch (GpioUnavailableException ex)
        {
            return CannotRun(console, "cannot use GPIO", ex.Message);
        }

        LoopbackReport report;
        try
        {
            using (controller)
            {
                console.MarkupLineInterpolated($"hil check: {map.File} on gpiochip{chip}, {map.Jumpers.Count} jumper(s). Only the loopback jumpers may be wired: disconnect the device under test.");
                report = new LoopbackCheck(controller, TimeSpan.FromMilliseconds(settings.SettleMs), Wait).Run(map);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // A line that opened but then failed to switch or read: the chip went away or another program took it.
            return CannotRun(console, "GPIO error", ex.Message);
        }

        Render(console, map, report);
        return report.Passed ? HilExitCodes.Ok : HilExitCodes.WiringFault;
    }

    private static int CannotRun(IAnsiConsole console, string what, string message)
    {
        console.MarkupLineInterpolated($"[red]{what}:[/] {message}");
        console.WriteLine("hil check: NOT RUN");
        return HilExitCodes.CannotRun;
    }

    private static void Render(IAnsiConsole console, HilPinMap map, LoopbackReport report)
    {
        var table = new Table().AddColumns("drive", "read", "result", "detail");
        foreach (JumperResult result in report.Results)
        {
            string verdict = Verdict(result.Verdict);
            table.AddRow(
                new Text(map.Describe(result.Jumper.Drive)),
                new Text(map.Describe(result.Jumper.Read)),
                new Markup(result.Passed ? $"[green]{verdict}[/]" : $"[red]{verdict}[/]"),
                new Text(result.Detail));
        }

        foreach (int line in report.Uncovered)
        {
            table.AddRow(new Text(map.Describe(line)), new Text("-"), new Markup("[yellow]not checked[/]"), new Text("no loopback jumper includes this line"));
        }

        console.Write(table);
        JumperResult[] faults = report.Results.Where(r => !r.Passed).ToArray();
        if (faults.Length == 0)
        {
            console.WriteLine($"hil check: PASS ({report.Results.Count} jumper(s) ok)");
            return;
        }

        string list = string.Join(", ", faults.Select(f => $"{f.Jumper.Drive}->{f.Jumper.Read} {Verdict(f.Verdict)}"));
        console.WriteLine($"hil check: FAIL ({faults.Length} of {report.Results.Count} jumper(s) faulty: {list})");
    }

    private static string Verdict(LineVerdict verdict) => verdict switch
    {
        LineVerdict.Ok => "ok",
        LineVerdict.StuckLow => "stuck low",
        LineVerdict.StuckHigh => "stuck high",
        LineVerdict.Crossed => "crossed",
        LineVerdict.Unstable => "unstable",
        _ => "error",
    };
}
