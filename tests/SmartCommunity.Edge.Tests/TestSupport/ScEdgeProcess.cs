namespace SmartCommunity.Edge.Tests.TestSupport;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;

/// <summary>
/// The real sc-edge, built next to these tests, run as its own process: for what only a process can show
/// (SIGKILL at any moment, systemd's notify protocol). Output is kept for the failure message.
/// </summary>
internal sealed class ScEdgeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ScEdgeProcess(Process process, int mqttPort, int httpPort)
    {
        _process = process;
        MqttPort = mqttPort;
        HttpPort = httpPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string DllPath => typeof(ScEdgeProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ScEdgeDll").Value!;

    public int MqttPort { get; }

    public int HttpPort { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>sc-edge run</c> on the given (or free) loopback ports and waits until /health/live or /health answers.</summary>
    public static async Task<ScEdgeProcess> StartAsync(string layout, string dataDirectory, int mqttPort = 0, int httpPort = 0, IDictionary<string, string>? environment = null,
        params string[] extraArguments)
    {
        mqttPort = mqttPort == 0 ? FreePort() : mqttPort;
        httpPort = httpPort == 0 ? FreePort() : httpPort;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { DllPath, "run", "--layout", layout, "--data", dataDirectory, "--mqtt-port", mqttPort.ToString(), "--http-port", httpPort.ToString(), "--dev", "--mqtts-bind", "127.0.0.1", "--mqtts-port", "0" }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var edge = new ScEdgeProcess(Process.Start(start)!, mqttPort, httpPort);
        using var http = new System.Net.Http.HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        await Eventually.WaitUntilAsync(() => edge.HasExited || Answers(http), "sc-edge answers on its HTTP port");
        if (edge.HasExited)
        {
            throw new InvalidOperationException($"sc-edge exited with {edge.ExitCode} at start:\n{edge.Output}");
        }

        return edge;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut or the OOM killer.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Answers(System.Net.Http.HttpClient http)
    {
        try
        {
            return http.GetAsync("/health").GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (System.Net.Http.HttpRequestException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
