namespace SmartCommunity.Edge.Tests.Parking;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Access;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Parking;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>
/// Parking wired as EdgeHost wires it, without sockets: a car park of two levels (p0 below, p1 above, reached by a
/// ramp barrier), an entry and an exit barrier, a real edge.db, a fake clock, access control for the residents' cards,
/// the real ingest pipeline (twins, duplicates) and a recording downlink. Barriers speak through <see cref="BarrierAsync"/>.
/// </summary>
internal sealed class ParkingRig : EdgeCore
{
    public const string Entry = "b1-garage-entry";
    public const string ExitLane = "b1-garage-exit";
    public const string Ramp = "b1-garage-ramp";
    public const string Gate = "b1-service-gate";
    public const string Door = "b1-main";
    public const string Garage = "garage";
    public const string Lanes = "garage-lanes";

    /// <summary>Levels p0 and p1 take 2 each, the car park 3: it is full before both levels are.</summary>
    public static readonly string Yaml = $"""
        schema: 1
        site:
          id: riverside
        doorGroups:
          - id: residents
          - id: {Lanes}
        carParks:
          - id: {Garage}
            name: Residents' garage
            capacity: 3
            recountAt: "03:30"
            levels:
              - id: p0
                capacity: 2
                recountTo: 1
              - id: p1
                capacity: 2
        buildings:
          - id: b1
            floors:
              - id: ground
                zones:
                  - id: garage
                    devices:
                      - id: {Door}
                        kind: door
                        groups: [residents]
                      - id: {Entry}
                        kind: barrier
                        carPark: {Garage}
                        lane: entry
                        from: outside
                        to: p0
                        groups: [{Lanes}]
                      - id: {ExitLane}
                        kind: barrier
                        carPark: {Garage}
                        lane: exit
                        from: p0
                        to: outside
                      - id: {Ramp}
                        kind: barrier
                        carPark: {Garage}
                        lane: entry
                        from: p0
                        to: p1
                        groups: [{Lanes}]
                      - id: {Gate}
                        kind: barrier
        """;

    private readonly Dictionary<string, (long Boot, long Seq, DateTimeOffset BootedAt)> _barriers = new(StringComparer.Ordinal);

    public ParkingRig(TimeZoneInfo? zone = null)
        : base(_ => LayoutLoader.Parse(Yaml, "parking-rig.yaml"))
    {
        if (zone is not null)
        {
            Time.SetLocalTimeZone(zone);
        }

        FireRule = NewFireRule();
        Commands.AddSafetyGate(FireRule);
        Access = new AccessControl(Layout, Twins, Commands, Alerts, Log, Database, Time, NullLogger.Instance);
        Parking = NewParking();
        Pipeline = NewPipeline();
    }

    public FireRule FireRule { get; }

    public AccessControl Access { get; }

    public ParkingControl Parking { get; private set; }

    public IngestPipeline Pipeline { get; private set; }

    /// <summary>Closes parking and opens a new one over the same edge.db, as a restart of the edge does.</summary>
    public async Task RestartAsync()
    {
        await Parking.DisposeAsync();
        Parking = NewParking();
        Pipeline = NewPipeline();
    }

    /// <summary>Saves a resident's card as an operator would.</summary>
    public async Task CardAsync(string number, string[]? doors = null, string[]? groups = null, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        CardSaveResult result = await Access.SaveCardAsync(number, new AccessCardInput("Resident " + number, null, from, to, doors ?? [], groups ?? []), "alice");
        Assert.IsNotNull(result.Card, string.Join("; ", result.Problems));
    }

    /// <summary>A message from a barrier as it would publish it; returns the JSON sent, so a test can send it again.</summary>
    public async Task<string> BarrierAsync(string barrier, string channel, string fields)
    {
        (long boot, long seq, DateTimeOffset bootedAt) = _barriers.GetValueOrDefault(barrier, (1, 0, Start - TimeSpan.FromMinutes(10)));
        _barriers[barrier] = (boot, ++seq, bootedAt);
        long up = (long)(Time.GetUtcNow() - bootedAt).TotalMilliseconds;
        string json = $$"""{"v":1,"dev":"{{barrier}}","seq":{{seq}},"boot":{{boot}},"up":{{up}},{{fields}}}""";
        await SendAsync(barrier, channel, json);
        return json;
    }

    public async Task SendAsync(string barrier, string channel, string json)
    {
        IngestResult result = await Pipeline.AcceptAsync(barrier, Messages.TopicOf(Device(barrier), channel), Messages.Bytes(json));
        Assert.AreEqual(IngestResult.Accepted, result, json);
    }

    public Task<string> PassageAsync(string barrier, string direction) =>
        BarrierAsync(barrier, Channel.Event, $"\"event\":\"passage\",\"direction\":\"{direction}\",\"barrier\":\"open\",\"evacuating\":false");

    public Task EntryRequestAsync(string barrier, string card, long req) =>
        BarrierAsync(barrier, Channel.Event, $"\"event\":\"entry-request\",\"card\":\"{card}\",\"bits\":26,\"reader\":\"wiegand\",\"req\":{req},\"barrier\":\"closed\",\"evacuating\":false");

    /// <summary>The answer (open or deny) the barrier got for request <paramref name="req"/>.</summary>
    public JsonElement Answer(string barrier, long req)
    {
        JsonElement[] answers = Distinct(Downlink.CommandsTo(Layout.Site, "b1", DeviceKinds.Barrier, barrier)
            .Where(c => c.TryGetProperty("req", out JsonElement r) && r.GetInt64() == req)).ToArray();
        Assert.HasCount(1, answers, $"one answer to request {req} at {barrier}");
        return answers[0];
    }

    public long Level(string level) => Parking.Occupancy(Garage)!.Levels.Single(l => l.Level == level).Occupied;

    /// <summary>Parking records of the event log of one name, oldest first, payloads parsed.</summary>
    public IReadOnlyList<JsonElement> Records(string name) => Records(ParkingControl.Channel, name);

    public override async ValueTask DisposeAsync()
    {
        await Parking.DisposeAsync();
        await Access.DisposeAsync();
        await base.DisposeAsync();
    }

    private ParkingControl NewParking()
    {
        var parking = new ParkingControl(Layout, Commands, Access, Alerts, Log, Database, Time, NullLogger.Instance);
        parking.Start();
        return parking;
    }

    private IngestPipeline NewPipeline() =>
        new(Layout, Twins, FireRule, Commands, Log, Counters, Time, NullLogger.Instance) { Access = Access, Parking = Parking };
}
