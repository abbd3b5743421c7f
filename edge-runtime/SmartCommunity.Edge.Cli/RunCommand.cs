namespace SmartCommunity.Edge.Cli;

using System;
using System.ComponentModel;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Layout;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary><c>sc-edge run</c>: runs the building's edge until SIGTERM or Ctrl+C.</summary>
public sealed class RunCommand : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-l|--layout <FILE>")]
        [Description("The building layout YAML (schema: hardware-docs/layout.md).")]
        public string Layout { get; init; } = "";

        [CommandOption("-d|--data <DIR>")]
        [Description("Folder for the SQLite event log. Default: ./data")]
        [DefaultValue("data")]
        public string Data { get; init; } = "data";

        [CommandOption("--mqtt-port <PORT>")]
        [Description("Port of the embedded MQTT server; 0 picks a free one. Default: 1883")]
        [DefaultValue(1883)]
        public int MqttPort { get; init; } = 1883;

        [CommandOption("--mqtt-bind <ADDRESS>")]
        [Description("Address the MQTT server listens on. Default: 127.0.0.1 (loopback only; plain MQTT is for development).")]
        [DefaultValue("127.0.0.1")]
        public string MqttBind { get; init; } = "127.0.0.1";

        [CommandOption("--http-port <PORT>")]
        [Description("Port of the HTTP API on 127.0.0.1; 0 picks a free one. Default: 8080")]
        [DefaultValue(8080)]
        public int HttpPort { get; init; } = 8080;

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Layout))
            {
                return ValidationResult.Error("--layout is required: the building layout YAML, e.g. --layout simulators/layouts/demo.yaml");
            }

            if (!IPAddress.TryParse(MqttBind, out _))
            {
                return ValidationResult.Error($"--mqtt-bind '{MqttBind}' is not an IP address; use e.g. 127.0.0.1");
            }

            if (MqttPort is < 0 or > 65535 || HttpPort is < 0 or > 65535)
            {
                return ValidationResult.Error("ports must be 0-65535");
            }

            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using ILoggerFactory loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
        EdgeHost edge;
        try
        {
            edge = await EdgeHost.StartAsync(new EdgeOptions
            {
                LayoutPath = settings.Layout,
                DataDirectory = settings.Data,
                MqttAddress = IPAddress.Parse(settings.MqttBind),
                MqttPort = settings.MqttPort,
                HttpPort = settings.HttpPort,
            }, loggers, TimeProvider.System);
        }
        catch (LayoutException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]layout error[/] {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[red]cannot listen[/] ({ex.Message}): MQTT port {settings.MqttPort} on {settings.MqttBind} or HTTP port {settings.HttpPort} on 127.0.0.1 is taken or not allowed; stop the other process or choose --mqtt-port / --http-port");
            return 3;
        }

        await using (edge)
        {
            AnsiConsole.MarkupLineInterpolated($"sc-edge: {edge.Layout.Devices.Count} devices in {edge.Layout.Buildings.Count} buildings; MQTT on {settings.MqttBind}:{edge.MqttPort}, API on {edge.HttpAddress}");
            var stop = new TaskCompletionSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
            using var registration = cancellationToken.Register(() => stop.TrySetResult());
            await stop.Task;
            AnsiConsole.WriteLine("sc-edge: stopping");
        }

        return 0;
    }
}
