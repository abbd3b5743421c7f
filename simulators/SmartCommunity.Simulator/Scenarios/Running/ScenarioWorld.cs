namespace SmartCommunity.Simulator.Scenarios.Running;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SmartCommunity.Edge;
using SmartCommunity.Edge.Calls;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Simulation.Devices;

/// <summary>
/// Everything a scenario runs against, on one virtual clock: the edge hosted in-process (real MQTT server on loopback,
/// real SQLite file, real HTTP API), every device of the layout as a virtual device in manual mode, and the upstream
/// webhook receiver when the scenario asks for one. The runner moves time and steps the devices; the fault switches
/// (restart the edge, cut a link, reboot a device) live here so that each returns only once the system has seen it.
/// How it knows the system is quiet after a tick: <c>ScenarioWorld.Settle.cs</c> and simulators/README.md.
/// </summary>
public sealed partial class ScenarioWorld : IAsyncDisposable
{
    /// <summary>The operator the runner acts as on the HTTP API.</summary>
    public const string OperatorName = "scenario";

    /// <summary>The admin the runner acts as when a step says <c>as: admin</c> (a forced fire reset).</summary>
    public const string AdminName = "scenario-admin";

    /// <summary>The relay's edge id (a topic level).</summary>
    public const string EdgeId = "scenario";

    /// <summary>Virtual time zero: the same wall-clock start for every run, so a run repeats exactly.</summary>
    public static readonly DateTimeOffset Epoch = new(2030, 1, 7, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A scenario time as the edge's wall clock, in the API's ISO form (a card's or pass's validity).</summary>
    public static string WallClockIso(TimeSpan at) =>
        (Epoch + at).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private readonly ScenarioRunOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly List<VirtualDevice> _devices = [];
    private readonly Dictionary<string, VirtualDevice> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Action<string, byte[]>> _observers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _refusedBefore = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new();
    private readonly string _data;
    private readonly bool _deleteData;
    private string _operatorToken = "";
    private string _adminToken = "";
    private EdgeOptions _edgeOptions;

    private ScenarioWorld(Scenario scenario, ScenarioRunOptions options)
    {
        Scenario = scenario;
        _options = options;
        _loggers = options.Loggers ?? NullLoggerFactory.Instance;
        if (options.DataDirectory is { } keep)
        {
            _data = Path.GetFullPath(Path.Combine(keep, scenario.Name));
            if (Directory.Exists(_data))
            {
                Directory.Delete(_data, recursive: true);
            }

            Directory.CreateDirectory(_data);
        }
        else
        {
            _data = Directory.CreateTempSubdirectory("sc-sim-scenario-").FullName;
            _deleteData = true;
        }

        _edgeOptions = EdgeOptionsFor(0, 0, null);
    }

    public Scenario Scenario { get; }

    public FakeTimeProvider Time { get; } = new(Epoch);

    /// <summary>Virtual time since the scenario started.</summary>
    public TimeSpan Now => Time.GetUtcNow() - Epoch;

    /// <summary>The running edge; null while a scenario has it stopped.</summary>
    public EdgeHost? Edge { get; private set; }

    public WebhookSink? Upstream { get; private set; }

    public ScenarioRecorder Recorder { get; } = new();

    public IReadOnlyList<VirtualDevice> Devices => _devices;

    public string DataDirectory => _data;

    public VirtualDevice Device(string id) => _byId[id];

    /// <summary>Messages the edge refused since the run started, across its restarts; by category, or all with null.</summary>
    public long Refused(string? reason)
    {
        long total = 0;
        foreach ((string category, long count) in _refusedBefore)
        {
            total += reason is null || reason == category ? count : 0;
        }

        if (Edge is { } edge)
        {
            total += reason is null ? edge.Counters.Refused : edge.Counters.RefusedByReason.GetValueOrDefault(reason);
        }

        return total;
    }

    public static async Task<ScenarioWorld> StartAsync(Scenario scenario, ScenarioRunOptions options, CancellationToken cancel)
    {
        var world = new ScenarioWorld(scenario, options);
        try
        {
            await world.StartCoreAsync(cancel);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    public async Task StopEdgeAsync(CancellationToken cancel)
    {
        if (Edge is not { } edge)
        {
            return;
        }

        foreach ((string category, long count) in edge.Counters.RefusedByReason)
        {
            _refusedBefore[category] = _refusedBefore.GetValueOrDefault(category) + count;
        }

        Edge = null;
        await edge.DisposeAsync();

        // Each device must have noticed that its broker is gone before anything else happens, or a probe could wait
        // on a dead session and a reconnect could race the new edge.
        SpinUntil(() => _devices.All(d => !d.Transport.IsConnected), "every device notices the edge is gone");
    }

    public async Task StartEdgeAsync(CancellationToken cancel)
    {
        if (Edge is not null)
        {
            return;
        }

        // The ports were free a moment ago (the edge just let them go); a socket still closing may refuse the bind once.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Edge = await EdgeHost.StartAsync(_edgeOptions, _loggers, Time);

                // What the start set going (the relay's first pass, the fire states and re-releases it published) settles
                // before the devices see the new edge, so every run meets it in the same state.
                WaitQuiet();
                return;
            }
            catch (Exception ex) when (attempt < 20 && (ex is IOException or SocketException || ex.InnerException is SocketException))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancel);
            }
        }
    }

    public async Task RestartEdgeAsync(CancellationToken cancel)
    {
        await StopEdgeAsync(cancel);
        await StartEdgeAsync(cancel);
    }

    /// <summary>Pulls the device's cable; returns once the edge has handled its Last Will (when it was connected).</summary>
    public async Task CutNetworkAsync(string id, CancellationToken cancel)
    {
        VirtualDevice device = Device(id);
        bool wasConnected = device.Transport.IsConnected;
        long handled = Handled();
        await device.Transport.CutNetworkAsync();
        if (wasConnected)
        {
            WaitForWill(id, handled);
        }
    }

    /// <summary>Power-cycles the device; returns once the edge has handled its Last Will (when it was connected).</summary>
    public async Task RebootAsync(string id, CancellationToken cancel)
    {
        VirtualDevice device = Device(id);
        bool wasConnected = device.Transport.IsConnected;
        long handled = Handled();
        await device.RebootAsync();
        if (wasConnected)
        {
            WaitForWill(id, handled);
        }
    }

    /// <summary>Cuts the device's power for <paramref name="off"/>; returns once the edge has handled its Last Will (when it was connected).</summary>
    public async Task CutPowerAsync(string id, TimeSpan off, CancellationToken cancel)
    {
        VirtualDevice device = Device(id);
        bool wasConnected = device.Transport.IsConnected;
        long handled = Handled();
        await device.CutPowerAsync(off);
        if (wasConnected)
        {
            WaitForWill(id, handled);
        }
    }

    /// <summary>Publishes raw bytes on the device's connection; returns once the edge has handled them. False when not sent.</summary>
    public async Task<bool> PublishRawAsync(string id, string topic, byte[] payload, int qos, CancellationToken cancel)
    {
        VirtualDevice device = Device(id);
        if (!device.Transport.IsConnected)
        {
            return false;
        }

        long before = Handled();
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!await device.Transport.PublishRawAsync(topic, payload, qos, cancel))
        {
            return false;
        }

        Recorder.Sent(Now, id, new SentMessage(topic, payload, qos, started), raw: true);
        SpinUntil(() => Edge is null || Handled() > before, "the edge handles the raw message");
        return true;
    }

    /// <summary>Calls the edge's HTTP API as the scenario's operator; (0, why) when the edge is not running.</summary>
    public Task<(int Status, string Body)> CallApiAsync(HttpMethod method, string path, object? body, CancellationToken cancel) =>
        CallApiAsync(method, path, body, ApiCaller.Operator, null, cancel);

    /// <summary>
    /// Calls the edge's HTTP API as <paramref name="caller"/> (an operator, an admin, or nobody, as a backend's callback
    /// does) with extra <paramref name="headers"/>; (0, why) when the edge is not running.
    /// </summary>
    public async Task<(int Status, string Body)> CallApiAsync(
        HttpMethod method, string path, object? body, ApiCaller caller, IReadOnlyDictionary<string, string>? headers, CancellationToken cancel)
    {
        if (Edge is null)
        {
            return (0, "the edge is not running");
        }

        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        string? token = caller switch
        {
            ApiCaller.Operator => _operatorToken,
            ApiCaller.Admin => _adminToken,
            _ => null,
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach ((string name, string value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using HttpResponseMessage response = await _http.SendAsync(request, cancel);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancel));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (VirtualDevice device in _devices)
        {
            await device.DisposeAsync();
        }

        if (Edge is { } edge)
        {
            Edge = null;
            await edge.DisposeAsync();
        }

        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }

        StopMBusBuses();
        _http.Dispose();
        SqliteConnection.ClearAllPools();
        if (_deleteData)
        {
            try
            {
                Directory.Delete(_data, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless; the run's result does not depend on it.
            }
        }
    }

    private async Task StartCoreAsync(CancellationToken cancel)
    {
        CalibrateBusyWorkers();
        if (Scenario.Upstream is not null)
        {
            Upstream = await WebhookSink.StartAsync(cancel);
        }

        // The M-Bus meters are on their pseudo-terminals before the edge's masters open them.
        StartMBusBuses();
        _edgeOptions = EdgeOptionsFor(0, 0, Upstream);
        Edge = await EdgeHost.StartAsync(_edgeOptions, _loggers, Time);
        WaitQuiet();

        // Restarts come back on the same ports, as sc-edge under systemd would.
        _edgeOptions = EdgeOptionsFor(Edge.MqttPort, Edge.HttpAddress.Port, Upstream);
        _http.BaseAddress = Edge.HttpAddress;
        _operatorToken = await Edge.Operators.IssueAsync(OperatorName);
        _adminToken = await Edge.Operators.IssueAsync(AdminName, role: OperatorRoles.Admin);

        foreach (var definition in Scenario.Layout.DeclaredDevices)
        {
            VirtualDevice device = VirtualDevice.Create(definition, "127.0.0.1", Edge.MqttPort, Time, Scenario.Timing.Tick);
            if (Scenario.SignedCommands && await Edge.Registry.IssueCredentialsAsync(definition.Id, OperatorName) is { } secrets)
            {
                device.UseCredentials(secrets);
            }

            device.StartManual();
            _devices.Add(device);
            _byId[definition.Id] = device;
            _observers[definition.Id] = (topic, payload) => Recorder.Delivered(Now, definition.Id, topic, payload);
        }
    }

    private EdgeOptions EdgeOptionsFor(int mqttPort, int httpPort, WebhookSink? upstream) => new()
    {
        LayoutPath = Scenario.LayoutPath,
        DataDirectory = _data,
        MqttPort = mqttPort,
        HttpPort = httpPort,
        RulesPath = Scenario.RulesPath,

        // The file does not change during a run; a file watcher would only add real-time events.
        RuleEngine = new RuleEngineOptions { WatchFile = false },
        Relays = RelaysFor(upstream),
        MBusPorts = _mbusPorts,
    };

    // The upstream webhook (when the scenario has one) as the edge's only relay, and the scenario's call dispatch.
    private RelayConfiguration? RelaysFor(WebhookSink? upstream)
    {
        RelayDefinition[] relays = upstream is null || Scenario.Upstream is not { } definition
            ? []
            :
            [
                new RelayDefinition
                {
                    Name = definition.Name,
                    Kind = RelayKind.Webhook,
                    Webhook = new WebhookRelayOptions { Url = upstream.Url },
                    Delivery = new RelayDeliveryOptions { BackoffInitial = definition.BackoffInitial, BackoffMax = definition.BackoffMax, AttemptTimeout = TimeSpan.FromSeconds(10) },
                },
            ];
        if (relays.Length == 0 && Scenario.Calls is null)
        {
            return null;
        }

        return new RelayConfiguration
        {
            EdgeId = EdgeId,
            Relays = relays,
            Calls = Scenario.Calls is { } calls ? CallOptionsFor(calls) : new CallDispatchOptions(),
        };
    }

    /// <summary>The edge's call dispatch options for a scenario's <c>calls:</c>; a time left out keeps the edge's default.</summary>
    public static CallDispatchOptions CallOptionsFor(CallsDefinition calls)
    {
        var defaults = new CallDispatchOptions();
        return new CallDispatchOptions
        {
            Chain = calls.Chain,
            AckTimeout = calls.AckTimeout ?? defaults.AckTimeout,
            OperatorAfter = calls.OperatorAfter ?? defaults.OperatorAfter,
            SounderAfter = calls.SounderAfter ?? defaults.SounderAfter,
        };
    }

    // The Last Will reaches the edge a moment after the socket closes; the step is not over until the edge has handled
    // it completely (twin, rules, log: its handled count moves only at the end).
    private void WaitForWill(string id, long handledBefore) =>
        SpinUntil(() => Edge is null || Handled() > handledBefore, $"the edge handles the Last Will of {id}");
}

/// <summary>Who an API call of the runner is made as.</summary>
public enum ApiCaller
{
    /// <summary>The runner's operator (<see cref="ScenarioWorld.OperatorName"/>, role operator).</summary>
    Operator,

    /// <summary>The runner's admin (<see cref="ScenarioWorld.AdminName"/>, role admin).</summary>
    Admin,

    /// <summary>No operator token: a backend calling back with what the edge gave it.</summary>
    Anonymous,
}
