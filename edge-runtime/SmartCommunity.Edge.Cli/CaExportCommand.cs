namespace SmartCommunity.Edge.Cli;

using System.ComponentModel;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Broker;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary><c>sc-edge ca export</c>: the building CA certificate devices trust (hardware-docs/security.md, "TLS").</summary>
public sealed class CaExportCommand : AsyncCommand<CaExportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-d|--data <DIR>")]
        [Description("The edge's data folder. Default: ./data (the service uses /var/lib/sc-edge)")]
        [DefaultValue("data")]
        public string Data { get; init; } = "data";

        [CommandOption("-o|--out <FILE>")]
        [Description("Write the PEM to this file instead of printing it.")]
        public string? Out { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string path = BuildingCertificates.CaPathIn(settings.Data);
        if (!File.Exists(path))
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[red]no building CA[/] at {path}: start sc-edge once with --data {settings.Data} (it makes the CA), or, with your own certificate (--mqtt-cert), give devices the CA you passed as --mqtt-ca");
            return 2;
        }

        // Only the certificate: the CA's key (mqtt-ca.key) never leaves the box.
        string pem = await File.ReadAllTextAsync(path, cancellationToken);
        if (settings.Out is null)
        {
            System.Console.Out.Write(pem);
        }
        else
        {
            await File.WriteAllTextAsync(settings.Out, pem, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"building CA certificate written to {settings.Out}");
        }

        return 0;
    }
}
