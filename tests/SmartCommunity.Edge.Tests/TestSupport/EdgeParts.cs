namespace SmartCommunity.Edge.Tests.TestSupport;

using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;

/// <summary>
/// The edge's parts wired as EdgeHost wires them, without sockets: the demo layout, a real event log in a fresh
/// folder, a fake clock, and a recording downlink in place of the broker.
/// </summary>
internal sealed class EdgeParts : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public EdgeParts(CommandOptions? options = null)
    {
        Options = options ?? new CommandOptions();
        Layout = DemoLayout.Load();
        Log = EventLog.Open(Data.File("edge.db"), NullLogger.Instance);
        Twins = new TwinRegistry(Layout);
        Commands = new CommandPublisher(Downlink, Log, Twins, Counters, Time, NullLogger.Instance, Options);
        FireRule = new FireRule(Layout, Downlink, Commands, Log, Time, NullLogger.Instance);
        Commands.AddSafetyGate(FireRule);
        Pipeline = new IngestPipeline(Layout, Twins, FireRule, Commands, Log, Counters, Time, NullLogger.Instance);
    }

    public TempFolder Data { get; } = new();

    public FakeTimeProvider Time { get; } = new(Start);

    public RecordingDownlink Downlink { get; } = new();

    public EdgeCounters Counters { get; } = new();

    public CommandOptions Options { get; }

    public BuildingLayout Layout { get; }

    public EventLog Log { get; }

    public TwinRegistry Twins { get; }

    public CommandPublisher Commands { get; }

    public FireRule FireRule { get; }

    public IngestPipeline Pipeline { get; }

    public DeviceDefinition Device(string id) => Layout.DevicesById[id];

    public DeviceTwin Twin(string id) => Twins.Find(id)!;

    public async ValueTask DisposeAsync()
    {
        await Commands.DisposeAsync();
        await Log.DisposeAsync();
        Data.Dispose();
    }
}
