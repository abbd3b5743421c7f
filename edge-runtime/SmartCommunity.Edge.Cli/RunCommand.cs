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
using SmartCommunity.Edge.Relays;
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
        [Description("Address of the plain (no TLS) MQTT listener: loopback only, for development and local tools. Default: 127.0.0.1")]
        [DefaultValue("127.0.0.1")]
        public string MqttBind { get; init; } = "127.0.0.1";

        [CommandOption("--mqtts-bind <ADDRESS>")]
        [Description("Address of the TLS MQTT listener devices use. Default: 0.0.0.0 (hardware-docs/security.md)")]
        [DefaultValue("0.0.0.0")]
        public string MqttsBind { get; init; } = "0.0.0.0";

        [CommandOption("--mqtts-port <PORT>")]
        [Description("Port of the TLS MQTT listener; 0 picks a free one. Default: 8883")]
        [DefaultValue(8883)]
        public int MqttsPort { get; init; } = 8883;

        [CommandOption("--mqtt-name <NAME>")]
        [Description("A host name or IP address devices use to reach the edge (their bundle's mqtt.host), put in the server certificate; repeat for each.")]
        public string[] MqttNames { get; init; } = [];

        [CommandOption("--mqtt-cert <FILE>")]
        [Description("Your own server certificate (PEM) instead of the one the edge makes; needs --mqtt-key.")]
        public string? MqttCert { get; init; }

        [CommandOption("--mqtt-key <FILE>")]
        [Description("The private key (PEM, unencrypted, mode 0600) of --mqtt-cert.")]
        public string? MqttKey { get; init; }

        [CommandOption("--mqtt-ca <FILE>")]
        [Description("With --mqtt-cert: the CA certificate (PEM) devices trust, for 'sc-edge ca export'.")]
        public string? MqttCa { get; init; }

        [CommandOption("--dev")]
        [Description("Development: devices with no credentials issued may connect without a password on the loopback listener. Never on a building's box.")]
        public bool Dev { get; init; }

        [CommandOption("--relays <FILE>")]
        [Description("Relays to backends (YAML; edge-runtime/README.md, \"Relays\"). Without it nothing is relayed.")]
        public string? Relays { get; init; }

        [CommandOption("--rules <FILE>")]
        [Description("Rules file (YAML; hardware-docs/rules.md), reloaded when it changes. Default: rules.yaml next to the layout, when it exists.")]
        public string? Rules { get; init; }

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

            if (!string.IsNullOrWhiteSpace(Rules) && !File.Exists(Rules))
            {
                return ValidationResult.Error($"--rules '{Rules}' does not exist; give the rules file's path, or leave --rules out to run no rules");
            }

            if (!IPAddress.TryParse(MqttBind, out _))
            {
                return ValidationResult.Error($"--mqtt-bind '{MqttBind}' is not an IP address; use e.g. 127.0.0.1");
            }

            if (!IPAddress.TryParse(MqttsBind, out _))
            {
                return ValidationResult.Error($"--mqtts-bind '{MqttsBind}' is not an IP address; use e.g. 0.0.0.0 or the box's LAN address");
            }

            if (MqttPort is < 0 or > 65535 || HttpPort is < 0 or > 65535 || MqttsPort is < 0 or > 65535)
            {
                return ValidationResult.Error("ports must be 0-65535");
            }

            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using ILoggerFactory loggers = LoggerFactory.Create(b => SystemdService.AddConsole(b).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning));
        RelayConfiguration? relays = null;
        if (!string.IsNullOrWhiteSpace(settings.Relays))
        {
            try
            {
                relays = RelayConfigLoader.Load(settings.Relays);
            }
            catch (RelayConfigException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]relays error[/] {ex.Message}");
                return 2;
            }
        }

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
                Relays = relays,
                BrokerSecurity = new SmartCommunity.Edge.Broker.BrokerSecurityOptions
                {
                    Tls = new SmartCommunity.Edge.Broker.BrokerTlsOptions
                    {
                        Address = IPAddress.Parse(settings.MqttsBind), Port = settings.MqttsPort, ServerNames = settings.MqttNames,
                        CertificatePath = settings.MqttCert, KeyPath = settings.MqttKey, CaCertificatePath = settings.MqttCa,
                    },

                    // Production default: every device presents its credentials; --dev is for a developer's machine.
                    AllowUnprovisionedOnLoopback = settings.Dev,
                },
                RulesPath = string.IsNullOrWhiteSpace(settings.Rules) ? SmartCommunity.Edge.Rules.RuleFiles.DefaultFor(settings.Layout) : settings.Rules,
            }, loggers, TimeProvider.System);
        }
        catch (LayoutException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]layout error[/] {ex.Message}");
            return 2;
        }
        catch (SmartCommunity.Edge.Broker.BrokerConfigurationException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]broker configuration error[/] {ex.Message}");
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
            AnsiConsole.MarkupLineInterpolated($"sc-edge: {edge.Layout.Devices.Count} devices in {edge.Layout.Buildings.Count} buildings; MQTT on {settings.MqttBind}:{edge.MqttPort} (plain, loopback), MQTT over TLS on {settings.MqttsBind}:{edge.Broker.TlsPort}, API on {edge.HttpAddress}");
            if (settings.Dev)
            {
                AnsiConsole.MarkupLine("[yellow]sc-edge: --dev: devices without credentials may connect on the loopback listener[/]");
            }
            if (edge.Rules.Status() is { File: { } rulesFile } rulesStatus)
            {
                if (rulesStatus.LastLoadError is { } error)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]rules error[/] {error.Message}; running {rulesStatus.RuleCount} rules{(rulesStatus.RunningLastGood ? " of the last good version" : "")} until the file is fixed");
                }
                else
                {
                    AnsiConsole.MarkupLineInterpolated($"sc-edge: {rulesStatus.RuleCount} rules from {rulesFile}, reloaded when it changes");
                }
            }

            await using SystemdService systemd = SystemdService.Ready(edge, loggers);
            var stop = new TaskCompletionSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
            using var registration = cancellationToken.Register(() => stop.TrySetResult());
            await stop.Task;
            await systemd.StoppingAsync();
            AnsiConsole.WriteLine("sc-edge: stopping");
        }

        return 0;
    }
}
