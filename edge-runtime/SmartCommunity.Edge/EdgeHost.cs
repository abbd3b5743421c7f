namespace SmartCommunity.Edge;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Access;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Calls;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Http;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Parking;
using SmartCommunity.Edge.Registry;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Time;
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

    /// <summary>Persists the twins and marks silent devices offline.</summary>
    public required TwinKeeper TwinKeeper { get; init; }

    /// <summary>The site's devices, their credentials and history; changeable through the API.</summary>
    public required DeviceRegistry Registry { get; init; }

    /// <summary>Notices wall-clock jumps (no RTC, NTP setting the date late).</summary>
    public required WallClockWatch ClockWatch { get; init; }

    /// <summary>The relays to backends; null when none are configured.</summary>
    public RelayHub? Relays { get; private init; }

    /// <summary>Who may use the API (bearer tokens per operator); <c>Operators.IssueAsync(name)</c> gives tests and the demo a token.</summary>
    public required OperatorStore Operators { get; init; }

    /// <summary>The rules of the rules file (hardware-docs/rules.md); its status is GET /rules (<see cref="RuleEndpoints"/>).</summary>
    public required RuleEngine Rules { get; init; }

    /// <summary>Alerts raised by rules, acknowledged and cleared by operators; kept in the edge database.</summary>
    public required AlertBook Alerts { get; init; }

    /// <summary>Emergency and welfare calls, acknowledged end to end and escalated (hardware-docs/emergency-calls.md).</summary>
    public required CallDesk Calls { get; init; }

    /// <summary>Cards, doors' allow-lists, online decisions, anti-passback and the access audit (hardware-docs/access-control.md).</summary>
    public required AccessControl Access { get; init; }

    /// <summary>Car parks: occupancy, entry decisions, visitor passes and reserved places (hardware-docs/parking.md).</summary>
    public required ParkingControl Parking { get; init; }

    /// <summary>Meters, readings and consumption; the M-Bus master records through <see cref="MeterBook.RecordReadingAsync"/> (hardware-docs/metering.md).</summary>
    public required MeterBook Meters { get; init; }

    /// <summary>The M-Bus masters, one per bus (hardware-docs/mbus-master.md); null when the layout has no buses.</summary>
    public MBusMasters? MBus { get; init; }

    public int MqttPort => Broker.Port;

    public Uri HttpAddress => Api.Address;

    /// <summary>Loads the layout, opens the log, starts the broker and the API. Throws <see cref="LayoutException"/> for a bad layout.</summary>
    public static async Task<EdgeHost> StartAsync(EdgeOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        BuildingLayout layout = LayoutLoader.Load(options.LayoutPath);
        var counters = new EdgeCounters();

        // Until the host exists, whatever has been opened is closed again if a later step fails (a bad key file,
        // a taken port), so a failed start leaves no writer or timer running behind it.
        var opened = new Stack<IAsyncDisposable>();
        T Opened<T>(T part)
            where T : IAsyncDisposable
        {
            opened.Push(part);
            return part;
        }

        try
        {
            EventLog log = Opened(EventLog.Open(Path.Combine(options.DataDirectory, DatabaseFileName), loggerFactory.CreateLogger<EventLog>(), options.Retention, time));

            // The relays guard what they have not sent yet; they must be in place before retention first runs.
            RelayHub? relays = options.Relays is { Relays.Count: > 0 } relayConfig
                ? Opened(RelayHub.Create(relayConfig, log.Path, () => log.Committed, time, loggerFactory))
                : null;
            if (relays is not null)
            {
                log.AddRetentionGuard(relays);
            }

            log.StartRetentionTimer();
            WallClockWatch clockWatch = Opened(new WallClockWatch(time, log, layout.Site, loggerFactory.CreateLogger<WallClockWatch>()));
            clockWatch.Start(TimeSpan.FromSeconds(10));
            string database = Path.Combine(options.DataDirectory, DatabaseFileName);
            BuildingKey buildingKey = BuildingKey.LoadOrCreate(Path.Combine(options.DataDirectory, BuildingKey.FileName));
            DeviceRegistry registry = DeviceRegistry.Open(database, buildingKey, layout, log, time, loggerFactory.CreateLogger<DeviceRegistry>());
            var twins = new TwinRegistry(layout);
            TwinKeeper twinKeeper = Opened(new TwinKeeper(database, twins, log, time, loggerFactory.CreateLogger<TwinKeeper>(), DeviceRegistry.RecordSeen));
            twinKeeper.Start(options.TwinPassInterval);
            int mqttPort = options.MqttPort == 0 ? FreeTcpPort(options.MqttAddress) : options.MqttPort;
            int httpPort = options.HttpPort == 0 ? FreeTcpPort(IPAddress.Loopback) : options.HttpPort;
            TlsListener? tls = null;
            if (options.BrokerSecurity.Tls is { } tlsOptions)
            {
                BuildingCertificates certificates = BuildingCertificates.LoadOrCreate(options.DataDirectory, tlsOptions, layout.Site, time.GetUtcNow());
                tls = new TlsListener(tlsOptions.Address, tlsOptions.Port == 0 ? FreeTcpPort(tlsOptions.Address) : tlsOptions.Port, certificates.Server);
            }

            var gate = new DeviceGate(() => layout, registry, options.BrokerSecurity, counters, time, loggerFactory.CreateLogger<DeviceGate>());
            EmbeddedBroker broker = Opened(new EmbeddedBroker(options.MqttAddress, mqttPort, counters, loggerFactory.CreateLogger<EmbeddedBroker>(), gate, tls));
            // Commands to a device with a key in the registry are signed; the counter survives restarts (protocol.md §4.5).
            CommandPublisher commands = Opened(new CommandPublisher(broker, log, twins, counters, time, loggerFactory.CreateLogger<CommandPublisher>(), options.Commands)
            {
                Keys = registry, Counter = CommandCounter.Open(Path.Combine(options.DataDirectory, CommandCounter.FileName), time),
            });
            AlertBook alerts = AlertBook.Open(database, log, layout.Site, time, loggerFactory.CreateLogger<AlertBook>());
            var fireRule = new FireRule(layout, broker, commands, log, time, loggerFactory.CreateLogger<FireRule>()) { Alerts = alerts, Twins = twins };
            commands.AddSafetyGate(fireRule);
            RuleEngine rules = Opened(new RuleEngine(database, () => layout.Devices, layout.Site, commands, alerts, log, twins, time, loggerFactory.CreateLogger<RuleEngine>(), options.RuleEngine));
            twinKeeper.WentSilent = twin => rules.OnPresenceChangedAsync(twin.Definition, online: false);
            CallDesk calls = Opened(new CallDesk(layout, commands, alerts, log, database, options.Relays?.Calls ?? new CallDispatchOptions(), relays?.Names ?? [], time, loggerFactory.CreateLogger<CallDesk>()));
            calls.Listen(options.Relays?.CallAcks);
            AccessControl access = Opened(new AccessControl(layout, twins, commands, alerts, log, database, time, loggerFactory.CreateLogger<AccessControl>()));
            ParkingControl parking = Opened(new ParkingControl(layout, commands, access, alerts, log, database, time, loggerFactory.CreateLogger<ParkingControl>()));
            MeterBook meters = Opened(new MeterBook(layout, log, database, time, loggerFactory.CreateLogger<MeterBook>()) { Alerts = alerts });

            // One M-Bus master per bus of the layout (hardware-docs/mbus-master.md); a missing serial device is retried, never fatal.
            MBusMasters? mbus = layout.Buildings.Any(b => b.Metering.Buses.Count > 0)
                ? Opened(new MBusMasters(layout, meters, alerts, time, loggerFactory, ports: options.MBusPorts))
                : null;
            var pipeline = new IngestPipeline(layout, twins, fireRule, commands, log, counters, time, loggerFactory.CreateLogger<IngestPipeline>())
            {
                Rules = rules, Calls = calls, Access = access, Parking = parking, Meters = meters,
            };
            OperatorStore operators = Opened(OperatorStore.Open(database, time, log, layout.Site));
            await operators.AuditPendingAsync().ConfigureAwait(false);
            EdgeApi api = Opened(new EdgeApi(httpPort, new EdgeApiServices(layout, counters, twins, fireRule, commands, log, broker, operators, time)
            {
                Relays = relays, Rules = rules, Alerts = alerts, Registry = registry, Calls = calls, Access = access, Parking = parking, Meters = meters,
                MBus = mbus,
            }, loggerFactory));

            var host = new EdgeHost(layout, log, twins, commands, fireRule, broker, api, counters)
            {
                TwinKeeper = twinKeeper, Registry = registry, ClockWatch = clockWatch, Relays = relays, Operators = operators, Rules = rules, Alerts = alerts, Calls = calls,
                Access = access, Parking = parking, Meters = meters, MBus = mbus,
            };
            opened.Clear();
            try
            {
                await broker.StartAsync(pipeline).ConfigureAwait(false);
                await fireRule.StartAsync().ConfigureAwait(false);
                await calls.StartAsync().ConfigureAwait(false);
                await access.StartAsync().ConfigureAwait(false);
                parking.Start();
                meters.Start();
                mbus?.Start();

                // After the fire latches are restored, so that a rule firing at start already meets the fire gate.
                await rules.StartAsync(options.RulesPath).ConfigureAwait(false);
                await api.StartAsync().ConfigureAwait(false);
                relays?.Start();
            }
            catch
            {
                await host.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return host;
        }
        catch when (opened.Count > 0)
        {
            while (opened.TryPop(out IAsyncDisposable? part))
            {
                await part.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stop the retry timer before the broker it publishes through; the log goes last so in-flight writes finish.
        await Api.DisposeAsync().ConfigureAwait(false);
        await Commands.DisposeAsync().ConfigureAwait(false);
        await Broker.DisposeAsync().ConfigureAwait(false);
        await Calls.DisposeAsync().ConfigureAwait(false);
        await Parking.DisposeAsync().ConfigureAwait(false);
        await Access.DisposeAsync().ConfigureAwait(false);
        if (MBus is not null)
        {
            await MBus.DisposeAsync().ConfigureAwait(false);
        }

        await Meters.DisposeAsync().ConfigureAwait(false);
        await Rules.DisposeAsync().ConfigureAwait(false);
        Alerts.Dispose();
        await TwinKeeper.DisposeAsync().ConfigureAwait(false);
        await ClockWatch.DisposeAsync().ConfigureAwait(false);
        if (Relays is not null)
        {
            await Relays.DisposeAsync().ConfigureAwait(false);
        }

        await Operators.DisposeAsync().ConfigureAwait(false);
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
