namespace SmartCommunity.Edge;

using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Http;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;

/// <summary>
/// One building's edge runtime, assembled: event log, twins, command publisher, fire rule, embedded broker and
/// HTTP API. sc-edge runs one; the simulator and the integration tests host one in-process.
/// </summary>
public sealed class EdgeHost : IAsyncDisposable
{
    public const string DatabaseFileName = "edge.db";

    private EdgeHost(BuildingLayout layout, EventLog log, TwinRegistry twins, CommandPublisher commands, FireRule fireRule,
        EmbeddedBroker broker, EdgeApi api, EdgeCounters counters)
    {
        Layout = layout;
        EventLog = log;
        Twins = twins;
        Commands = commands;
        FireRule = fireRule;
        Broker = broker;
        Api = api;
        Counters = counters;
    }

    public BuildingLayout Layout { get; }

    public EventLog EventLog { get; }

    public TwinRegistry Twins { get; }

    public CommandPublisher Commands { get; }

    public FireRule FireRule { get; }

    public EmbeddedBroker Broker { get; }

    public EdgeApi Api { get; }

    public EdgeCounters Counters { get; }

    public int MqttPort => Broker.Port;

    public Uri HttpAddress => Api.Address;

    /// <summary>Loads the layout, opens the log, starts the broker and the API. Throws <see cref="LayoutException"/> for a bad layout.</summary>
    public static async Task<EdgeHost> StartAsync(EdgeOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        BuildingLayout layout = LayoutLoader.Load(options.LayoutPath);
        var counters = new EdgeCounters();
        EventLog log = EventLog.Open(Path.Combine(options.DataDirectory, DatabaseFileName), loggerFactory.CreateLogger<EventLog>());
        var twins = new TwinRegistry(layout);
        int mqttPort = options.MqttPort == 0 ? FreeTcpPort(options.MqttAddress) : options.MqttPort;
        int httpPort = options.HttpPort == 0 ? FreeTcpPort(IPAddress.Loopback) : options.HttpPort;
        var broker = new EmbeddedBroker(options.MqttAddress, mqttPort, counters, loggerFactory.CreateLogger<EmbeddedBroker>());
        var commands = new CommandPublisher(broker, log, twins, counters, time, loggerFactory.CreateLogger<CommandPublisher>(), options.Commands);
        var fireRule = new FireRule(layout, broker, commands, log, time, loggerFactory.CreateLogger<FireRule>());
        commands.AddSafetyGate(fireRule);
        var pipeline = new IngestPipeline(layout, twins, fireRule, commands, log, counters, time, loggerFactory.CreateLogger<IngestPipeline>());
        var api = new EdgeApi(httpPort, counters, twins, fireRule, log, broker, time, loggerFactory);

        var host = new EdgeHost(layout, log, twins, commands, fireRule, broker, api, counters);
        try
        {
            await broker.StartAsync(pipeline).ConfigureAwait(false);
            await fireRule.StartAsync().ConfigureAwait(false);
            await api.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        // Stop the retry timer before the broker it publishes through; the log goes last so in-flight writes finish.
        await Api.DisposeAsync().ConfigureAwait(false);
        await Commands.DisposeAsync().ConfigureAwait(false);
        await Broker.DisposeAsync().ConfigureAwait(false);
        await EventLog.DisposeAsync().ConfigureAwait(false);
    }

    // Binding to port 0 and releasing it leaves a small race with other processes; acceptable for tests and the demo.
    private static int FreeTcpPort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
