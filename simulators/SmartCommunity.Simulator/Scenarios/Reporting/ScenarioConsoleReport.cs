namespace SmartCommunity.Simulator.Scenarios.Reporting;

using System.Globalization;
using SmartCommunity.Simulator.Scenarios.Running;
using Spectre.Console;

/// <summary>The human summary of a run: one line per expectation with held/failed and when it was met, or why not.</summary>
public static class ScenarioConsoleReport
{
    public static void Write(IAnsiConsole console, ScenarioResult result)
    {
        string verdict = result.Passed ? "[green]PASS[/]" : "[red]FAIL[/]";
        string held = $"{result.Expectations.Count - result.Failures} of {result.Expectations.Count} held";
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{verdict} [bold]{Markup.Escape(result.Name)}[/] ({Markup.Escape(result.File)}): {held}; {ScenarioTime.Format(result.VirtualDuration)} of virtual time in {result.RealDuration.TotalSeconds:F1} s, {result.Ticks} ticks"));
        var table = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumn("line").AddColumn("step").AddColumn("").AddColumn("expectation").AddColumn("when / why");
        foreach (ExpectationResult e in result.Expectations)
        {
            table.AddRow(
                e.Line.ToString(CultureInfo.InvariantCulture),
                ScenarioTime.Format(e.StepAt),
                e.Held ? "[green]held[/]" : "[red]FAILED[/]",
                Markup.Escape(e.Description),
                e.Held ? Markup.Escape(e.Detail) : "[red]" + Markup.Escape(e.Detail) + "[/]");
        }

        console.Write(table);
        if (result.Error is { } error)
        {
            console.MarkupLine($"[red]the run stopped:[/] {Markup.Escape(error)}");
        }

        foreach (string timeout in result.SettleTimeouts)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(timeout)} (virtual times of this run may differ from another's)");
        }
    }
}
