namespace SmartCommunity.Edge.Access;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Protocol;

/// <summary>
/// Allow-list sync (hardware-docs/access-control.md, "Sync"). Each door has a target version; when what the door
/// reports differs, the edge sends a delta from the door's version if it still keeps that version's content and the
/// change fits one command, else the full list in parts, one part after the previous one's ack. A version-mismatch
/// answer to a delta brings the full list; a full list refused that way is sent again up to
/// <see cref="AccessOptions.MaxFullAttempts"/> times. list-full (and a door that does not know the command) stops the
/// sync until the list changes again, with an alert naming the door.
/// </summary>
public sealed partial class AccessControl
{
    private async Task OnOnlineAsync(DeviceDefinition door, DeviceMessage message)
    {
        DoorState state = State(door.Id);
        await state.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            if (state.Session is { } session)
            {
                // The door reconnected, maybe restarted: whatever the sync had sent may be lost. Start over from what it
                // reports; a command of the old sync that still arrives is answered and ignored.
                state.Session = null;
                Result(state, $"sync of v{session.Version} abandoned: the door reconnected");
            }

            // A door that restarted has no clock until an allow-list command tells it the time; a list with validity
            // windows needs one, so it gets a new version with the same cards (an empty delta carrying "now").
            if (state.Target > 0 && state.Reported == state.Target && state.List.HasWindows && message.Boot != state.TimeGivenInBoot && state.Blocked != state.Target)
            {
                await NewVersionAsync(state, door, state.List, "the door restarted and needs the time for its validity windows").ConfigureAwait(false);
            }

            await SyncLockedAsync(state, door).ConfigureAwait(false);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task OnStateAsync(DeviceDefinition door, DeviceMessage message)
    {
        long? reported = message.Body.TryGetProperty("listVersion", out JsonElement version) && version.ValueKind == JsonValueKind.Number && version.TryGetInt64(out long v) ? v : null;
        bool? full = message.Body.TryGetProperty("listFull", out JsonElement listFull) && listFull.ValueKind is JsonValueKind.True or JsonValueKind.False ? listFull.GetBoolean() : null;
        if (reported is null && full is null)
        {
            return; // a door without access control (or firmware from before it) says nothing about lists
        }

        DoorState state = State(door.Id);
        await state.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            state.ListFull = full ?? state.ListFull;
            if (reported is long r)
            {
                state.Reported = r;
                await SyncLockedAsync(state, door).ConfigureAwait(false);
            }
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task OnAckAsync(DeviceDefinition door, DeviceMessage message)
    {
        // Taken even when no sync seems to wait for this id: the ack can overtake the sending path, which assigns the
        // id only once the publisher returns, and waiting for the gate lets it finish first.
        string? id = message.StringField("id");
        DoorState state = State(door.Id);
        if (id is null || state.Session is null || message.StringField("cmd") is { } cmd && cmd != CommandNames.AllowList)
        {
            return;
        }

        await state.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed || state.Session is not { } session || session.CommandId != id)
            {
                return;
            }

            if (message.StringField("result") == CommandNames.ResultDone)
            {
                state.TimeGivenInBoot = message.Boot;
                if (session.IsFull && session.Next + 1 < session.Parts.Count)
                {
                    session.Next++;
                    await SendAsync(state, door, session, PartRequest(door, session)).ConfigureAwait(false);
                    return;
                }

                state.Session = null;
                state.Reported = session.Version;
                state.FullFailures = 0;
                Result(state, session.IsFull ? $"v{session.Version} sent in full ({session.Parts.Count} parts)" : $"v{session.Version} sent as a delta from v{session.BaseVersion}");
                LogSynced(_logger, door.Id, session.Version, session.IsFull ? CommandNames.ListOpFull : CommandNames.ListOpDelta);
                await LogAsync(door, "allow-list-synced", new
                {
                    version = session.Version,
                    op = session.IsFull ? CommandNames.ListOpFull : CommandNames.ListOpDelta,
                    @base = session.IsFull ? (long?)null : session.BaseVersion,
                    parts = session.IsFull ? session.Parts.Count : 1,
                    entries = state.List.Count,
                }).ConfigureAwait(false);

                // The cards may have changed while the sync ran.
                await SyncLockedAsync(state, door).ConfigureAwait(false);
                return;
            }

            state.Session = null;
            await OnRejectedAsync(state, door, session, message.StringField("reason") ?? "unknown").ConfigureAwait(false);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task OnRejectedAsync(DoorState state, DeviceDefinition door, Sync session, string reason)
    {
        LogSyncRejected(_logger, door.Id, session.Version, reason);
        await LogAsync(door, "allow-list-rejected", new { version = session.Version, op = session.IsFull ? CommandNames.ListOpFull : CommandNames.ListOpDelta, reason })
            .ConfigureAwait(false);
        switch (reason)
        {
            case "version-mismatch" when !session.IsFull:
                // The door does not hold the version the delta was for: it gets everything.
                Result(state, $"delta to v{session.Version} refused (version-mismatch); sending the full list");
                await StartFullAsync(state, door).ConfigureAwait(false);
                break;

            case "version-mismatch" when ++state.FullFailures < _options.MaxFullAttempts:
                Result(state, $"full list v{session.Version} refused (version-mismatch, attempt {state.FullFailures}); sending it again");
                await StartFullAsync(state, door).ConfigureAwait(false);
                break;

            case "list-full":
                state.Blocked = session.Version;
                state.ListFull = true;
                Result(state, $"v{session.Version} does not fit the door's table (list-full); the door keeps the cards it had");
                await RaiseAsync(ListFullAlert, door,
                    $"door {door.Id}'s allow-list is full: v{session.Version} has {state.List.Count} cards, more than the controller holds "
                    + $"(layout param allowListCapacity); it keeps the cards it had and new cards only open it while the edge answers")
                    .ConfigureAwait(false);
                break;

            case "expired":
                // Stale on the door's clock (e.g. it restarted meanwhile): its next report starts a fresh sync.
                Result(state, $"v{session.Version} arrived too late (expired); retried when the door next reports");
                break;

            default:
                state.Blocked = session.Version;
                Result(state, $"v{session.Version} refused ({reason}); not retried until the list changes");
                await RaiseAsync(SyncFailedAlert, door,
                    $"door {door.Id} refuses its allow-list v{session.Version} ({reason}); check the controller's firmware supports access control")
                    .ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Starts a sync if the door needs one and none runs. Under the door's gate.</summary>
    private async Task SyncLockedAsync(DoorState state, DeviceDefinition door)
    {
        if (state.Session is { CommandId: { } sent } stalled && IsLost(sent))
        {
            state.Session = null;
            Result(state, $"sync of v{stalled.Version} got no ack; starting again");
        }

        if (state.Session is not null || _twins.Find(door.Id) is not { Online: true })
        {
            return;
        }

        if (state.Reported is long ahead && ahead > state.Target)
        {
            // The door holds a version newer than any this edge made (its database was replaced): versions must keep
            // growing, so the edge's list gets a number above the door's.
            await NewVersionAsync(state, door, state.List, $"the door reports v{ahead}, above the edge's v{state.Target}").ConfigureAwait(false);
        }

        if (state.Target == 0 || state.Reported == state.Target || state.Blocked == state.Target)
        {
            return;
        }

        if (state.Reported is long baseVersion && baseVersion > 0 && _store.FindList(door.Id, baseVersion) is { } held)
        {
            if (AllowListCommands.Delta(door, baseVersion, state.Target, state.List.DeltaFrom(held), NowSeconds) is { } delta)
            {
                var session = new Sync { IsFull = false, Version = state.Target, BaseVersion = baseVersion, Delta = delta };
                state.Session = session;
                await SendAsync(state, door, session, delta).ConfigureAwait(false);
                return;
            }
        }

        await StartFullAsync(state, door).ConfigureAwait(false);
    }

    private async Task StartFullAsync(DoorState state, DeviceDefinition door)
    {
        var session = new Sync { IsFull = true, Version = state.Target, Parts = AllowListCommands.PlanFull(door, state.Target, state.List, NowSeconds) };
        state.Session = session;
        await SendAsync(state, door, session, PartRequest(door, session)).ConfigureAwait(false);
    }

    // "now" is the time the part leaves, not the time the sync was planned.
    private CommandRequest PartRequest(DeviceDefinition door, Sync session) =>
        AllowListCommands.Full(door, session.Version, session.Next + 1, session.Parts.Count, session.Parts[session.Next], NowSeconds);

    private async Task SendAsync(DoorState state, DeviceDefinition door, Sync session, CommandRequest request)
    {
        try
        {
            CommandTicket ticket = await _commands.RequestAsync(request).ConfigureAwait(false);
            if (ticket.Accepted)
            {
                session.CommandId = ticket.Id;
                return;
            }

            state.Session = null;
            Result(state, $"v{session.Version} not sent: {ticket.RefusedBecause}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The broker is going away; the door's next report after it comes back starts again.
            state.Session = null;
            Result(state, $"v{session.Version} could not be sent ({ex.Message})");
            LogSendFailed(_logger, door.Id, ex);
        }
    }

    /// <summary>Stores <paramref name="list"/> as the door's next version and shows it in the door's twin. Under the door's gate.</summary>
    private async Task NewVersionAsync(DoorState state, DeviceDefinition door, AllowList list, string why)
    {
        long version = Math.Max(state.Target, state.Reported ?? 0) + 1;
        _store.InsertList(door.Id, version, list, _time.GetUtcNow(), _options.KeptVersions);
        state.Target = version;
        state.List = list;
        state.FullFailures = 0;
        if (_twins.Find(door.Id) is { } twin)
        {
            twin.ListTarget = version;
        }

        LogNewVersion(_logger, door.Id, version, list.Count, why);
        await LogAsync(door, "allow-list-changed", new { version, entries = list.Count, why }).ConfigureAwait(false);
    }

    private void Result(DoorState state, string text)
    {
        state.LastResult = text;
        state.LastResultAt = _time.GetUtcNow();
    }

    private async Task RaiseAsync(string rule, DeviceDefinition door, string text)
    {
        if (_alerts is not null)
        {
            await _alerts.RaiseAsync(rule, AlertSeverity.Warning, text, door.Id, door.Building).ConfigureAwait(false);
        }
    }

    /// <summary>An access record of the edge's own in the event log (channel <see cref="Channel"/>, priority lane).</summary>
    private Task LogAsync(DeviceDefinition door, string name, object details) =>
        _log.AppendAsync(new EventRecord(_time.GetUtcNow(), door.Site, door.Building, door.Id, Channel, name, 0, 0, JsonSerializer.Serialize(details, Json), EventLane.Priority));
}
