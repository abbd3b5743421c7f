namespace SmartCommunity.Edge.Access;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Protocol;

/// <summary>
/// Online decisions, passages and the audit trail (hardware-docs/access-control.md, "Online decisions",
/// "Anti-passback", "Audit").
/// </summary>
public sealed partial class AccessControl
{
    public const string UnknownCard = "unknown-card";
    public const string NotAllowedHere = "not-allowed-here";
    public const string BadCard = "bad-card";
    public const string AntiPassbackDenied = "anti-passback";
    public const string Valid = "valid";
    public const string ValidSoftViolation = "anti-passback-soft";

    // A door's "at" may lag the edge's grant by network delay; an opening reported as a little before the grant still counts.
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(1);

    /// <summary>
    /// What the edge answers <paramref name="card"/> at <paramref name="door"/> now: known, valid now, allowed at this
    /// door, and no anti-passback group of the door against it.
    /// </summary>
    public AccessDecision Decide(DeviceDefinition door, string card, DateTimeOffset now)
    {
        if (!_cards.TryGetValue(card, out AccessCard? known))
        {
            return new AccessDecision(false, UnknownCard);
        }

        if (known.WhyInvalidAt(now) is { } invalid)
        {
            return new AccessDecision(false, invalid);
        }

        if (!known.Opens(door.Id, door.Groups))
        {
            return new AccessDecision(false, NotAllowedHere);
        }

        AntiPassbackVerdict? soft = null;
        foreach (DoorGroup group in door.Groups.Select(_layout.FindDoorGroup).OfType<DoorGroup>().Where(g => g.AntiPassback != AntiPassbackMode.None))
        {
            if (AntiPassback.Check(group, door, _passback.GetValueOrDefault((group.Id, card)), now) is not { } verdict)
            {
                continue;
            }

            if (group.AntiPassback != AntiPassbackMode.Soft)
            {
                return new AccessDecision(false, AntiPassbackDenied, group.Id, verdict);
            }

            soft ??= verdict;
        }

        return soft is null ? new AccessDecision(true, Valid) : new AccessDecision(true, ValidSoftViolation, soft.Group, soft);
    }

    /// <summary>
    /// Null when resident card <paramref name="card"/> (normalised) is known, valid at <paramref name="now"/> and names
    /// <paramref name="device"/> (a door or a barrier) or one of its groups; otherwise why not (<see cref="UnknownCard"/>,
    /// <see cref="AccessCard.Expired"/>, <see cref="AccessCard.NotYetValid"/>, <see cref="NotAllowedHere"/>). No
    /// anti-passback: parking's entry decisions use this (hardware-docs/parking.md).
    /// </summary>
    public string? WhyCardRefused(DeviceDefinition device, string card, DateTimeOffset now) =>
        !_cards.TryGetValue(card, out AccessCard? known) ? UnknownCard
        : known.WhyInvalidAt(now) ?? (known.Opens(device.Id, device.Groups) ? null : NotAllowedHere);

    private async Task DecideAsync(DeviceDefinition door, DeviceMessage message)
    {
        if (!message.Body.TryGetProperty("req", out JsonElement reqElement) || reqElement.ValueKind != JsonValueKind.Number
            || !reqElement.TryGetInt64(out long req) || req < 1)
        {
            // Without its number the door could not match the answer: it decides on its own after its wait.
            Count("access-request-without-req");
            LogBadAccessMessage(_logger, door.Id, AccessRequestEvent, "no request number \"req\" (a whole number from 1)");
            return;
        }

        DateTimeOffset now = _time.GetUtcNow();
        string? rawCard = message.StringField("card");
        AccessDecision decision;
        string? card = null;
        if (CardNumber.TryNormalize(rawCard, out string normalized))
        {
            card = normalized;
            decision = Decide(door, card, now);
        }
        else
        {
            Count("access-request-bad-card");
            LogBadAccessMessage(_logger, door.Id, AccessRequestEvent, $"card '{rawCard}' is not 1-{CardNumber.MaxDigits} decimal digits");
            decision = new AccessDecision(false, BadCard);
        }

        // The door waits (onlineWaitMs) for this answer: it goes out before anything is written.
        CommandTicket ticket = await _commands.RequestAsync(new CommandRequest(door, decision.Granted ? CommandKind.Grant : CommandKind.Deny, decision.Why,
            CommandOrigin.Rule, Actor, Fields: [new("req", req)])).ConfigureAwait(false);
        if (decision.Granted && card is not null)
        {
            SetGrant(door, card, now, "edge");
        }

        LogDecision(_logger, door.Id, card ?? "?", decision.Granted ? Granted : Denied, decision.Why);
        await RecordAsync(door, now, false, card, DecisionEntry, decision.Granted ? Granted : Denied, decision.Why, new
        {
            req,
            reader = message.StringField("reader"),
            bits = Number(message, "bits"),
            rawCard = card is null ? rawCard : null,
            group = decision.Group,
            command = ticket.Id,
            refused = ticket.RefusedBecause,
        }).ConfigureAwait(false);
        if (decision.Violation is { } violation && card is not null)
        {
            await RecordAsync(door, now, false, card, AntiPassbackEntry, decision.Granted ? Granted : Denied, violation.Problem, new
            {
                group = violation.Group,
                mode = violation.Mode,
                lastDoor = violation.Last.Door,
                lastDirection = violation.Last.Direction,
                lastAt = violation.Last.At,
            }).ConfigureAwait(false);
        }
    }

    // The door's own decision, online or offline, reported with when it was made (its "at").
    private async Task RecordDoorDecisionAsync(DeviceDefinition door, DeviceMessage message)
    {
        (DateTimeOffset at, bool approximate) = HappenedAt(message);
        string? rawCard = message.StringField("card");
        string? card = CardNumber.TryNormalize(rawCard, out string normalized) ? normalized : null;
        string? decision = message.StringField("decision");
        string? why = message.StringField("why");
        if (card is null || decision is not (Granted or Denied))
        {
            Count("access-event-unreadable");
            LogBadAccessMessage(_logger, door.Id, AccessEvent, $"card '{rawCard}' or decision '{decision}' is not as the access contract has it; recorded as it came");
        }

        // A door released for a fire lets anyone through: that is logged, and it is not a grant for anti-passback.
        if (decision == Granted && why != "fire-released" && card is not null)
        {
            SetGrant(door, card, at, why ?? "door");
        }

        await RecordAsync(door, at, approximate, card, AccessEvent, decision, why, new
        {
            reader = message.StringField("reader"),
            bits = Number(message, "bits"),
            offline = message.Body.TryGetProperty("offline", out JsonElement offline) && offline.ValueKind == JsonValueKind.True,
            req = Number(message, "req"),
            rawCard = card is null ? rawCard : null,
            seq = message.Sequence,
            boot = message.Boot,
        }).ConfigureAwait(false);
    }

    // A passage counts only when the door contact confirms it: door-opened within the door's unlock time (plus a
    // margin) of a grant at that door. Anything else that opens the door (REX, a key, force) moves no card.
    private async Task ConfirmPassageAsync(DeviceDefinition door, DeviceMessage message)
    {
        (DateTimeOffset at, _) = HappenedAt(message);
        DoorState state = State(door.Id);
        PendingGrant? grant;
        lock (state.GrantLock)
        {
            grant = state.Grant;
            state.Grant = null;
        }

        TimeSpan window = PassageWindow(door);
        if (grant is null || at < grant.At - ClockTolerance || at - grant.At > window)
        {
            return;
        }

        var groups = new List<string>();
        foreach (DoorGroup group in door.Groups.Select(_layout.FindDoorGroup).OfType<DoorGroup>().Where(g => g.AntiPassback != AntiPassbackMode.None))
        {
            var position = new PassbackState(group.Id, grant.Card, door.Direction ?? "", door.Id, at);
            _passback[(group.Id, grant.Card)] = position;
            _store.SavePassback(position);
            groups.Add(group.Id);
        }

        await RecordAsync(door, at, false, grant.Card, PassageEntry, null, null, new { direction = door.Direction, groups, grantedAt = grant.At, grantedBy = grant.By })
            .ConfigureAwait(false);
    }

    /// <summary>How long after a grant the door's opening still confirms the passage: its unlock time plus <see cref="AccessOptions.PassageSlack"/>.</summary>
    public TimeSpan PassageWindow(DeviceDefinition door) =>
        TimeSpan.FromMilliseconds(door.Parameter("unlockMs", _options.DefaultUnlockMs)) + _options.PassageSlack;

    private static void SetGrant(DoorState state, string card, DateTimeOffset at, string by)
    {
        lock (state.GrantLock)
        {
            state.Grant = new PendingGrant(card, at, by);
        }
    }

    private void SetGrant(DeviceDefinition door, string card, DateTimeOffset at, string by) => SetGrant(State(door.Id), card, at, by);

    /// <summary>
    /// When a door's event happened: its "at" is the door's uptime at the time, and the message's "up" its uptime when
    /// sent, so an event the door held while offline is placed when it happened, not when it arrived. Without a usable
    /// "at" (none, or from an earlier boot) the arrival time stands, marked approximate when an "at" was there.
    /// </summary>
    private (DateTimeOffset At, bool Approximate) HappenedAt(DeviceMessage message)
    {
        DateTimeOffset arrived = _time.GetUtcNow();
        if (!message.Body.TryGetProperty("at", out JsonElement atElement))
        {
            return (arrived, false);
        }

        return atElement.ValueKind == JsonValueKind.Number && atElement.TryGetInt64(out long at) && at >= 0 && at <= message.UptimeMs
            ? (arrived - TimeSpan.FromMilliseconds(message.UptimeMs - at), false)
            : (arrived, true);
    }

    private static long? Number(DeviceMessage message, string name) =>
        message.Body.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out long value) ? value : null;

    /// <summary>One audit entry: in the queryable table and in the event log (channel <see cref="Channel"/>, priority lane).</summary>
    private async Task RecordAsync(DeviceDefinition door, DateTimeOffset at, bool approximate, string? card, string name, string? decision, string? why, object details)
    {
        DateTimeOffset now = _time.GetUtcNow();
        string detailsJson = JsonSerializer.Serialize(details, Json);
        _store.InsertAudit(new AccessAuditEntry(0, at, approximate, now, door.Id, card, name, decision, why, detailsJson));
        var payload = new Dictionary<string, object?>
        {
            ["at"] = at,
            ["approximate"] = approximate ? true : null,
            ["card"] = card,
            ["decision"] = decision,
            ["why"] = why,
        };
        using (JsonDocument document = JsonDocument.Parse(detailsJson))
        {
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                payload[property.Name] = property.Value.Clone();
            }
        }

        await _log.AppendAsync(new EventRecord(now, door.Site, door.Building, door.Id, Channel, name, 0, 0, JsonSerializer.Serialize(payload, Json), EventLane.Priority))
            .ConfigureAwait(false);
    }
}
