namespace SmartCommunity.Edge.Safety;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;
using SmartCommunity.Protocol;

/// <summary>
/// The built-in fire rule (hardware-docs/safety.md §4 "Confirming a fire", §5 "The reset"). A confirmed fire in a building (its
/// smoke detectors as the building's <see cref="FirePolicy"/> asks, a fire manual call point, or a door reporting its
/// hard-wired fire-panel input) latches the building's fire state, publishes it retained, sends a release to every
/// egress-lock and hold-open door of that building and raises a critical alert. The latch survives restarts and holds
/// until an operator resets it, which is refused while a detector or call point still reports alarm; while it holds, a
/// door that comes back online gets the release again. This is the supplementary path: the fire panel's hard-wired
/// contact at each door is the primary one. Barriers (opened for evacuation) join this list with their own issue.
/// </summary>
public sealed partial class FireRule : ISafetyGate
{
    public const string SmokeAlarmEvent = "alarm";

    /// <summary>Alerts this rule raises are named with this prefix; a rule of the rules file cannot have a ':' in its name.</summary>
    public const string AlertPrefix = "fire:";

    public const string ConfirmedAlert = AlertPrefix + "confirmed";
    public const string SuspectedAlert = AlertPrefix + "suspected";
    public const string PreAlarmAlert = AlertPrefix + "pre-alarm";
    public const string TestAlarmAlert = AlertPrefix + "test-alarm";

    private readonly BuildingLayout _layout;
    private readonly IDownlink _downlink;
    private readonly CommandPublisher _commands;
    private readonly EventLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, FireLatchRecord> _latches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FireConfirmation> _confirmations;

    // Doors whose hard-wired fire input they report active (from their events and state), by device id.
    private readonly ConcurrentDictionary<string, DeviceDefinition> _doorFireInputs = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    // One timer, set to the next pending first alarm's expiry; one expiry pass at a time, in order.
    private readonly ITimer _expiryTimer;
    private readonly object _expiryGate = new();
    private Task _expiryPass = Task.CompletedTask;

    public FireRule(BuildingLayout layout, IDownlink downlink, CommandPublisher commands, EventLog log, TimeProvider time, ILogger logger)
    {
        _layout = layout;
        _downlink = downlink;
        _commands = commands;
        _log = log;
        _time = time;
        _logger = logger;
        _confirmations = layout.Buildings.ToDictionary(b => b.Id, b => new FireConfirmation(b.Id, b.Fire, time), StringComparer.Ordinal);
        _expiryTimer = time.CreateTimer(_ => _ = ExpireDueAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Where the rule raises its alerts (fire confirmed, suspected, pre-alarm, test alarm); none when null.</summary>
    public AlertBook? Alerts { get; init; }

    /// <summary>Who is online, for the forced reset (only an offline detector can be overridden); all count as online when null.</summary>
    public TwinRegistry? Twins { get; init; }

    public bool IsLatched(string building) => _latches.TryGetValue(building, out var latch) && latch.Latched;

    /// <summary>
    /// A fire alarm stands while the building's latch is set or any door of the building reports its hard-wired
    /// fire input active (the panel is signalling fire there, whatever the edge has seen).
    /// </summary>
    public bool AlarmStands(string building) => IsLatched(building) || DoorsReportingFireInput(building).Count > 0;

    public IReadOnlyList<string> DoorsReportingFireInput(string building) =>
        _doorFireInputs.Values.Where(d => d.Building == building).Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal).ToList();

    /// <summary>The smoke detectors and fire manual call points of the building that report alarm now, with whether each is online.</summary>
    public IReadOnlyList<FireDeviceAlarm> DevicesInAlarm(string building) =>
        _confirmations.TryGetValue(building, out FireConfirmation? confirmation)
            ? confirmation.Standing().Select(s => new FireDeviceAlarm(s.Device.Id, s.Device.Kind, s.State, s.Test, s.Since, IsOnline(s.Device.Id))).ToList()
            : [];

    /// <summary>The building's confirmation policy as the rule applies it.</summary>
    public FirePolicy PolicyOf(string building) => _confirmations.TryGetValue(building, out FireConfirmation? c) ? c.Policy : FirePolicy.Default;

    /// <summary>
    /// No command may energise a door of a building where a fire alarm stands: not a rule's, not a stale one, not an
    /// operator's. Releasing is always allowed. To lock again, the alarm must first be reset (authenticated, audited).
    /// Valves have their own rules (<see cref="ValveGate"/>): never close a sprinkler feed, close nothing during a
    /// fire, reopen only for an operator.
    /// </summary>
    public string? WhyRefused(CommandRequest request)
    {
        if (request.Device.Kind == DeviceKinds.Leak)
        {
            return ValveGate.WhyRefused(request, AlarmStands(request.Device.Building));
        }

        if (request.Device.Kind == DeviceKinds.Barrier)
        {
            // A barrier held open for evacuation stays open until the alarm is reset (hardware-docs/safety.md §8).
            return request.Kind is CommandKind.Close or CommandKind.Reset && AlarmStands(request.Device.Building)
                ? $"a fire alarm stands in building {request.Device.Building}; barriers stay open for evacuation until it is reset"
                : null;
        }

        bool energises = request.Kind is CommandKind.Lock or CommandKind.Reset;
        if (request.Device.Kind != DeviceKinds.Door || !energises || !AlarmStands(request.Device.Building))
        {
            return null;
        }

        return $"a fire alarm stands in building {request.Device.Building}; doors stay released until it is reset";
    }

    public IReadOnlyList<FireLatchRecord> Latches =>
        _layout.Buildings.Select(b => _latches.GetValueOrDefault(b.Id) ?? new FireLatchRecord(_layout.Site, b.Id, false, DateTimeOffset.MinValue, "")).ToList();

    /// <summary>
    /// Restores persisted latches and what detectors and call points last said (their twins), publishes every
    /// building's fire state, and re-releases latched buildings.
    /// </summary>
    public async Task StartAsync()
    {
        foreach (FireLatchRecord latch in _log.ReadFireLatches().Where(l => l.Site == _layout.Site))
        {
            _latches[latch.Building] = latch;
        }

        RestoreReportedStates();
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
                return LatchAsync(device.Building, $"fire panel input at {device.Id}", new FireCause("door-fire-input", "fire-panel", [device.Id]));
            }
        }

        if (device.Kind == DeviceKinds.Smoke && _confirmations.TryGetValue(device.Building, out FireConfirmation? confirmation))
        {
            return OnDetectorAsync(message, device, confirmation);
        }

        if (device.Kind == DeviceKinds.ManualCallPoint && _confirmations.TryGetValue(device.Building, out confirmation))
        {
            return OnCallPointAsync(message, device, confirmation);
        }

        if (device.IsFireReleasedDoor && message.Channel == Channel.Status && message.Online == true && IsLatched(device.Building))
        {
            return _commands.SendAsync(device, CommandKind.Release, "fire alarm stands; door came back online");
        }

        if (device.Kind == DeviceKinds.Barrier && message.Channel == Channel.Status && message.Online == true && IsLatched(device.Building))
        {
            return _commands.SendAsync(device, CommandKind.Evacuate, "fire alarm stands; barrier came back online");
        }

        return Task.CompletedTask;
    }

    /// <summary>Latches the building's fire state. Only the first trigger acts; later ones find it latched.</summary>
    public Task LatchAsync(string building, string by) => LatchAsync(building, by, new FireCause("direct", "none", []));

    /// <summary>
    /// The operator's reset after the incident: clears the latch, publishes the clear state, clears the rule's alerts
    /// of the building and sends a reset to every door the rule released. Refused while a door reads the fire panel's
    /// input, or while a smoke detector or fire manual call point of the building still reports alarm. With
    /// <paramref name="force"/> (the caller has checked that the operator is an admin) the reset goes past detectors
    /// and call points that are offline, never past one that is online nor past a door's fire input; the devices it
    /// went past are named in the event log.
    /// </summary>
    public async Task<FireResetOutcome> ResetAsync(string building, string operatorName, bool force = false)
    {
        FireLatchRecord cleared;
        IReadOnlyList<FireDeviceAlarm> overridden;
        lock (_gate)
        {
            if (!IsLatched(building))
            {
                return FireResetOutcome.Of(FireResetResult.NotLatched);
            }

            // The panel is the primary system: while a door still reads its fire input, the panel has not been reset.
            IReadOnlyList<string> doors = DoorsReportingFireInput(building);
            IReadOnlyList<FireDeviceAlarm> inAlarm = DevicesInAlarm(building);
            if (doors.Count > 0)
            {
                return new FireResetOutcome(FireResetResult.FireInputActive, doors, inAlarm, []);
            }

            // A device that still reports alarm means the fire may not be over. One the edge cannot hear (offline)
            // may be a detector the fire destroyed: only an admin may decide to go past it, and only knowingly.
            if (inAlarm.Count > 0 && (!force || inAlarm.Any(d => d.Online)))
            {
                return new FireResetOutcome(FireResetResult.DevicesInAlarm, [], inAlarm, []);
            }

            overridden = inAlarm;
            cleared = new FireLatchRecord(_layout.Site, building, false, _time.GetUtcNow(), operatorName);
            _latches[building] = cleared;
            _confirmations.GetValueOrDefault(building)?.AfterReset(overridden.Select(d => d.Device));
        }

        if (overridden.Count > 0)
        {
            LogForcedReset(_logger, building, operatorName, string.Join(", ", overridden.Select(d => d.Device)));
        }
        else
        {
            LogFireReset(_logger, building, operatorName);
        }

        await Task.WhenAll(
            _log.SaveFireLatchAsync(cleared),
            _log.AppendAsync(EdgeEvent(building, "fire-reset", new
            {
                by = operatorName,
                force,
                overridden = overridden.Select(d => new { device = d.Device, kind = d.Kind, state = d.State, online = d.Online, since = d.Since }).ToList(),
            })),
            PublishFireStateAsync(building, cleared)).ConfigureAwait(false);
        await ClearAlertsAsync(building, operatorName).ConfigureAwait(false);

        // The clear state is queued to each door before its reset, so the door reads it first. A door whose own
        // fire input is still active refuses the reset (fire-active) and stays released.
        await Task.WhenAll(_layout.DevicesIn(building).Where(d => d.IsFireReleasedDoor || d.Kind == DeviceKinds.Barrier)
            .Select(door => _commands.RequestAsync(new CommandRequest(door, CommandKind.Reset, $"fire alarm reset by {operatorName}", CommandOrigin.Operator, operatorName))))
            .ConfigureAwait(false);
        return new FireResetOutcome(FireResetResult.Reset, [], [], overridden);
    }

    /// <summary>
    /// Says, once each, which first alarms waited a whole window without a second signal. The timer runs this when the
    /// next one is due; awaiting it also waits for a pass the timer started.
    /// </summary>
    public Task ExpireDueAsync()
    {
        lock (_expiryGate)
        {
            _expiryPass = ExpireAfterAsync(_expiryPass);
            return _expiryPass;
        }
    }

    private async Task ExpireAfterAsync(Task previous)
    {
        await previous.ConfigureAwait(false);
        try
        {
            var logged = new List<Task>();
            foreach ((string building, FireConfirmation confirmation) in _confirmations)
            {
                foreach (ExpiredSuspicion expired in confirmation.ExpireDue())
                {
                    if (IsLatched(building))
                    {
                        continue;
                    }

                    LogSuspicionExpired(_logger, expired.Device, building, confirmation.Mode, expired.StillInAlarm);
                    logged.Add(_log.AppendAsync(EdgeEvent(building, "fire-suspicion-expired", new
                    {
                        device = expired.Device,
                        mode = confirmation.Mode,
                        windowS = confirmation.Policy.Window.TotalSeconds,
                        stillInAlarm = expired.StillInAlarm,
                        cause = expired.StillInAlarm
                            ? $"no second signal within {confirmation.Policy.Window.TotalSeconds:0} s; {expired.Device} still reports alarm, so a later second signal still confirms"
                            : $"no second signal within {confirmation.Policy.Window.TotalSeconds:0} s; {expired.Device} has cleared",
                    })));
                }
            }

            await Task.WhenAll(logged).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A timer's pass has no caller to fail; the edge keeps running and says so.
            LogExpiryFailed(_logger, ex);
        }
        finally
        {
            ArmExpiry();
        }
    }

    private async Task OnDetectorAsync(DeviceMessage message, DeviceDefinition detector, FireConfirmation confirmation)
    {
        bool test = message.Body.TryGetProperty("test", out JsonElement testFlag) && testFlag.ValueKind == JsonValueKind.True;
        string? reported = message.Channel switch
        {
            Channel.Event => message.EventName switch
            {
                SmokeAlarmEvent => FireConfirmation.StateAlarm,
                "pre-alarm" => "pre-alarm",
                "alarm-cleared" or "pre-alarm-cleared" or "test-ended" => "normal",
                _ => null,
            },
            // The detector's states (smoke-detector.md); one this edge does not know changes nothing.
            Channel.State => message.StringField("state") is { } state && state is FireConfirmation.StateAlarm or "pre-alarm" or "normal" or "fault" ? state : null,
            _ => null,
        };
        if (reported is null)
        {
            return;
        }

        bool changed = confirmation.ReportedStateChanged(detector, reported);
        if (reported != FireConfirmation.StateAlarm)
        {
            confirmation.DetectorCleared(detector);
            if (reported == "pre-alarm" && changed && !test)
            {
                await PreAlarmAsync(detector, confirmation).ConfigureAwait(false);
            }

            return;
        }

        await ActAsync(confirmation.DetectorAlarm(detector, test), detector, confirmation).ConfigureAwait(false);
    }

    private Task OnCallPointAsync(DeviceMessage message, DeviceDefinition callPoint, FireConfirmation confirmation)
    {
        bool? activated = message.Channel switch
        {
            Channel.Event => message.EventName switch
            {
                FireConfirmation.StateActivated => true,
                "restored" => false,
                _ => null,
            },
            // Only "normal" ends an activation: a call point that reports a line fault after it was operated may
            // have been burnt through, and someone has to look at it before the building is reset.
            Channel.State => message.StringField("state") switch
            {
                FireConfirmation.StateActivated => true,
                "normal" => false,
                _ => null,
            },
            _ => null,
        };
        if (activated is null)
        {
            return Task.CompletedTask;
        }

        if (activated == false)
        {
            confirmation.CallPointRestored(callPoint);
            return Task.CompletedTask;
        }

        return ActAsync(confirmation.CallPointActivated(callPoint, IsLatched(callPoint.Building)), callPoint, confirmation);
    }

    private async Task ActAsync(FireDecision decision, DeviceDefinition device, FireConfirmation confirmation)
    {
        string building = device.Building;
        switch (decision.Step)
        {
            case FireStep.Confirmed:
                string trigger = device.Kind == DeviceKinds.ManualCallPoint ? "manual-call-point" : "smoke";
                string mode = device.Kind == DeviceKinds.ManualCallPoint && decision.Devices.Count == 1 ? "call-point" : confirmation.Mode;
                await LatchAsync(building, decision.Cause, new FireCause(trigger, mode, decision.Devices)).ConfigureAwait(false);
                break;

            case FireStep.Suspected:
                if (IsLatched(building))
                {
                    break;
                }

                LogFireSuspected(_logger, building, decision.Cause);
                ArmExpiry();
                await Task.WhenAll(
                    _log.AppendAsync(EdgeEvent(building, "fire-suspected", new
                    {
                        device = device.Id,
                        zone = $"{device.Floor}/{device.Zone}",
                        mode = confirmation.Mode,
                        windowS = confirmation.Policy.Window.TotalSeconds,
                        cause = decision.Cause,
                    })),
                    RaiseAlertAsync(SuspectedAlert, AlertSeverity.Warning, $"Fire suspected in building {building}: {decision.Cause}", device.Id, building)).ConfigureAwait(false);
                break;

            case FireStep.TestAlarm:
                LogTestAlarm(_logger, device.Id, building);
                await Task.WhenAll(
                    _log.AppendAsync(EdgeEvent(building, "fire-test-alarm", new { device = device.Id, mode = confirmation.Mode, releasesDoors = false, cause = decision.Cause })),
                    RaiseAlertAsync(TestAlarmAlert, AlertSeverity.Info, $"Test alarm at {device.Id} in building {building}; doors are not released for a test", device.Id, building))
                    .ConfigureAwait(false);
                break;
        }
    }

    private Task PreAlarmAsync(DeviceDefinition detector, FireConfirmation confirmation) =>
        Task.WhenAll(
            _log.AppendAsync(EdgeEvent(detector.Building, "fire-pre-alarm", new
            {
                device = detector.Id,
                mode = confirmation.Mode,
                cause = $"pre-alarm at {detector.Id}: smoke seen, not confirmed by the detector; an alert only, never a fire",
            })),
            RaiseAlertAsync(PreAlarmAlert, AlertSeverity.Warning, $"Pre-alarm at {detector.Id} in building {detector.Building}: smoke seen, not (yet) an alarm", detector.Id, detector.Building));

    private async Task LatchAsync(string building, string by, FireCause cause)
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

        // Releases go out before anything is awaited on disk: the log write runs alongside them. Pending locks, unlock
        // timers and valve closes of the building are withdrawn so none can arrive after the release.
        Task releases = ReleaseDoorsAsync(building, by);
        Task state = PublishFireStateAsync(building, latch);
        Task cancelled = _commands.CancelPendingAsync(building, k => k is CommandKind.Lock or CommandKind.Unlock or CommandKind.Reset or CommandKind.Close, $"fire latched: {by}");
        Task saved = _log.SaveFireLatchAsync(latch);
        Task logged = _log.AppendAsync(EdgeEvent(building, "fire-latched", new { by, trigger = cause.Trigger, mode = cause.Mode, devices = cause.Devices }));
        Task alerted = RaiseAlertAsync(ConfirmedAlert, AlertSeverity.Critical,
            $"FIRE in building {building}: {by}. Its doors are released until an operator resets the alarm.", null, building);
        await Task.WhenAll(releases, state, cancelled, saved, logged, alerted).ConfigureAwait(false);
    }

    // What each smoke detector and call point said last, as the twins kept it across the restart.
    private void RestoreReportedStates()
    {
        if (Twins is null)
        {
            return;
        }

        foreach (DeviceDefinition device in _layout.Devices.Where(d => d.Kind is DeviceKinds.Smoke or DeviceKinds.ManualCallPoint))
        {
            if (!_confirmations.TryGetValue(device.Building, out FireConfirmation? confirmation) || Twins.Find(device.Id)?.Snapshot().LastState is not { } json)
            {
                continue;
            }

            try
            {
                using JsonDocument state = JsonDocument.Parse(json);
                if (state.RootElement.ValueKind == JsonValueKind.Object
                    && state.RootElement.TryGetProperty("state", out JsonElement value) && value.ValueKind == JsonValueKind.String)
                {
                    bool test = state.RootElement.TryGetProperty("test", out JsonElement flag) && flag.ValueKind == JsonValueKind.True;
                    confirmation.Restore(device, value.GetString()!, test);
                }
            }
            catch (JsonException)
            {
                // A state the edge accepted was valid JSON; one that is not changes nothing here.
            }
        }
    }

    private void ArmExpiry()
    {
        lock (_expiryGate)
        {
            TimeSpan? next = null;
            foreach (FireConfirmation confirmation in _confirmations.Values)
            {
                if (confirmation.NextExpiry() is { } due && (next is null || due < next))
                {
                    next = due;
                }
            }

            try
            {
                _expiryTimer.Change(next ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Only when the process is ending.
            }
        }
    }

    private bool IsOnline(string deviceId) => Twins?.Find(deviceId)?.Online ?? true;

    private async Task RaiseAlertAsync(string rule, AlertSeverity severity, string text, string? device, string building)
    {
        if (Alerts is null)
        {
            return;
        }

        try
        {
            await Alerts.RaiseAsync(rule, severity, text, device, building).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The latch, the releases and the event log record do not depend on the alert book.
            LogAlertFailed(_logger, rule, building, ex);
        }
    }

    // The incident is over: the alerts the rule raised for the building are cleared by the person who reset it.
    private async Task ClearAlertsAsync(string building, string operatorName)
    {
        if (Alerts is null)
        {
            return;
        }

        foreach (Alert alert in Alerts.List().Where(a => a.Building == building && a.Rule.StartsWith(AlertPrefix, StringComparison.Ordinal)))
        {
            try
            {
                await Alerts.ClearAsync(alert.Id, operatorName).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogAlertFailed(_logger, alert.Rule, building, ex);
            }
        }
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

    // Doors are released and the car park's barriers opened for evacuation, on the life-safety path no gate refuses.
    private Task ReleaseDoorsAsync(string building, string reason) =>
        Task.WhenAll(_layout.DevicesIn(building).Where(d => d.IsFireReleasedDoor || d.Kind == DeviceKinds.Barrier)
            .Select(device => _commands.SendAsync(device, device.Kind == DeviceKinds.Barrier ? CommandKind.Evacuate : CommandKind.Release, reason)));

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

    /// <param name="Trigger">What kind of signal latched: smoke, manual-call-point, door-fire-input, or direct (a caller of LatchAsync).</param>
    /// <param name="Mode">The confirmation that applied: any-detector, two-detectors, detector-and-call-point, call-point, fire-panel.</param>
    private sealed record FireCause(string Trigger, string Mode, IReadOnlyList<string> Devices);
}
