namespace SmartCommunity.Edge.Tests.Access;

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
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>
/// Access control wired as EdgeHost wires it, without sockets: a layout with door groups of every anti-passback mode,
/// a real edge.db (event log, alerts, cards, lists, audit) in a fresh folder, a fake clock, the real ingest pipeline
/// (so twins and acks behave as on the box) and a recording downlink in place of the broker. Doors speak through
/// <see cref="DoorAsync"/>: each message gets the door's next sequence number and its uptime on the fake clock.
/// </summary>
internal sealed class AccessRig : EdgeCore
{
    public const string Main = "b1-main";
    public const string GarageIn = "b1-garage-in";
    public const string GarageOut = "b1-garage-out";
    public const string GymIn = "b1-gym-in";
    public const string GymOut = "b1-gym-out";
    public const string Pool = "b1-pool";
    public const string Stair = "b1-stair";

    public const string Residents = "residents";
    public const string Garage = "garage";
    public const string Gym = "gym";
    public const string PoolGroup = "pool";

    public static readonly string Yaml = $"""
        schema: 1
        site:
          id: riverside
        doorGroups:
          - id: {Residents}
          - id: {Garage}
            antiPassback: hard
          - id: {Gym}
            antiPassback: soft
          - id: {PoolGroup}
            antiPassback: timed
            timedS: 60
        buildings:
          - id: b1
            floors:
              - id: ground
                zones:
                  - id: lobby
                    devices:
                      - id: {Main}
                        kind: door
                        direction: in
                        groups: [{Residents}]
                      - id: {GarageIn}
                        kind: door
                        direction: in
                        groups: [{Residents}, {Garage}]
                        params: {"{"} unlockMs: 4000 {"}"}
                      - id: {GarageOut}
                        kind: door
                        direction: out
                        groups: [{Garage}]
                      - id: {GymIn}
                        kind: door
                        direction: in
                        groups: [{Gym}]
                      - id: {GymOut}
                        kind: door
                        direction: out
                        groups: [{Gym}]
                      - id: {Pool}
                        kind: door
                        groups: [{PoolGroup}]
                      - id: {Stair}
                        kind: door
                        role: hold-open
        """;

    private readonly Dictionary<string, DoorSide> _doors = new(StringComparer.Ordinal);

    public AccessRig(AccessOptions? options = null)
        : base(_ => LayoutLoader.Parse(Yaml, "access-rig.yaml"))
    {
        FireRule = NewFireRule();
        Commands.AddSafetyGate(FireRule);
        Options = options ?? new AccessOptions();
        Access = NewAccess();
        Pipeline = NewPipeline();
    }

    public FireRule FireRule { get; }

    public AccessOptions Options { get; }

    public AccessControl Access { get; private set; }

    public IngestPipeline Pipeline { get; private set; }

    public Task StartAsync() => Access.StartAsync();

    /// <summary>Closes access control and opens a new one over the same edge.db, as a restart of the edge does.</summary>
    public async Task RestartAsync()
    {
        await Access.DisposeAsync();
        Access = NewAccess();
        Pipeline = NewPipeline();
        await Access.StartAsync();
    }

    /// <summary>Saves a card as an operator would.</summary>
    public async Task<AccessCard> CardAsync(string number, string[]? doors = null, string[]? groups = null, DateTimeOffset? from = null, DateTimeOffset? to = null, string by = "alice")
    {
        CardSaveResult result = await Access.SaveCardAsync(number, new AccessCardInput("Resident " + number, "flat 1", from, to, doors ?? [], groups ?? []), by);
        Assert.IsNotNull(result.Card, string.Join("; ", result.Problems));
        return result.Card;
    }

    /// <summary>A message from a door as it would publish it: {"v","dev","seq","boot","up"} plus <paramref name="fields"/> (JSON members, no braces).</summary>
    public async Task DoorAsync(string door, string channel, string fields)
    {
        DoorSide side = Side(door);
        long up = (long)(Time.GetUtcNow() - side.BootedAt).TotalMilliseconds;
        string json = $$"""{"v":1,"dev":"{{door}}","seq":{{++side.Seq}},"boot":{{side.Boot}},"up":{{up}}{{(fields.Length > 0 ? "," + fields : "")}}}""";
        IngestResult result = await Pipeline.AcceptAsync(door, Messages.TopicOf(Device(door), channel), Messages.Bytes(json));
        Assert.AreEqual(IngestResult.Accepted, result, json);
    }

    public Task OnlineAsync(string door) => DoorAsync(door, Channel.Status, "\"online\":true,\"fw\":\"test\"");

    /// <summary>The door restarts (new boot, uptime from zero, empty RAM) and comes online.</summary>
    public Task RebootAsync(string door)
    {
        DoorSide side = Side(door);
        side.Boot++;
        side.Seq = 0;
        side.BootedAt = Time.GetUtcNow();
        return OnlineAsync(door);
    }

    public async Task OfflineAsync(string door)
    {
        IngestResult result = await Pipeline.AcceptAsync(door, Messages.TopicOf(Device(door), Channel.Status), Messages.Bytes($$"""{"v":1,"dev":"{{door}}","online":false}"""));
        Assert.AreEqual(IngestResult.Accepted, result);
    }

    public Task StateAsync(string door, long listVersion, bool listFull = false) =>
        DoorAsync(door, Channel.State, $"\"listVersion\":{listVersion},\"listFull\":{(listFull ? "true" : "false")},\"listCount\":0");

    public Task EventAsync(string door, string name, string fields = "") =>
        DoorAsync(door, Channel.Event, $"\"event\":\"{name}\"" + (fields.Length > 0 ? "," + fields : ""));

    public Task AccessRequestAsync(string door, string card, long req) =>
        EventAsync(door, AccessControl.AccessRequestEvent, $"\"card\":\"{card}\",\"bits\":26,\"reader\":\"wiegand\",\"req\":{req}");

    public Task AckAsync(string door, string id, string cmd, string result = CommandNames.ResultDone, string? reason = null) =>
        DoorAsync(door, Channel.Ack, $"\"id\":\"{id}\",\"cmd\":\"{cmd}\",\"result\":\"{result}\"" + (reason is null ? "" : $",\"reason\":\"{reason}\""));

    /// <summary>The door's uptime now, as its next message would carry it.</summary>
    public long UptimeMs(string door) => (long)(Time.GetUtcNow() - Side(door).BootedAt).TotalMilliseconds;

    /// <summary>Every command published to a door (retries included), raw and decoded, in order.</summary>
    public IReadOnlyList<Downlinked> Sent(string door) =>
        Downlink.Published.Where(p => p.Topic == Topics.Device(Layout.Site, "b1", DeviceKinds.Door, door, Channel.Command)).ToList();

    /// <summary>Distinct commands of one kind sent to a door, oldest first (a retry repeats its id).</summary>
    public IReadOnlyList<JsonElement> Sent(string door, string command) =>
        Distinct(Sent(door).Select(p => p.Json).Where(c => c.GetProperty("cmd").GetString() == command)).ToList();

    /// <summary>
    /// Plays the door's side of allow-list sync against <paramref name="table"/>: every allow-list command not answered
    /// yet is decoded by the device's own decoder, applied, and acknowledged, until the edge sends nothing more.
    /// Returns the commands answered.
    /// </summary>
    public async Task<IReadOnlyList<DoorTable.Applied>> AnswerAllowListsAsync(string door, DoorTable table)
    {
        var answered = new List<DoorTable.Applied>();
        while (Sent(door).FirstOrDefault(p => p.Json.GetProperty("cmd").GetString() == CommandNames.AllowList && table.Answered.Add(p.Json.GetProperty("id").GetString()!)) is { } next)
        {
            DoorTable.Applied applied = table.Apply(next.Payload);
            answered.Add(applied);
            await AckAsync(door, applied.Id, CommandNames.AllowList, applied.Reason is null ? CommandNames.ResultDone : CommandNames.ResultRejected, applied.Reason);
        }

        return answered;
    }

    /// <summary>Access records of the event log (channel access) of one name, oldest first, payloads parsed.</summary>
    public IReadOnlyList<JsonElement> Records(string name, string? door = null) => Records(AccessControl.Channel, name, door);

    public override async ValueTask DisposeAsync()
    {
        await Access.DisposeAsync();
        await base.DisposeAsync();
    }

    private AccessControl NewAccess() => new(Layout, Twins, Commands, Alerts, Log, Database, Time, NullLogger.Instance, Options);

    private IngestPipeline NewPipeline() =>
        new(Layout, Twins, FireRule, Commands, Log, Counters, Time, NullLogger.Instance) { Access = Access };

    private DoorSide Side(string door)
    {
        if (!_doors.TryGetValue(door, out DoorSide? side))
        {
            side = new DoorSide { BootedAt = Start - TimeSpan.FromMinutes(10) };
            _doors[door] = side;
        }

        return side;
    }

    private sealed class DoorSide
    {
        public long Boot = 1;
        public long Seq;
        public DateTimeOffset BootedAt;
    }
}
