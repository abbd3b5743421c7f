namespace SmartCommunity.Edge.Tests.Rules;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Edge.Twins;
using SmartCommunity.Protocol;

/// <summary>
/// The edge's parts (EdgeParts: demo layout, real SQLite file, fake clock, recording downlink) with an AlertBook and
/// a RuleEngine over the same database, and an ingest pipeline that calls the engine as EdgeHost wires it. Device
/// messages go through the real pipeline, so twins, the fire rule and the event log see them too.
/// </summary>
internal sealed class RuleRig : IAsyncDisposable
{
    private readonly Dictionary<string, long> _sequence = new(StringComparer.Ordinal);

    private RuleRig(RuleEngineOptions options)
    {
        Options = options;
        Alerts = AlertBook.Open(Database, Edge.Log, Edge.Layout.Site, Edge.Time, NullLogger.Instance);
        Engine = NewEngine(Edge.Twins);
        Pipeline = NewPipeline();
    }

    public EdgeParts Edge { get; } = new();

    public RuleEngineOptions Options { get; }

    public string Database => Edge.Data.File("edge.db");

    public string RulesPath => Edge.Data.File("rules.yaml");

    public AlertBook Alerts { get; private set; }

    public RuleEngine Engine { get; private set; }

    public IngestPipeline Pipeline { get; private set; }

    /// <summary>
    /// Writes <paramref name="rulesYaml"/> (null: no file) and starts the engine on it. By default neither the watcher
    /// nor the periodic check run, so a test decides when the file is read (CheckForChangesAsync).
    /// </summary>
    public static async Task<RuleRig> StartAsync(string? rulesYaml, RuleEngineOptions? options = null)
    {
        var rig = new RuleRig(options ?? new RuleEngineOptions { WatchFile = false, ChangeCheckInterval = Timeout.InfiniteTimeSpan });
        if (rulesYaml is not null)
        {
            rig.WriteRules(rulesYaml);
        }

        await rig.Engine.StartAsync(rulesYaml is null ? null : rig.RulesPath);
        return rig;
    }

    public void WriteRules(string yaml) => File.WriteAllText(RulesPath, yaml);

    /// <summary>
    /// Stops the engine and the alert book as a shutdown would, lets <paramref name="downtime"/> pass on the fake
    /// clock (wall and monotonic), and starts new ones over the same database, with <paramref name="twins"/> (default:
    /// the same twins, as if they had been restored).
    /// </summary>
    public async Task RestartAsync(TimeSpan downtime, TwinRegistry? twins = null, TimeProvider? time = null)
    {
        await Engine.DisposeAsync();
        Alerts.Dispose();
        Edge.Time.Advance(downtime);
        Alerts = AlertBook.Open(Database, Edge.Log, Edge.Layout.Site, time ?? Edge.Time, NullLogger.Instance);
        Engine = NewEngine(twins ?? Edge.Twins, time);
        Pipeline = NewPipeline();
        await Engine.StartAsync(RulesPath);
    }

    /// <summary>Lets time pass on the fake clock, then waits for the engine's timer pass so what was due has fired.</summary>
    public async Task AdvanceAsync(TimeSpan span)
    {
        Edge.Time.Advance(span);
        await Engine.EvaluateDueAsync();
    }

    /// <summary>Publishes a device message through the pipeline, with the next sequence number of that device.</summary>
    public async Task SendAsync(string deviceId, string channel, string fields = "", string? eventName = null)
    {
        var device = Edge.Device(deviceId);
        long seq = _sequence[deviceId] = _sequence.GetValueOrDefault(deviceId) + 1;
        string name = eventName is null ? "" : $",\"event\":\"{eventName}\"";
        string extra = fields.Length == 0 ? "" : "," + fields;
        string json = $"{{\"v\":1,\"dev\":\"{deviceId}\",\"seq\":{seq},\"boot\":1,\"up\":{seq * 1000}{name}{extra}}}";
        IngestResult result = await Pipeline.AcceptAsync(deviceId, Messages.TopicOf(device, channel), Messages.Bytes(json));
        Assert.AreEqual(IngestResult.Accepted, result, json);
    }

    /// <summary>
    /// A state the twin learnt that the engine did not see (as when the twins were saved after the rule timers, just
    /// before a crash): applied to the twin only.
    /// </summary>
    public void TwinOnlyState(string deviceId, string fields)
    {
        var device = Edge.Device(deviceId);
        long seq = _sequence[deviceId] = _sequence.GetValueOrDefault(deviceId) + 1;
        DeviceMessage message = Messages.Decode(Messages.TopicOf(device, Channel.State), $"{{\"v\":1,\"dev\":\"{deviceId}\",\"seq\":{seq},\"boot\":1,\"up\":{seq * 1000},{fields}}}");
        Edge.Twins.Apply(Edge.Twin(deviceId), message, Edge.Time.GetUtcNow());
    }

    public Task EventAsync(string deviceId, string eventName, string fields = "") => SendAsync(deviceId, Channel.Event, fields, eventName);

    public Task StateAsync(string deviceId, string fields) => SendAsync(deviceId, Channel.State, fields);

    public Task TelemetryAsync(string deviceId, string fields) => SendAsync(deviceId, Channel.Telemetry, fields);

    public async Task WillAsync(string deviceId)
    {
        var device = Edge.Device(deviceId);
        await Pipeline.AcceptAsync(deviceId, Messages.TopicOf(device, Channel.Status), Messages.Bytes($$"""{"v":1,"dev":"{{deviceId}}","online":false}"""));
    }

    public RuleStatus Rule(string name) => Engine.Status().Rules.Single(r => r.Name == name);

    public IReadOnlyList<Alert> OpenAlerts => Alerts.List();

    /// <summary>Command payloads published to a device (retries of one command included).</summary>
    public IReadOnlyList<JsonElement> CommandsTo(string deviceId)
    {
        var device = Edge.Device(deviceId);
        return Edge.Downlink.CommandsTo(device.Site, device.Building, device.Kind, deviceId);
    }

    /// <summary>Distinct command names sent to a device.</summary>
    public IReadOnlyList<string> CommandNamesTo(string deviceId) =>
        CommandsTo(deviceId).GroupBy(c => c.GetProperty("id").GetString()).Select(g => g.First().GetProperty("cmd").GetString()!).ToList();

    /// <summary>The edge's own records on a channel, with their lane (0 = priority), oldest first.</summary>
    public IReadOnlyList<(string Name, string Payload, long Lane)> EdgeRecords(string channel)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT name, payload, lane FROM events WHERE source = 'edge' AND channel = $channel ORDER BY id";
        command.Parameters.AddWithValue("$channel", channel);
        using SqliteDataReader reader = command.ExecuteReader();
        var records = new List<(string, string, long)>();
        while (reader.Read())
        {
            records.Add((reader.IsDBNull(0) ? "" : reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return records;
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        Alerts.Dispose();
        await Edge.DisposeAsync();
    }

    private RuleEngine NewEngine(TwinRegistry twins, TimeProvider? time = null) =>
        new(Database, () => Edge.Layout.Devices, Edge.Layout.Site, Edge.Commands, Alerts, Edge.Log, twins, time ?? Edge.Time, NullLogger.Instance, Options);

    private IngestPipeline NewPipeline() =>
        new(Edge.Layout, Edge.Twins, Edge.FireRule, Edge.Commands, Edge.Log, Edge.Counters, Edge.Time, NullLogger.Instance) { Rules = Engine };
}
