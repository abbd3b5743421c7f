namespace SmartCommunity.Edge.Calls;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Protocol;

/// <summary>
/// Emergency and welfare calls, end to end (hardware-docs/emergency-calls.md). A call point's "call" or "welfare"
/// event opens a call keyed by the point and its call id: stored in edge.db, logged ("call-opened"), and only then
/// answered with "call-received", so the point knows the edge has it. The call then escalates on a schedule
/// (<see cref="CallDispatchOptions"/>): to the relays of the chain one after the other, to a Critical operator
/// alert, to the point's own sounder, until someone acknowledges it by naming its call id: an operator through the
/// API, a backend's webhook callback with the call's token, or a backend's acknowledgement message over MQTT. A
/// relay's 2xx or PUBACK only says a backend has the record; it never counts. The acknowledgement is stored, logged
/// and answered with "call-handled"; escalation stops and the alert is cleared. Open calls survive a restart and
/// their escalation resumes where it was. Thread-safe: one call is changed at a time.
/// </summary>
public sealed partial class CallDesk : IAsyncDisposable
{
    /// <summary>The rule name of a call's operator alert is this plus the call id.</summary>
    public const string AlertRulePrefix = "emergency-call:";

    /// <summary>The rule name of the alert for a call the edge cannot track (no usable call id).</summary>
    public const string UnreadableCallRule = "emergency-call-unreadable";

    public const string ViaOperator = "operator";
    public const string ViaWebhook = "webhook";
    public const string ViaMqttPrefix = "mqtt:";

    public const int MaxCallIdLength = 32;

    public static readonly TimeSpan DefaultTickInterval = TimeSpan.FromSeconds(1);

    // The escalation clock is saved with every step; in between, this often, so that a wall clock that jumps while
    // the edge is down costs little (the downtime itself is added from the wall clock at the next start).
    private static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly BuildingLayout _layout;
    private readonly CommandPublisher _commands;
    private readonly AlertBook _alerts;
    private readonly EventLog _log;
    private readonly CallStore _store;
    private readonly CallDispatchOptions _options;
    private readonly IReadOnlyList<EscalationStep> _schedule;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _tickInterval;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<long, ActiveCall> _active = new();
    private readonly ConcurrentDictionary<(long Call, CommandKind Kind), string> _lastCommands = new();
    private readonly CategoryCounts _refused = new();
    private readonly ConcurrentDictionary<string, bool> _quietProblemsReported = new(StringComparer.Ordinal);
    private ITimer? _timer;
    private bool _disposed;

    /// <param name="relayNames">The relays the edge runs; the chain may only name these.</param>
    /// <param name="tickInterval">How often escalation and quiet hours are checked; tests may call <see cref="TickAsync"/> themselves.</param>
    public CallDesk(BuildingLayout layout, CommandPublisher commands, AlertBook alerts, EventLog log, string databasePath, CallDispatchOptions options,
        IEnumerable<string> relayNames, TimeProvider time, ILogger logger, TimeSpan? tickInterval = null)
    {
        options.Validate(relayNames);
        _layout = layout;
        _commands = commands;
        _alerts = alerts;
        _log = log;
        _options = options;
        _schedule = options.Schedule();
        _time = time;
        _logger = logger;
        _tickInterval = tickInterval ?? DefaultTickInterval;
        _store = new CallStore(databasePath);

        // Loaded here, before the broker accepts anything, so a call point repeating its call after the restart
        // finds its call instead of opening a second one.
        DateTimeOffset now = time.GetUtcNow();
        try
        {
            foreach (EmergencyCall call in _store.LoadActive())
            {
                _active[call.Id] = Resume(call, now);
                LogResumed(_logger, call.CallId, call.Device, EmergencyCall.NameOf(call.State), call.Stage);
            }
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    public CallDispatchOptions Options => _options;

    /// <summary>Held and open calls, oldest first.</summary>
    public IReadOnlyList<EmergencyCall> Active => _active.Values.Select(a => a.Call).OrderBy(c => c.Id).ToList();

    /// <summary>What the desk refused or could not use, by category (bad call ids, unknown calls, wrong tokens, bad ack messages).</summary>
    public IReadOnlyDictionary<string, long> Refused => _refused.Snapshot();

    /// <summary>The newest call with this id from this call point, active or not; null if there is none.</summary>
    public EmergencyCall? Find(string device, string callId) => FindActive(device, callId)?.Call ?? _store.FindNewest(device, callId);

    /// <summary>How far an active call's escalation has run and what comes next; null for a call that is not active.</summary>
    public CallProgress? Progress(EmergencyCall call)
    {
        if (!_active.TryGetValue(call.Id, out ActiveCall? entry))
        {
            return null;
        }

        EmergencyCall current = entry.Call;
        if (current.State == CallState.Held)
        {
            return new CallProgress(TimeSpan.Zero, null, null);
        }

        TimeSpan elapsed = Elapsed(entry);
        EscalationStep? next = _schedule.FirstOrDefault(s => !current.HasDone(s));
        return new CallProgress(elapsed, next, next is null ? null : _time.GetUtcNow() + (next.After > elapsed ? next.After - elapsed : TimeSpan.Zero));
    }

    /// <summary>Lets the MQTT relays of the chain hand the backend's acknowledgement messages to this desk.</summary>
    public void Listen(CallAckInbox? inbox) => inbox?.Attach(OnUpstreamAckAsync);

    /// <summary>Takes every step that came due while the edge was down, then checks every tick.</summary>
    public async Task StartAsync()
    {
        await TickAsync().ConfigureAwait(false);
        _timer ??= _time.CreateTimer(_ => _ = TickFromTimerAsync(), null, _tickInterval, _tickInterval);
    }

    /// <summary>Reacts to one accepted, non-duplicate device message; only call points' messages matter here.</summary>
    public Task OnMessageAsync(DeviceMessage message, DeviceDefinition device)
    {
        if (device.Kind != DeviceKinds.EmergencyCallPoint)
        {
            return Task.CompletedTask;
        }

        if (message.Channel == Channel.Event)
        {
            return message.EventName switch
            {
                CallRecords.CallEvent => OpenAsync(message, device, CallKind.Call),
                CallRecords.WelfareEvent => OpenAsync(message, device, CallKind.Welfare),
                CallRecords.CallCancelledEvent => CloseAsync(message, device, CallKind.Call),
                CallRecords.WelfareClearedEvent => CloseAsync(message, device, CallKind.Welfare),
                _ => Task.CompletedTask,
            };
        }

        return message.Channel == Channel.State ? ReconcileAsync(message, device) : Task.CompletedTask;
    }

    /// <summary>
    /// A person acknowledges the call, naming it. <paramref name="via"/> says how (<see cref="ViaOperator"/>,
    /// <see cref="ViaWebhook"/>, "mqtt:RELAY"). With <paramref name="tokenRequired"/> (the webhook callback, which
    /// carries no operator token) <paramref name="token"/> must be the call's own secret.
    /// </summary>
    public async Task<CallAckResult> AcknowledgeAsync(string device, string callId, string by, string via, string? token = null, bool tokenRequired = false)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return new CallAckResult(CallAckOutcome.Unavailable, null);
            }

            if (tokenRequired && string.IsNullOrEmpty(token))
            {
                Count("callback-token-missing");
                LogCallbackRefused(_logger, callId, device, "no token");
                return new CallAckResult(CallAckOutcome.TokenMissing, null);
            }

            ActiveCall? entry = FindActive(device, callId);
            EmergencyCall? call = entry?.Call ?? _store.FindNewest(device, callId);
            if (call is null)
            {
                Count("ack-unknown-call");
                LogAckUnknown(_logger, callId, device, via);
                return new CallAckResult(CallAckOutcome.NotFound, null);
            }

            if (tokenRequired && !CallToken.Matches(call.Token, token))
            {
                Count("callback-token-wrong");
                LogCallbackRefused(_logger, callId, device, "wrong token");
                return new CallAckResult(CallAckOutcome.TokenWrong, null);
            }

            if (call.State == CallState.Acknowledged)
            {
                return new CallAckResult(CallAckOutcome.AlreadyAcknowledged, call);
            }

            if (call.State == CallState.Cancelled || entry is null)
            {
                return new CallAckResult(CallAckOutcome.AlreadyClosed, call);
            }

            DateTimeOffset now = _time.GetUtcNow();
            EmergencyCall acknowledged = entry.Call with
            {
                State = CallState.Acknowledged,
                AcknowledgedBy = by,
                AcknowledgedVia = via,
                AcknowledgedAt = now,
                ElapsedAtSave = Elapsed(entry),
                SavedAt = now,
            };

            // Stored before anything else: once the answer says acknowledged, a restart cannot undo it.
            _store.Update(acknowledged);
            entry.Call = acknowledged;
            _active.TryRemove(acknowledged.Id, out _);
            LogAcknowledged(_logger, callId, device, by, via);
            await AppendAsync(acknowledged, CallRecords.Acknowledged, ("by", by), ("via", via)).ConfigureAwait(false);
            await SendAsync(acknowledged, CommandKind.CallHandled, $"call {callId} acknowledged by {by}").ConfigureAwait(false);
            await ClearAlertAsync(acknowledged, by).ConfigureAwait(false);
            return new CallAckResult(CallAckOutcome.Acknowledged, acknowledged);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One pass: releases held welfare calls whose quiet hours are over and takes every escalation step that is due.</summary>
    public async Task TickAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            foreach (ActiveCall entry in _active.Values.OrderBy(a => a.Call.Id).ToList())
            {
                try
                {
                    if (entry.Call.State == CallState.Held)
                    {
                        await ReleaseIfQuietHoursOverAsync(entry, now).ConfigureAwait(false);
                    }

                    if (entry.Call.State == CallState.Open)
                    {
                        await EscalateDueAsync(entry, now).ConfigureAwait(false);
                    }
                }
                catch (Exception ex)
                {
                    // The step is not marked done, so the next pass tries it again; one failing call must not hold up the others.
                    LogStepFailed(_logger, entry.Call.CallId, entry.Call.Device, ex);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            // The escalation clock as it stands, so the next start resumes from here plus the downtime.
            DateTimeOffset now = _time.GetUtcNow();
            foreach (ActiveCall entry in _active.Values.Where(a => a.Call.State == CallState.Open))
            {
                try
                {
                    Save(entry, now);
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    LogStepFailed(_logger, entry.Call.CallId, entry.Call.Device, ex);
                }
            }

            _disposed = true;
            _store.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task OpenAsync(DeviceMessage message, DeviceDefinition device, CallKind kind)
    {
        if (!TryReadCallId(message, out string callId, out string? problem))
        {
            await RefuseUnreadableCallAsync(device, kind, problem!).ConfigureAwait(false);
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(CallDesk), "the edge is stopping; the call point sends its call again to the next edge");
            }

            if (FindActive(device.Id, callId) is { } active)
            {
                // The point repeats its call until it hears call-received: say it again, and if the sounder was
                // already ordered, that too (the point may have restarted and lost it).
                LogRepeated(_logger, callId, device.Id);
                await SendAsync(active.Call, CommandKind.CallReceived, $"call {callId} received (again)").ConfigureAwait(false);
                if (active.Call.Sounded)
                {
                    await SendAsync(active.Call, CommandKind.Sound, $"call {callId}: nobody has acknowledged it yet").ConfigureAwait(false);
                }

                return;
            }

            if (_store.FindNewest(device.Id, callId) is { State: CallState.Acknowledged } handled && handled.Boot == message.Boot)
            {
                // The same call of the same boot, already acknowledged: the point missed call-handled.
                LogRepeated(_logger, callId, device.Id);
                await SendAsync(handled, CommandKind.CallReceived, $"call {callId} received (again)").ConfigureAwait(false);
                await SendAsync(handled, CommandKind.CallHandled, $"call {callId} was acknowledged by {handled.AcknowledgedBy}").ConfigureAwait(false);
                return;
            }

            // Anything else is a new call, even when the id was used before (cancelled, or in an earlier boot of a
            // point that numbers from 1 again): a second call on record is better than a real one taken for a repeat.
            DateTimeOffset now = _time.GetUtcNow();
            QuietHours quiet = default;
            bool held = kind == CallKind.Welfare && QuietNow(device, now, out quiet);
            EmergencyCall call = _store.Insert(new EmergencyCall(0, device.Id, callId, kind, device.Site, device.Building, device.Unit, message.Boot,
                IdleMs(message), now, held ? CallState.Held : CallState.Open, held ? null : now, TimeSpan.Zero, now, [], null, CallToken.New()));
            var entry = new ActiveCall(call, held ? 0 : _time.GetTimestamp(), now);
            _active[call.Id] = entry;
            LogOpened(_logger, EmergencyCall.NameOf(kind), callId, device.Id, device.Unit ?? "no unit", held);
            await AppendAsync(call, CallRecords.Opened, ("openedAt", now), ("held", held), ("idleMs", call.IdleMs)).ConfigureAwait(false);
            if (held)
            {
                await AppendAsync(call, CallRecords.Held, ("quietHours", quiet.ToString()), ("until", quiet.NextEnd(now, _time.LocalTimeZone))).ConfigureAwait(false);
            }

            await SendAsync(call, CommandKind.CallReceived, $"call {callId} received").ConfigureAwait(false);
            if (!held)
            {
                await EscalateDueAsync(entry, now).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CloseAsync(DeviceMessage message, DeviceDefinition device, CallKind kind)
    {
        string reason = message.EventName!;
        if (!TryReadCallId(message, out string callId, out string? problem))
        {
            Count("bad-call-id");
            LogBadCallId(_logger, reason, device.Id, problem!);
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(CallDesk), "the edge is stopping; the call point sends its event again to the next edge");
            }

            ActiveCall? entry = FindActive(device.Id, callId);
            if (entry is null)
            {
                // Cancelling a call that was already acknowledged is ordinary; one the edge never had is not.
                if (_store.FindNewest(device.Id, callId) is null)
                {
                    Count("close-unknown-call");
                    LogCloseUnknown(_logger, reason, callId, device.Id);
                }

                return;
            }

            if (entry.Call.Kind != kind)
            {
                Count("close-wrong-kind");
                LogCloseWrongKind(_logger, reason, callId, device.Id, EmergencyCall.NameOf(entry.Call.Kind));
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            EmergencyCall closed = entry.Call with { State = CallState.Cancelled, ClosedReason = reason, ClosedAt = now, ElapsedAtSave = Elapsed(entry), SavedAt = now };
            _store.Update(closed);
            entry.Call = closed;
            _active.TryRemove(closed.Id, out _);
            LogClosed(_logger, callId, device.Id, reason);
            await AppendAsync(closed, CallRecords.Closed, ("reason", reason)).ConfigureAwait(false);
            await ClearAlertAsync(closed, $"resident at {device.Id} ({reason})").ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    // The point's state says which call it shows and how far it got; where it lags behind the edge (it missed a
    // command while offline), the missing command goes again, once at a time.
    private async Task ReconcileAsync(DeviceMessage message, DeviceDefinition device)
    {
        string? shown = message.StringField("callState");
        if (shown is not ("calling" or "received" or "sounding") || !TryReadCallId(message, out string callId, out _))
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            if (FindActive(device.Id, callId) is { } entry)
            {
                if (shown == "calling")
                {
                    await SendUnlessPendingAsync(entry.Call, CommandKind.CallReceived, $"call {callId} received").ConfigureAwait(false);
                }

                if (entry.Call.Sounded && shown != "sounding")
                {
                    await SendUnlessPendingAsync(entry.Call, CommandKind.Sound, $"call {callId}: nobody has acknowledged it yet").ConfigureAwait(false);
                }

                return;
            }

            if (_store.FindNewest(device.Id, callId) is { State: CallState.Acknowledged } handled)
            {
                await SendUnlessPendingAsync(handled, CommandKind.CallHandled, $"call {callId} was acknowledged by {handled.AcknowledgedBy}").ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReleaseIfQuietHoursOverAsync(ActiveCall entry, DateTimeOffset now)
    {
        // Read from the layout as it is now: quiet hours removed through the registry end the hold too.
        if (_layout.DevicesById.TryGetValue(entry.Call.Device, out DeviceDefinition? device) && QuietNow(device, now, out _))
        {
            return;
        }

        EmergencyCall released = entry.Call with { State = CallState.Open, EscalationFrom = now, ElapsedAtSave = TimeSpan.Zero, SavedAt = now };
        _store.Update(released);
        entry.Call = released;
        entry.ClockStart = _time.GetTimestamp();
        entry.LastSaved = now;
        LogReleased(_logger, released.CallId, released.Device);
        await AppendAsync(released, CallRecords.Released, ("reason", "quiet hours over")).ConfigureAwait(false);
    }

    private async Task EscalateDueAsync(ActiveCall entry, DateTimeOffset now)
    {
        TimeSpan elapsed = Elapsed(entry);
        foreach (EscalationStep step in _schedule)
        {
            if (step.After > elapsed)
            {
                break;
            }

            if (!entry.Call.HasDone(step))
            {
                // The step acts first and is recorded after: a crash in between repeats it at the next start
                // (a second dispatch, an alert counted as a repeat, a second sound) rather than losing it.
                long? alertId = await TakeStepAsync(entry.Call, step, elapsed).ConfigureAwait(false);
                entry.Call = entry.Call with
                {
                    Steps = [.. entry.Call.Steps, new CallStep(step.Stage, step.Relay, now)],
                    AlertId = alertId ?? entry.Call.AlertId,
                };
                Save(entry, now);
            }
        }

        if (now - entry.LastSaved >= SaveInterval)
        {
            Save(entry, now);
        }
    }

    private async Task<long?> TakeStepAsync(EmergencyCall call, EscalationStep step, TimeSpan elapsed)
    {
        LogEscalated(_logger, call.CallId, call.Device, CallStep.NameOf(step.Stage), step.Relay ?? "-", (long)elapsed.TotalSeconds);
        switch (step.Stage)
        {
            case EscalationStage.Dispatched:
            case EscalationStage.Escalated:
                string? previous = step.Stage == EscalationStage.Escalated ? _options.Chain[_options.Chain.ToList().IndexOf(step.Relay!) - 1] : null;
                string path = CallbackPath(call);
                await AppendAsync(call, step.Stage == EscalationStage.Dispatched ? CallRecords.Dispatched : CallRecords.Escalated,
                    (CallRecords.AddressField, step.Relay), ("previous", previous), ("openedAt", call.OpenedAt), ("idleMs", call.IdleMs),
                    ("callback", new CallbackInfo("POST", path, _options.CallbackBase is null ? null : new Uri(_options.CallbackBase, path).ToString(), call.Token)))
                    .ConfigureAwait(false);
                return null;
            case EscalationStage.OperatorAlert:
                Alert alert = await _alerts.RaiseAsync(AlertRulePrefix + call.CallId, AlertSeverity.Critical, AlertText(call, elapsed), call.Device, call.Building)
                    .ConfigureAwait(false);
                await AppendAsync(call, CallRecords.OperatorAlerted, ("alert", alert.Id)).ConfigureAwait(false);
                return alert.Id;
            default:
                string? command = await SendAsync(call, CommandKind.Sound, $"call {call.CallId}: nobody acknowledged it in {(long)elapsed.TotalSeconds} s").ConfigureAwait(false);
                await AppendAsync(call, CallRecords.SounderOn, ("command", command)).ConfigureAwait(false);
                return null;
        }
    }

    private string AlertText(EmergencyCall call, TimeSpan elapsed)
    {
        string where = call.Unit is null ? $"call point {call.Device}" : $"{call.Unit} (call point {call.Device})";
        string what = call.Kind == CallKind.Welfare
            ? $"Welfare alert: no activity at {where}, building {call.Building}{(call.IdleMs is { } idle ? $", for {idle / 60_000} min" : "")}"
            : $"Emergency call from {where}, building {call.Building}";
        string waited = _options.Chain.Count == 0 ? "no backend takes calls" : $"no acknowledgement after {(long)elapsed.TotalSeconds} s";
        return $"{what}: {waited}. Send someone, then acknowledge with POST {CallbackPath(call)}.";
    }

    private async Task RefuseUnreadableCallAsync(DeviceDefinition device, CallKind kind, string problem)
    {
        // Not dropped silently: without an id the edge can neither answer the point nor track the call, so a
        // person is told at once.
        Count("bad-call-id");
        LogBadCallId(_logger, EmergencyCall.NameOf(kind), device.Id, problem);
        string where = device.Unit is null ? $"call point {device.Id}" : $"{device.Unit} (call point {device.Id})";
        await _alerts.RaiseAsync(UnreadableCallRule, AlertSeverity.Critical,
            $"{where}, building {device.Building}, sent a {EmergencyCall.NameOf(kind)} the edge cannot track ({problem}); check on the resident and have the call point serviced.",
            device.Id, device.Building).ConfigureAwait(false);
    }

    private async Task<bool> OnUpstreamAckAsync(string relay, ReadOnlyMemory<byte> payload)
    {
        string? device, callId, by;
        try
        {
            using JsonDocument document = JsonDocument.Parse(payload);
            JsonElement root = document.RootElement;
            device = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("device", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            callId = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("call", out JsonElement c) ? CallIdText(c) : null;
            by = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("by", out JsonElement b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        }
        catch (JsonException ex)
        {
            Count("bad-ack-message");
            LogBadAckMessage(_logger, relay, $"not JSON ({ex.Message})");
            return true;
        }

        if (string.IsNullOrEmpty(device) || string.IsNullOrEmpty(callId))
        {
            Count("bad-ack-message");
            LogBadAckMessage(_logger, relay, "an acknowledgement is {\"device\":…,\"call\":…,\"by\":…} and needs device and call");
            return true;
        }

        CallAckResult result = await AcknowledgeAsync(device, callId, string.IsNullOrWhiteSpace(by) ? $"backend via {relay}" : by, ViaMqttPrefix + relay).ConfigureAwait(false);
        return result.Outcome != CallAckOutcome.Unavailable;
    }

    private async Task TickFromTimerAsync()
    {
        try
        {
            await TickAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogTickFailed(_logger, ex);
        }
    }

    private ActiveCall? FindActive(string device, string callId) =>
        _active.Values.Where(a => a.Call.Device == device && a.Call.CallId == callId).OrderByDescending(a => a.Call.Id).FirstOrDefault();

    private ActiveCall Resume(EmergencyCall call, DateTimeOffset now)
    {
        if (call.State == CallState.Held)
        {
            return new ActiveCall(call, 0, now);
        }

        // The clock ran until the save and on through the downtime; a wall clock that went backwards counts as none.
        TimeSpan downtime = now > call.SavedAt ? now - call.SavedAt : TimeSpan.Zero;
        TimeSpan elapsed = call.ElapsedAtSave + downtime;
        long start = _time.GetTimestamp() - (long)(elapsed.TotalSeconds * _time.TimestampFrequency);
        return new ActiveCall(call, start, now);
    }

    private TimeSpan Elapsed(ActiveCall entry) => entry.Call.State == CallState.Held ? TimeSpan.Zero : _time.GetElapsedTime(entry.ClockStart);

    private void Save(ActiveCall entry, DateTimeOffset now)
    {
        entry.Call = entry.Call with { ElapsedAtSave = Elapsed(entry), SavedAt = now };
        _store.Update(entry.Call);
        entry.LastSaved = now;
    }

    private bool QuietNow(DeviceDefinition device, DateTimeOffset now, out QuietHours quiet)
    {
        if (!QuietHours.TryRead(device, out quiet, out string? problem))
        {
            if (problem is not null && _quietProblemsReported.TryAdd(device.Id, true))
            {
                Count("bad-quiet-hours");
                LogBadQuietHours(_logger, device.Id, problem);
            }

            return false;
        }

        return quiet.Contains(now, _time.LocalTimeZone);
    }

    private async Task<string?> SendAsync(EmergencyCall call, CommandKind kind, string reason)
    {
        if (!_layout.DevicesById.TryGetValue(call.Device, out DeviceDefinition? device))
        {
            LogDeviceGone(_logger, call.CallId, call.Device, CommandNames.NameOf(kind));
            return null;
        }

        try
        {
            CommandTicket ticket = await _commands.RequestAsync(new CommandRequest(device, kind, reason, CommandOrigin.LifeSafety, CallId: call.CallId)).ConfigureAwait(false);
            if (ticket.Id is { } id)
            {
                _lastCommands[(call.Id, kind)] = id;
            }

            return ticket.Id;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.IO.IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The command is registered before it is published, so the publisher's retries still try it; the call
            // point also repeats its call until it hears call-received.
            LogSendFailed(_logger, CommandNames.NameOf(kind), call.CallId, call.Device, ex);
            return null;
        }
    }

    private Task SendUnlessPendingAsync(EmergencyCall call, CommandKind kind, string reason) =>
        _lastCommands.TryGetValue((call.Id, kind), out string? last) && _commands.IsPending(last) ? Task.CompletedTask : SendAsync(call, kind, reason);

    private async Task ClearAlertAsync(EmergencyCall call, string by)
    {
        if (call.AlertId is { } alertId)
        {
            AlertChange change = await _alerts.ClearAsync(alertId, by).ConfigureAwait(false);
            if (change.Result == AlertChangeResult.NotFound)
            {
                LogAlertGone(_logger, alertId, call.CallId);
            }
        }
    }

    private Task AppendAsync(EmergencyCall call, string name, params (string Name, object? Value)[] details)
    {
        var payload = new Dictionary<string, object?>
        {
            ["call"] = call.CallId,
            ["device"] = call.Device,
            ["unit"] = call.Unit,
            ["building"] = call.Building,
            ["kind"] = EmergencyCall.NameOf(call.Kind),
        };
        foreach ((string key, object? value) in details)
        {
            if (value is not null)
            {
                payload[key] = value;
            }
        }

        return _log.AppendAsync(new EventRecord(_time.GetUtcNow(), call.Site, call.Building, call.Device, CallRecords.Channel, name, 0, 0,
            JsonSerializer.Serialize(payload, Json), EventLane.Priority));
    }

    private void Count(string category) => _refused.Count(category);

    /// <summary>The acknowledgement route of a call, as the API serves it.</summary>
    public static string CallbackPath(EmergencyCall call) => $"/calls/{Uri.EscapeDataString(call.Device)}/{Uri.EscapeDataString(call.CallId)}/ack";

    /// <summary>A call id as the point gave it: a string or a whole number, 1-32 characters of A-Z, a-z, 0-9, '.', '_', ':', '-'.</summary>
    public static bool IsValidCallId(string? id) =>
        id is { Length: > 0 and <= MaxCallIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');

    private static bool TryReadCallId(DeviceMessage message, out string callId, out string? problem)
    {
        callId = "";
        problem = null;
        if (!message.Body.TryGetProperty("call", out JsonElement value))
        {
            problem = "no \"call\" field";
            return false;
        }

        string? text = CallIdText(value);
        if (!IsValidCallId(text))
        {
            problem = $"\"call\" must be 1-{MaxCallIdLength} characters of A-Z, a-z, 0-9, '.', '_', ':', '-' or a whole number";
            return false;
        }

        callId = text!;
        return true;
    }

    private static string? CallIdText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out long number) => number.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static long? IdleMs(DeviceMessage message) =>
        message.Body.TryGetProperty("idleMs", out JsonElement idle) && idle.ValueKind == JsonValueKind.Number && idle.TryGetInt64(out long ms) && ms >= 0 ? ms : null;

    private sealed class ActiveCall(EmergencyCall call, long clockStart, DateTimeOffset lastSaved)
    {
        public EmergencyCall Call { get; set; } = call;

        /// <summary>The monotonic timestamp the escalation clock counts from (TimeProvider.GetTimestamp).</summary>
        public long ClockStart { get; set; } = clockStart;

        public DateTimeOffset LastSaved { get; set; } = lastSaved;
    }

    private sealed record CallbackInfo(
        [property: System.Text.Json.Serialization.JsonPropertyName("method")] string Method,
        [property: System.Text.Json.Serialization.JsonPropertyName("path")] string Path,
        [property: System.Text.Json.Serialization.JsonPropertyName("url")] string? Url,
        [property: System.Text.Json.Serialization.JsonPropertyName("token")] string Token);
}

/// <summary>How far an active call's escalation has run, the next step and when it is due (null when none is left, or while held).</summary>
public sealed record CallProgress(TimeSpan Elapsed, EscalationStep? Next, DateTimeOffset? NextAt);

public enum CallAckOutcome
{
    Acknowledged,

    /// <summary>Someone acknowledged it before; <see cref="CallAckResult.Call"/> says who and how.</summary>
    AlreadyAcknowledged,

    /// <summary>It was cancelled at the call point before anyone acknowledged it.</summary>
    AlreadyClosed,

    NotFound,

    /// <summary>A callback without the call's token.</summary>
    TokenMissing,

    /// <summary>A callback with a token that is not the call's.</summary>
    TokenWrong,

    /// <summary>The edge is stopping; nothing was stored.</summary>
    Unavailable,
}

public sealed record CallAckResult(CallAckOutcome Outcome, EmergencyCall? Call);
