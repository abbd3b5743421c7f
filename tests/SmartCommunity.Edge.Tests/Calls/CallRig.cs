namespace SmartCommunity.Edge.Tests.Calls;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using SmartCommunity.Edge.Calls;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>
/// The call desk wired as EdgeHost wires it, without sockets: a layout with two residents' call points, a real
/// edge.db (event log, alerts, calls) in a fresh folder, a fake clock in UTC, and a recording downlink in place of
/// the broker. <see cref="RestartAsync"/> closes the desk and opens a new one over the same file.
/// </summary>
internal sealed class CallRig : EdgeCore
{
    public const string Flat12 = "b1-flat12-call";

    /// <summary>Quiet hours 22:00-07:00 (local time, UTC here).</summary>
    public const string Flat14 = "b1-flat14-call";

    public static readonly CallDispatchOptions TwoRelays = new() { Chain = ["care", "backup"] };

    public static readonly string[] Relays = ["care", "backup", "analytics"];

    private readonly CallDispatchOptions _options;
    private readonly string[] _relays;
    private long _seq;

    public CallRig(CallDispatchOptions? options = null, DateTimeOffset? start = null, string[]? relays = null)
        : base(data => LayoutLoader.Load(WriteLayout(data)), start)
    {
        _options = options ?? TwoRelays;
        _relays = relays ?? Relays;
        Time.SetLocalTimeZone(TimeZoneInfo.Utc);
        Desk = NewDesk();
    }

    public CallDesk Desk { get; private set; }

    /// <summary>Writes the test layout (schema of hardware-docs/layout.md) into <paramref name="folder"/> and returns its path.</summary>
    public static string WriteLayout(TempFolder folder)
    {
        string path = folder.File("layout.yaml");
        File.WriteAllText(path, $"""
            schema: 1
            site:
              id: riverside
              name: Riverside Court
            buildings:
              - id: b1
                name: Building 1
                floors:
                  - id: second
                    zones:
                      - id: flats
                        devices:
                          - id: {Flat12}
                            kind: emergency-call-point
                            unit: flat 12
                          - id: {Flat14}
                            kind: emergency-call-point
                            unit: flat 14
                            params: {"{"} quietStartMin: 1320, quietEndMin: 420 {"}"}
            """);
        return path;
    }

    public async Task StartAsync() => await Desk.StartAsync();

    /// <summary>A call point's event, e.g. {"event":"call","call":"7"}, handed to the desk as the ingest pipeline does.</summary>
    public Task EventAsync(string device, string name, string callId, long boot = 1, string extra = "") =>
        Desk.OnMessageAsync(Messages.Decode(Messages.TopicOf(Device(device), Channel.Event),
            $$"""{"v":1,"dev":"{{device}}","seq":{{++_seq}},"boot":{{boot}},"up":1000,"event":"{{name}}","call":"{{callId}}"{{extra}}}"""), Device(device));

    public Task StateAsync(string device, string callId, string callState) =>
        Desk.OnMessageAsync(Messages.Decode(Messages.TopicOf(Device(device), Channel.State),
            $$"""{"v":1,"dev":"{{device}}","seq":{{++_seq}},"boot":1,"up":1000,"call":"{{callId}}","callState":"{{callState}}"}"""), Device(device));

    /// <summary>Moves the clock on and lets the desk check its calls, as its timer does every second.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await Desk.TickAsync();
    }

    /// <summary>Stops the desk, lets <paramref name="downtime"/> pass with no edge running, and starts a new desk over the same edge.db.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        await Desk.DisposeAsync();
        Time.Advance(downtime);
        Desk = NewDesk();
        await Desk.StartAsync();
    }

    /// <summary>The call records of one name, oldest first, with their payloads parsed.</summary>
    public IReadOnlyList<JsonElement> Records(string name) => Records(CallRecords.Channel, name);

    /// <summary>Distinct commands (a retry repeats its id) of one kind sent to a call point, oldest first.</summary>
    public IReadOnlyList<JsonElement> Sent(string device, string command) =>
        Distinct(Downlink.CommandsTo(Layout.Site, "b1", DeviceKinds.EmergencyCallPoint, device)
            .Where(c => c.GetProperty("cmd").GetString() == command)).ToList();

    public override async ValueTask DisposeAsync()
    {
        await Desk.DisposeAsync();
        await base.DisposeAsync();
    }

    private CallDesk NewDesk() => new(Layout, Commands, Alerts, Log, Database, _options, _relays, Time, NullLogger.Instance);
}
