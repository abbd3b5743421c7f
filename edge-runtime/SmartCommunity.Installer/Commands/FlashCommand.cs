namespace SmartCommunity.Installer.Commands;

using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Installer.Flashing;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary><c>sc-installer flash</c>: see <see cref="NanoffFlasher"/>.</summary>
public sealed class FlashCommand : AsyncCommand<FlashCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--bundle <FILE>")]
        [Description("The configuration bundle 'provision' wrote.")]
        public string? Bundle { get; init; }

        [CommandOption("--port <PORT>")]
        [Description("The board's serial port: /dev/ttyUSB0, /dev/ttyACM0, COM3.")]
        public string? Port { get; init; }

        [CommandOption("--target <NAME>")]
        [Description("nanoFramework firmware image for the board.")]
        [DefaultValue(NanoffFlasher.DefaultTarget)]
        public string Target { get; init; } = NanoffFlasher.DefaultTarget;

        [CommandOption("--update")]
        [Description("Also write the nanoCLR firmware (a new board, or a firmware update).")]
        public bool Update { get; init; }

        [CommandOption("--image <FILE>")]
        [Description("Also deploy the application image (.bin from the nanoFramework build).")]
        public string? Image { get; init; }

        [CommandOption("--address <HEX>")]
        [Description("Start of the deployment region, for an older nanoff that asks for it (with --image).")]
        public string? Address { get; init; }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        InstallerApp.StepAsync("flash", async () =>
        {
            var request = new FlashRequest(settings.Bundle ?? "", settings.Port ?? "", settings.Target, settings.Update, settings.Image, settings.Address);
            var steps = await NanoffFlasher.FlashAsync(request, pathVariable: null,
                step => AnsiConsole.MarkupLineInterpolated($"[blue]nanoff[/] {step.Purpose}: nanoff {string.Join(' ', step.Arguments)}"), cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]ok[/] {steps.Count} nanoff steps done; power-cycle the board, then: sc-installer commission --device ID");
            return InstallerExit.Ok;
        });
}
