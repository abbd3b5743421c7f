namespace SmartCommunity.Edge.Safety;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Protocol;

/// <summary>
/// The built-in fire rule (hardware-docs/safety.md, "The edge's fire rule"). A smoke alarm in a building, or a door
/// reporting its hard-wired fire-panel input, latches the building's fire state, publishes it retained, and sends a
/// release to every egress-lock and hold-open door of that building. The latch survives restarts and holds until an operator resets it; while it holds, a door
/// that comes back online gets the release again. This is the supplementary path: the fire panel's hard-wired
/// contact at each door is the primary one.
/// </summary>
public sealed partial class FireRule : ISafetyGate
{
    public const string SmokeAlarmEvent = "alarm";

    private readonly BuildingLayout _layout;
    private readonly IDownlink _downlink;
    private readonly CommandPublisher _commands;
    private readonly EventLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, FireLatchRecord> _latches = new(StringComparer.Ordinal);

    // Doors whose hard-wired fire input they report active (from their events and state), by device id.
    private readonly ConcurrentDictionary<string, DeviceDefinition> _doorFireInputs = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public FireRule(BuildingLayout layout, IDownlink downlink, CommandPublisher commands, EventLog log, TimeProvider time, ILogger logger)
    {
        _layout = layout;
        _downlink = downlink;
        _commands = commands;
        _log = log;
        _time = time;
        _logger = logger;
    }

    public bool IsLatched(string building) => _latches.TryGetValue(building, out var latch) && latch.Latched;

    /// <summary>
    /// A fire alarm stands while the building's latch is set or any door of the building reports its hard-wired
    /// fire input active (the panel is signalling fire there, whatever the edge has seen).
    /// </summary>
    public bool AlarmStands(string building) => IsLatched(building) || DoorsReportingFireInput(building).Count > 0;

    public IReadOnlyList<string> DoorsReportingFireInput(string building) =>
        _doorFireInputs.Values.Where(d => d.Building == building).Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal).ToList();

    /// <summary>
    /// No command may energise a door of a building where a fire alarm stands: not a rule's, not a stale one, not an
    /// operator's. Releasing is always allowed. To lock again, the alarm must first be reset (authenticated, audited).
    /// </summary>
    public string? WhyRefused(CommandRequest request)
    {
        bool energises = request.Kind is CommandKind.Lock or CommandKind.Reset;
        if (request.Device.Kind != DeviceKinds.Door || !energises || !AlarmStands(request.Device.Building))
        {
            return null;
        }

        return $"a fire alarm stands in building {request.Device.Building}; doors stay released until it is reset";
    }

    public IReadOnlyList<FireLatchRecord> Latches =>
        _layout.Buildings.Select(b => _latches.GetValueOrDefault(b.Id) ?? new FireLatchRecord(_layout.Site, b.Id, false, DateTimeOffset.MinValue, "")).ToList();

    /// <summary>Restores persisted latches, publishes every building's fire state, and re-releases latched buildings.</summary>
    public async Task StartAsync()
    {
        foreach (FireLatchRecord latch in _log.ReadFireLatches().Where(l => l.Site == _layout.Site))
        {
            _latches[latch.Building] = latch;
        }

        foreach (BuildingDefinition building in _layout.Buildings)
        {
            FireLatchRecord? latch = _latches.GetValueOrDefault(building.Id);
            await PublishFireStateAsync(building.Id, latch).ConfigureAwait(false);
            if (latch is { Latched: true })
            {
                LogLatchRestored(_logger, building.Id, latch.By);
                await ReleaseDoorsAsync(building.Id, "fire latched before restart").ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reacts to one accepted, non-duplicate device message.</summary>
    public Task OnMessageAsync(DeviceMessage message, DeviceDefinition device)
    {
        if (device.Kind == DeviceKinds.Door && ReportsFireInput(message) is { } fireInput)
        {
            if (!fireInput)
            {
                _doorFireInputs.TryRemove(device.Id, out _);
            }
            else
            {
                // The fire panel signals fire at this door: a confirmed fire for the whole building. Releasing every
                // other door is the safe direction even if it was a wiring fault (an open chain reads as fire).
                _doorFireInputs[device.Id] = device;
                return LatchAsync(device.Building, $"fire panel input at {device.Id}");
            }
        }

        if (device.Kind == DeviceKinds.Smoke && IsSmokeAlarm(message))
        {
            return LatchAsync(device.Building, $"smoke alarm at {device.Id}");
        }

        if (device.IsFireReleasedDoor && message.Channel == Channel.Status && message.Online == true && IsLatched(device.Building))
        {
            return _commands.SendAsync(device, CommandKind.Release, "fire alarm stands; door came back online");
        }

        return Task.CompletedTask;
    }

    /// <summary>Latches the building's fire state. Only the first trigger acts; later ones find it latched.</summary>
    public async Task LatchAsync(string building, string by)
    {
        FireLatchRecord latch;
        lock (_gate)
        {
            if (IsLatched(building))
            {
                return;
            }

            latch = new FireLatchRecord(_layout.Site, building, true, _time.GetUtcNow(), by);
            _latches[building] = latch;
        }

        LogFireLatched(_logger, building, by);

        // Releases go out before anything is awaited on disk: the log write runs alongside them. Pending locks and
        // unlock timers of the building are withdrawn so none can arrive after the release.
        Task releases = ReleaseDoorsAsync(building, by);
        Task state = PublishFireStateAsync(building, latch);
        Task cancelled = _commands.CancelPendingAsync(building, k => k is CommandKind.Lock or CommandKind.Unlock or CommandKind.Reset, $"fire latched: {by}");
        Task saved = _log.SaveFireLatchAsync(latch);
        Task logged = _log.AppendAsync(EdgeEvent(building, "fire-latched", new { by }));
        await Task.WhenAll(releases, state, cancelled, saved, logged).ConfigureAwait(false);
    }

    /// <summary>
    /// The operator's reset after the incident: clears the latch, publishes the clear state and sends a reset to
    /// every door the rule released. Returns false when the building has no latch.
    /// </summary>
    public async Task<FireResetResult> ResetAsync(string building, string operatorName)
    {
        FireLatchRecord cleared;
        lock (_gate)
        {
            if (!IsLatched(building))
            {
                return FireResetResult.NotLatched;
            }

            // The panel is the primary system: while a door still reads its fire input, the panel has not been reset.
            if (DoorsReportingFireInput(building).Count > 0)
            {
                return FireResetResult.FireInputActive;
            }

            cleared = new FireLatchRecord(_layout.Site, building, false, _time.GetUtcNow(), operatorName);
            _latches[building] = cleared;
        }

        LogFireReset(_logger, building, operatorName);
        await Task.WhenAll(
            _log.SaveFireLatchAsync(cleared),
            _log.AppendAsync(EdgeEvent(building, "fire-reset", new { by = operatorName })),
            PublishFireStateAsync(building, cleared)).ConfigureAwait(false);

        // The clear state is queued to each door before its reset, so the door reads it first. A door whose own
        // fire input is still active refuses the reset (fire-active) and stays released.
        await Task.WhenAll(_layout.DevicesIn(building).Where(d => d.IsFireReleasedDoor)
            .Select(door => _commands.RequestAsync(new CommandRequest(door, CommandKind.Reset, $"fire alarm reset by {operatorName}", CommandOrigin.Operator, operatorName))))
            .ConfigureAwait(false);
        return FireResetResult.Reset;
    }

    // Doors say so in their fire-input events and in every state message ("fireInput").
    private static bool? ReportsFireInput(DeviceMessage message)
    {
        if (message.Channel == Channel.Event)
        {
            return message.EventName switch
            {
                "fire-input-active" => true,
                "fire-input-clear" => false,
                _ => null,
            };
        }

        return message.Channel == Channel.State && message.Body.TryGetProperty("fireInput", out JsonElement value)
            && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
    }

    private static bool IsSmokeAlarm(DeviceMessage message) =>
        (message.Channel == Channel.Event && message.EventName == SmokeAlarmEvent)
        || (message.Channel == Channel.State && message.StringField("state") == SmokeAlarmEvent);

    private Task ReleaseDoorsAsync(string building, string reason) =>
        Task.WhenAll(_layout.DevicesIn(building).Where(d => d.IsFireReleasedDoor)
            .Select(door => _commands.SendAsync(door, CommandKind.Release, reason)));

    private Task PublishFireStateAsync(string building, FireLatchRecord? latch)
    {
        bool alarm = latch is { Latched: true };
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["v"] = ProtocolVersion.Current,
            ["state"] = alarm ? FireStateDecoder.Alarm : FireStateDecoder.Clear,
            ["since"] = latch?.Since.ToString("O"),
            ["by"] = latch?.By,
        });
        return _downlink.PublishAsync(Topics.FireState(_layout.Site, building), payload, retain: true);
    }

    private EventRecord EdgeEvent(string building, string name, object details) =>
        new(_time.GetUtcNow(), _layout.Site, building, "edge", "rule", name, 0, 0, Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(details)), EventLane.Priority);

    [LoggerMessage(Level = LogLevel.Critical, Message = "FIRE latched in building {Building} ({By}); releasing its doors")]
    private static partial void LogFireLatched(ILogger logger, string building, string by);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fire latch of building {Building} reset by {Operator}")]
    private static partial void LogFireReset(ILogger logger, string building, string @operator);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fire latch of building {Building} restored from the log ({By}); releasing its doors again")]
    private static partial void LogLatchRestored(ILogger logger, string building, string by);
}
