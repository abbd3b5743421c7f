namespace SmartCommunity.Installer.Commands;

using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Installer.Provisioning;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary><c>sc-installer provision</c>: see <see cref="Provisioner"/>.</summary>
public sealed class ProvisionCommand : AsyncCommand<ProvisionCommand.Settings>
{
    public sealed class Settings : EdgeSettings
    {
        [CommandOption("--layout <FILE>")]
        [Description("The building's layout, the same file the edge runs with.")]
        public string? Layout { get; init; }

        [CommandOption("--device <ID>")]
        [Description("The device's id in the layout.")]
        public string? Device { get; init; }

        [CommandOption("--mqtt-host <HOST>")]
        [Description("The edge box's address as the devices reach it.")]
        public string? MqttHost { get; init; }

        [CommandOption("--mqtt-port <PORT>")]
        [Description("The edge's MQTT TLS port.")]
        [DefaultValue(Provisioner.DefaultMqttPort)]
        public int MqttPort { get; init; } = Provisioner.DefaultMqttPort;

        [CommandOption("--out <DIR>")]
        [Description("Where to write ID.bundle.json (owner-only; it holds the device's secrets).")]
        [DefaultValue("bundles")]
        public string Out { get; init; } = "bundles";

        [CommandOption("--rotate")]
        [Description("Replace the credentials of a device that already has some (a lost bundle, a swapped board).")]
        public bool Rotate { get; init; }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        InstallerApp.StepAsync("provision", async () =>
        {
            using EdgeApiClient edge = EdgeApiClient.Open(settings.Edge, settings.Token);
            ProvisionResult result = await new Provisioner(edge).ProvisionAsync(
                new ProvisionRequest(settings.Layout ?? "", settings.Device ?? "", settings.MqttHost ?? "", settings.MqttPort, settings.Out, settings.Rotate), cancellationToken);
            AnsiConsole.MarkupLineInterpolated(
                $"[green]ok[/] {result.Device.Id} ({result.Device.Kind}, {result.Device.Role}) registered at {edge.Edge}{(result.Rotated ? " with new credentials (the old ones no longer work)" : "")}");
            AnsiConsole.MarkupLineInterpolated($"   bundle {result.BundlePath}: {result.BundleBytes} of {DeviceConfig.MaxBytes} bytes, readable by you only: it holds the device's password and command key");
            AnsiConsole.MarkupLineInterpolated($"   next: sc-installer flash --bundle {result.BundlePath} --port /dev/ttyUSB0");
            return InstallerExit.Ok;
        });
}
