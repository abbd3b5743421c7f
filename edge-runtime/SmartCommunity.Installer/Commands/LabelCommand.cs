namespace SmartCommunity.Installer.Commands;

using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Installer.Labels;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary><c>sc-installer label</c>: see <see cref="DeviceLabel"/>.</summary>
public sealed class LabelCommand : AsyncCommand<LabelCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--layout <FILE>")]
        [Description("The building's layout.")]
        public string? Layout { get; init; }

        [CommandOption("--device <ID>")]
        [Description("The device's id in the layout.")]
        public string? Device { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("The PNG to write, e.g. labels/ID.png.")]
        public string? Out { get; init; }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        InstallerApp.StepAsync("label", () =>
        {
            LabelImage label = DeviceLabel.Write(settings.Layout, settings.Device, settings.Out);
            AnsiConsole.MarkupLineInterpolated($"[green]ok[/] label {settings.Out}: {label.Width}x{label.Height} px, QR code '{label.QrContent}'");
            return Task.FromResult(InstallerExit.Ok);
        });
}
