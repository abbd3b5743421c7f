namespace SmartCommunity.Installer.Commands;

using System;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Installer.Commissioning;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary><c>sc-installer commission</c>: see <see cref="Commissioner"/>.</summary>
public sealed class CommissionCommand : AsyncCommand<CommissionCommand.Settings>
{
    public sealed class Settings : EdgeSettings
    {
        [CommandOption("--device <ID>")]
        [Description("The device's id (on its label).")]
        public string? Device { get; init; }

        [CommandOption("--report <DIR>")]
        [Description("Folder of the building's commissioning report (Markdown and JSON, appended per device).")]
        [DefaultValue("reports")]
        public string Report { get; init; } = "reports";

        [CommandOption("--by <NAME>")]
        [Description("Who commissions, for the report (default: your login name).")]
        public string? By { get; init; }

        [CommandOption("--timeout <SECONDS>")]
        [Description("How long to wait for the device's self-test report.")]
        [DefaultValue(30)]
        public int TimeoutSeconds { get; init; } = 30;

        public override ValidationResult Validate() =>
            TimeoutSeconds is < 1 or > 600 ? ValidationResult.Error("--timeout must be 1-600 seconds") : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        InstallerApp.StepAsync("commission", async () =>
        {
            using EdgeApiClient edge = EdgeApiClient.Open(settings.Edge, settings.Token);
            var request = new CommissionRequest(settings.Device ?? "", settings.Report, settings.By ?? Environment.UserName, TimeSpan.FromSeconds(settings.TimeoutSeconds));
            CommissioningResult result = await new Commissioner(edge, TimeProvider.System).CommissionAsync(request, cancellationToken);
            var table = new Table().AddColumns("check", "result", "seen", "expected");
            foreach (CommissioningCheck check in result.Checks)
            {
                table.AddRow(Markup.Escape(check.Name), check.Passed ? "[green]pass[/]" : "[red]FAIL[/]", Markup.Escape(check.Seen), Markup.Escape(check.Expected));
            }

            AnsiConsole.Write(table);
            string report = CommissioningReport.MarkdownPath(settings.Report, result.Building);
            if (result.Passed)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]ok[/] {result.Device} commissioned; report {report}");
                return InstallerExit.Ok;
            }

            AnsiConsole.MarkupLineInterpolated($"[red]{result.Device} is not commissioned[/]: see the failed checks above (also in {report}).");
            AnsiConsole.MarkupLineInterpolated($"  [yellow]how to fix:[/] hardware-docs/installer-guide.md, 'When a check fails', says what each check means; fix it and run commission again");
            return InstallerExit.CheckFailed;
        });
}
