namespace SmartCommunity.Edge.Tests.Safety;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>
/// The edge's life-safety parts wired as EdgeHost wires them (fire rule with its alert book and twins, command
/// publisher with the fire rule as its gate, ingest pipeline, optionally a rule engine) over a real SQLite file, a
/// fake clock and a recording downlink, on a layout of our own with smoke detectors, a fire manual call point, doors
/// and valves (<see cref="LayoutYaml"/>). Device messages go through the real pipeline, so twins see them too.
/// </summary>
internal sealed class FireRig : EdgeCore
{
    public const string Site = "riverside";
    public const string LobbyA = "b1-lobby-smoke-a";
    public const string LobbyB = "b1-lobby-smoke-b";
    public const string StairSmoke = "b1-stair-smoke";
    public const string CallPoint = "b1-lobby-mcp";
    public const string Exit = "b1-lobby-exit";
    public const string StairDoor = "b1-stair-door";
    public const string FloorProbe = "b1-f1-probe";
    public const string Riser = "b1-f1-riser";
    public const string SprinklerValve = "b1-f1-sprinkler-valve";
    public const string QuietSmoke = "b2-smoke";
    public const string QuietValve = "b2-valve";
    public const string Barrier = "b1-carpark-barrier";

    public static readonly string[] B1Doors = [Exit, StairDoor];

    private readonly Dictionary<string, long> _sequence = new(StringComparer.Ordinal);

    public FireRig(string confirm = "any-detector", int windowS = 30, bool testReleasesDoors = false)
        : base(_ => LayoutLoader.Parse(LayoutYaml(confirm, windowS, testReleasesDoors), "fire-rig.yaml"))
    {
        FireRule = NewFireRule();
        Commands.AddSafetyGate(FireRule);
        Pipeline = new IngestPipeline(Layout, Twins, FireRule, Commands, Log, Counters, Time, NullLogger.Instance);
    }

    public FireRule FireRule { get; }

    public IngestPipeline Pipeline { get; private set; }

    public RuleEngine? Rules { get; private set; }

    /// <summary>Two buildings: b1 with the fire policy given, two detectors and a call point in its lobby, a detector in its stairs, valves on floor f1; b2 plain.</summary>
    public static string LayoutYaml(string confirm, int windowS, bool testReleasesDoors) => $$"""
        schema: 1
        site: { id: {{Site}} }
        buildings:
          - id: b1
            fire: { confirm: {{confirm}}, windowS: {{windowS}}, testReleasesDoors: {{(testReleasesDoors ? "true" : "false")}} }
            floors:
              - id: ground
                zones:
                  - id: lobby
                    devices:
                      - { id: {{Exit}}, kind: door, role: egress-lock }
                      - { id: {{LobbyA}}, kind: smoke, params: { confirmationMs: 2000 } }
                      - { id: {{LobbyB}}, kind: smoke, params: { confirmationMs: 2000 } }
                      - { id: {{CallPoint}}, kind: manual-call-point }
                  - id: stairs
                    devices:
                      - { id: {{StairDoor}}, kind: door, role: hold-open }
                      - { id: {{StairSmoke}}, kind: smoke, params: { confirmationMs: 2000 } }
                  - id: carpark
                    devices:
                      - { id: {{Barrier}}, kind: barrier }
              - id: f1
                zones:
                  - id: plant
                    devices:
                      - { id: {{FloorProbe}}, kind: leak, role: sensor-valve }
                      - { id: {{Riser}}, kind: leak, role: valve }
                      - { id: {{SprinklerValve}}, kind: leak, role: valve, feedsSprinklers: true }
          - id: b2
            floors:
              - id: ground
                zones:
                  - id: lobby
                    devices:
                      - { id: {{QuietSmoke}}, kind: smoke }
                      - { id: {{QuietValve}}, kind: leak }
        """;

    /// <summary>Starts a rule engine on <paramref name="rulesYaml"/> and puts it into the pipeline, as EdgeHost does.</summary>
    public async Task StartRulesAsync(string rulesYaml)
    {
        string path = Data.File("rules.yaml");
        await File.WriteAllTextAsync(path, rulesYaml);
        Rules = new RuleEngine(Database, () => Layout.Devices, Site, Commands, Alerts, Log, Twins, Time, NullLogger.Instance,
            new RuleEngineOptions { WatchFile = false, ChangeCheckInterval = Timeout.InfiniteTimeSpan });
        await Rules.StartAsync(path);
        Assert.IsNull(Rules.Status().LastLoadError?.Message);
        Pipeline = new IngestPipeline(Layout, Twins, FireRule, Commands, Log, Counters, Time, NullLogger.Instance) { Rules = Rules };
    }

    /// <summary>An event from the device, through the pipeline; <paramref name="fields"/> are more JSON members, e.g. <c>"test":true</c>.</summary>
    public Task EventAsync(string device, string name, string fields = "") =>
        PublishAsync(device, Channel.Event, $"\"event\":\"{name}\"" + (fields.Length > 0 ? "," + fields : ""));

    public Task StateAsync(string device, string state, string fields = "") =>
        PublishAsync(device, Channel.State, $"\"state\":\"{state}\"" + (fields.Length > 0 ? "," + fields : ""));

    /// <summary>The device's online status after it connects again.</summary>
    public Task StatusOnlineAsync(string device) =>
        PublishAsync(device, Channel.Status, $"\"online\":true,\"kind\":\"{Device(device).Kind}\",\"role\":\"{Device(device).Role}\",\"fw\":\"t\"");

    /// <summary>The device's Last Will, as the broker publishes it when the device drops off: the edge marks it offline.</summary>
    public async Task WillAsync(string device)
    {
        DeviceDefinition definition = Device(device);
        string topic = Messages.TopicOf(definition, Channel.Status);
        IngestResult result = await Pipeline.AcceptAsync(device, topic, Messages.Bytes($$"""{"v":1,"dev":"{{device}}","online":false}"""));
        Assert.AreEqual(IngestResult.Accepted, result);
    }

    /// <summary>Edge records of the fire rule (source edge, channel rule) with this name, oldest first.</summary>
    public IReadOnlyList<JsonElement> RuleRecords(string name) => Records("rule", name, "edge");

    public IReadOnlyList<Alert> OpenAlerts(string rule) => Alerts.List().Where(a => a.Rule == rule).ToList();

    /// <summary>Ids of the devices that got a command <paramref name="cmd"/> on the wire.</summary>
    public IReadOnlyList<string> Sent(string cmd) =>
        Downlink.Commands.Where(c => c.Json.GetProperty("cmd").GetString() == cmd).Select(c => c.Topic.Split('/')[5]).ToList();

    public override async ValueTask DisposeAsync()
    {
        if (Rules is not null)
        {
            await Rules.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private async Task PublishAsync(string device, string channel, string fields)
    {
        long seq = _sequence[device] = _sequence.GetValueOrDefault(device) + 1;
        string topic = Messages.TopicOf(Device(device), channel);
        IngestResult result = await Pipeline.AcceptAsync(device, topic,
            Messages.Bytes($$"""{"v":1,"dev":"{{device}}","seq":{{seq}},"boot":1,"up":{{seq * 1000}},{{fields}}}"""));
        Assert.AreEqual(IngestResult.Accepted, result);
    }
}
