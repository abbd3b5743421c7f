namespace SmartCommunity.Edge.Tests.TestSupport;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;

/// <summary>
/// The core the test rigs share, wired as EdgeHost wires it, without sockets: a fresh folder with edge.db (event log,
/// alerts), a fake clock, a recording downlink in place of the broker, the command publisher and the twins, over a
/// layout of the rig's own. A rig adds its parts and disposes them before calling <see cref="DisposeAsync"/>.
/// </summary>
internal abstract class EdgeCore : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = EdgeParts.Start;

    /// <param name="layout">Loads the rig's layout; it may write files into the rig's folder first.</param>
    protected EdgeCore(Func<TempFolder, BuildingLayout> layout, DateTimeOffset? start = null)
    {
        Time = new FakeTimeProvider(start ?? Start);
        Layout = layout(Data);
        Log = EventLog.Open(Database, NullLogger.Instance);
        Twins = new TwinRegistry(Layout);
        Commands = new CommandPublisher(Downlink, Log, Twins, Counters, Time, NullLogger.Instance, new CommandOptions());
        Alerts = AlertBook.Open(Database, Log, Layout.Site, Time, NullLogger.Instance);
    }

    public TempFolder Data { get; } = new();

    public string Database => Data.File("edge.db");

    public FakeTimeProvider Time { get; }

    public RecordingDownlink Downlink { get; } = new();

    public EdgeCounters Counters { get; } = new();

    public BuildingLayout Layout { get; }

    public EventLog Log { get; }

    public TwinRegistry Twins { get; }

    public CommandPublisher Commands { get; }

    public AlertBook Alerts { get; }

    public DeviceDefinition Device(string id) => Layout.DevicesById[id];

    /// <summary>Records of the event log on <paramref name="channel"/> with this name (of one source, if given), oldest first, payloads parsed.</summary>
    public IReadOnlyList<JsonElement> Records(string channel, string name, string? source = null) =>
        Log.ReadRecent(10_000, source).Where(e => e.Channel == channel && e.Name == name).OrderBy(e => e.Id)
            .Select(e => JsonDocument.Parse(e.Payload).RootElement.Clone()).ToList();

    /// <summary>Each command once (a retry repeats its id), in the order first sent.</summary>
    public static IEnumerable<JsonElement> Distinct(IEnumerable<JsonElement> commands) =>
        commands.GroupBy(c => c.GetProperty("id").GetString()).Select(g => g.First());

    /// <summary>A fire rule over these parts with their alerts and twins (also as after a restart of the edge: latches and twins as they were).</summary>
    public FireRule NewFireRule() => new(Layout, Downlink, Commands, Log, Time, NullLogger.Instance) { Alerts = Alerts, Twins = Twins };

    public virtual async ValueTask DisposeAsync()
    {
        await Commands.DisposeAsync();
        Alerts.Dispose();
        await Log.DisposeAsync();
        Data.Dispose();
    }
}
