namespace SmartCommunity.Simulator.Load;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

/// <summary>
/// A real sc-edge process, as a building runs it: <c>dotnet sc-edge.dll run</c> on free loopback ports with its own
/// data folder. sc-edge.dll is found next to sc-sim's own assembly: the Simulator project references the edge's
/// command-line project, so the build copies sc-edge.dll with its runtimeconfig and deps files into sc-sim's output
/// (and into the output of anything that references sc-sim, such as its tests). Output goes to a log file beside
/// the data folder; the last lines are kept for error messages.
/// </summary>
public sealed class EdgeProcess : IAsyncDisposable
{
    public const string DllName = "sc-edge.dll";
    public const string OperatorName = "sc-sim-load";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private readonly string _dll;

    private EdgeProcess(Process process, string dll, string dataDirectory, string logPath, int mqttPort, int httpPort, StreamWriter log)
    {
        _process = process;
        _dll = dll;
        _log = log;
        DataDirectory = dataDirectory;
        LogPath = logPath;
        Address = new EdgeAddress("127.0.0.1", mqttPort, httpPort);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public EdgeAddress Address { get; }

    public string DataDirectory { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    /// <summary>sc-edge.dll beside sc-sim's assembly, or a clear error saying how to get it there.</summary>
    public static string FindDll()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, DllName);
        if (!File.Exists(dll))
        {
            throw new LoadSetupException($"{DllName} is not next to sc-sim ({AppContext.BaseDirectory}). Build sc-sim from the repository "
                + "(dotnet build simulators/SmartCommunity.Simulator), which builds and copies the edge with it, or point --edge at a running edge.");
        }

        return dll;
    }

    /// <summary>Starts the edge and waits (bounded) until /health/ready answers 200.</summary>
    public static async Task<EdgeProcess> StartAsync(string layout, string dataDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancel)
    {
        string dll = FindDll();
        int mqttPort = FreePort();
        int httpPort = FreePort();
        Directory.CreateDirectory(dataDirectory);
        var start = Dotnet(dll, "run", "--layout", layout, "--data", dataDirectory,
            "--mqtt-port", mqttPort.ToString(CultureInfo.InvariantCulture), "--http-port", httpPort.ToString(CultureInfo.InvariantCulture),

            // The load's devices connect without credentials on loopback: the development exception (hardware-docs/security.md).
            "--dev", "--mqtts-bind", "127.0.0.1", "--mqtts-port", "0");
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        string logPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataDirectory))!, "edge.log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = false };
        var edge = new EdgeProcess(Process.Start(start) ?? throw new LoadSetupException("could not start dotnet for sc-edge"), dll, dataDirectory, logPath,
            mqttPort, httpPort, log);
        try
        {
            using var http = new HttpClient { BaseAddress = edge.Address.HttpBase, Timeout = TimeSpan.FromSeconds(5) };
            var waited = Stopwatch.StartNew();
            while (!await ReadyAsync(http, cancel))
            {
                if (edge.HasExited)
                {
                    throw new LoadSetupException($"sc-edge exited with code {edge._process.ExitCode} while starting; its last output:\n{edge.Tail}");
                }

                if (waited.Elapsed > StartTimeout)
                {
                    throw new LoadSetupException($"sc-edge did not report ready within {StartTimeout.TotalSeconds:F0} s; its last output:\n{edge.Tail}");
                }

                await Task.Delay(50, cancel);
            }

            return edge;
        }
        catch
        {
            // Never leave an edge process behind: the caller gets no handle to it.
            await edge.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The API token for the alarm resets, issued as an installer would (edge-runtime/README.md, "Operators and
    /// tokens"): <c>sc-edge operator add NAME --data DIR</c> beside the running edge, which prints the token once.
    /// </summary>
    public async Task<string> IssueTokenAsync(CancellationToken cancel)
    {
        ProcessStartInfo start = Dotnet(_dll, "operator", "add", OperatorName, "--data", DataDirectory);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["NO_COLOR"] = "1";
        using Process add = Process.Start(start) ?? throw new LoadSetupException("could not start sc-edge operator add");
        Task<string> output = add.StandardOutput.ReadToEndAsync(cancel);
        Task<string> errors = add.StandardError.ReadToEndAsync(cancel);
        await add.WaitForExitAsync(cancel);
        string text = await output;
        string? token = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("sce_", StringComparison.Ordinal));
        if (add.ExitCode != 0 || token is null)
        {
            throw new LoadSetupException($"sc-edge operator add {OperatorName} failed (exit {add.ExitCode}): {text}{await errors}");
        }

        return token;
    }

    /// <summary>SIGTERM, as systemd stops it, then a bounded wait; SIGKILL if it does not stop in time.</summary>
    public async Task<bool> StopAsync()
    {
        if (_process.HasExited)
        {
            return _process.ExitCode == 0;
        }

        using (Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode == 0;
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_tail)
        {
            _log.Dispose();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The dotnet host that runs sc-sim, when sc-sim runs as "dotnet sc-sim.dll"; otherwise dotnet from PATH.
    private static ProcessStartInfo Dotnet(string dll, params string[] arguments)
    {
        string host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task<bool> ReadyAsync(HttpClient http, CancellationToken cancel)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync("/health/ready", cancel);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException) && !cancel.IsCancellationRequested)
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

        lock (_tail)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _tail.Enqueue(line);
            if (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }
}

/// <summary>The run could not be set up (no edge, no token, devices did not connect): nothing was measured.</summary>
public sealed class LoadSetupException(string message) : Exception(message);
