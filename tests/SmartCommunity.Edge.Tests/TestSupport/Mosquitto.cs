namespace SmartCommunity.Edge.Tests.TestSupport;

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

/// <summary>
/// A Mosquitto broker of the test's own on a free loopback port, from a generated config (no persistence, anonymous
/// clients). .ci/run installs Mosquitto; where it is missing the test is reported skipped with the reason, unless
/// SMARTCOMMUNITY_NO_SKIP=1 (set by .ci/run) turns that into a failure.
/// </summary>
internal sealed class Mosquitto : IAsyncDisposable
{
    private static readonly string[] SystemFolders = ["/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"];

    private readonly string _executable;
    private readonly string _config;
    private Process? _process;

    private Mosquitto(string executable, TempFolder folder, int port, string[] extraConfig)
    {
        _executable = executable;
        Port = port;
        _config = folder.File($"mosquitto-{port}.conf");
        File.WriteAllText(_config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            """ + "\n" + string.Join("\n", extraConfig) + "\n");
    }

    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a broker, or ends the test as inconclusive (failed under SMARTCOMMUNITY_NO_SKIP=1) when Mosquitto is not installed.</summary>
    /// <param name="extraConfig">More mosquitto.conf lines, e.g. "set_tcp_nodelay true".</param>
    public static async Task<Mosquitto> StartAsync(TempFolder folder, params string[] extraConfig)
    {
        string? executable = Find();
        if (executable is null)
        {
            const string reason = "mosquitto is not installed: the MQTT relay tests need a real broker (apt-get install mosquitto; .ci/run installs it)";
            if (Environment.GetEnvironmentVariable("SMARTCOMMUNITY_NO_SKIP") == "1")
            {
                Assert.Fail(reason + " and SMARTCOMMUNITY_NO_SKIP=1 forbids skipping");
            }

            Assert.Inconclusive(reason);
        }

        var broker = new Mosquitto(executable!, folder, FreePort(), extraConfig);
        await broker.StartAsync();
        return broker;
    }

    /// <summary>Starts the broker (again) on its port and returns once it accepts connections.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(_executable, ["-c", _config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start };
        var output = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                string text;
                lock (output)
                {
                    text = output.ToString();
                }

                Assert.Fail($"mosquitto on port {Port} exited with {process.ExitCode}: {text}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (waited.Elapsed < Eventually.Timeout)
            {
                await Task.Delay(10);
            }
        }
    }

    /// <summary>Kills the broker (an outage as a crash, not a polite shutdown) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static string? Find()
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemFolders)
            .Select(folder => Path.Combine(folder, "mosquitto"))
            .FirstOrDefault(File.Exists);
    }

    // Binding to port 0 and releasing it leaves a small race with other processes; acceptable for tests.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
