namespace SmartCommunity.Simulator.Scenarios.Expectations;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using SmartCommunity.Edge.Access;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Simulation.Devices;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// Expectations of access control: the edge's audit trail (what GET /access/events shows), a door controller's own
/// allow-list against the list the edge wants it to hold, and whether a door is physically locked, whatever its lock's
/// polarity (a fail-secure strike is locked when de-energised).
/// </summary>
public static class AccessExpectations
{
    /// <summary>What the audit trail calls its entries (hardware-docs/access-control.md, "Audit").</summary>
    public static readonly string[] AuditEvents =
    [
        AccessControl.AccessEvent, AccessControl.DecisionEntry, AccessControl.PassageEntry, AccessControl.AntiPassbackEntry,
        "door-forced", "door-forced-cleared", "door-held", "door-held-cleared", "bad-frame", "link-lost", "link-restored",
    ];

    private const string EdgeStopped = EdgeLogEvaluator.EdgeStopped;

    public static void AddTo(ExpectationRegistry registry)
    {
        registry.Add(new ExpectationKind("access",
            "access: { door?, card?, event?: access|decision|passage|anti-passback|door-forced|door-held|bad-frame|..., decision?: granted|denied, why?, offline?, atLeast?: 1 } the edge's audit trail (GET /access/events) holds such entries logged since the step",
            ExpectationModes.Eventually, ["door", "card", "event", "decision", "why", "offline", "atLeast"], BindAccess));
        registry.Add(new ExpectationKind("allow-list",
            "allow-list: { devices, synced?: true, count?, full?, has?: CARD, lacks?: CARD } the door controller's own allow-list; synced: its version is the one the edge wants it to hold",
            ExpectationModes.Both, ["devices", "synced", "count", "full", "has", "lacks"], BindAllowList));
        registry.Add(new ExpectationKind("lock",
            "lock: { devices, is: locked|unlocked } whether the door's lock holds, from its output and lock mode (fail-safe: energised = locked; fail-secure: de-energised = locked)",
            ExpectationModes.Both, ["devices", "is"], BindLock));
    }

    private static string? IsLockDoor(DeviceDefinition device) =>
        device.Kind != DeviceKinds.Door ? "is not a door"
        : device.Role == DeviceKinds.RoleHoldOpen ? "is a hold-open magnet: it has no lock"
        : null;

    private static IExpectationCheck BindAccess(ScenarioArguments a)
    {
        string? door = a.Has("door") ? a.Device("door", IsLockDoor).Id : null;
        string? card = null;
        if (a.Has("card"))
        {
            string text = a.Text("card");
            card = CardNumber.TryNormalize(text, out string number) ? number : throw a.Error("card", $"card '{text}' must be 1-{CardNumber.MaxDigits} decimal digits");
        }

        string? name = a.OptionalOneOf("event", AuditEvents);
        string? decision = a.OptionalOneOf("decision", AccessControl.Granted, AccessControl.Denied);
        string? why = a.OptionalText("why");
        bool? offline = a.OptionalBoolean("offline");
        int atLeast = (int)(a.OptionalInteger("atLeast", 1, 10_000) ?? 1);
        if (door is null && card is null && name is null)
        {
            throw a.Error("say which entries: door, card or event (or several)");
        }

        string what = string.Join(" ", new[]
        {
            atLeast == 1 ? "an entry" : $"{atLeast} entries",
            name is null ? null : $"'{name}'",
            door is null ? null : $"at {door}",
            card is null ? null : $"for card {card}",
            decision is null ? null : decision,
            why is null ? null : $"why {why}",
            offline is null ? null : offline.Value ? "decided offline" : "decided online",
        }.Where(p => p is not null));
        // The trail is written before the event log commits; look again only when something was committed.
        return new ExpectationCheck($"the access audit trail holds {what}", (_, window) => EdgeLogEvaluator.WhenCommitted(edge =>
        {
            IReadOnlyList<AccessAuditEntry> entries = edge.Access.Audit(new AccessAuditQuery(door, card, null, null, AccessOptions.MaxAuditLimit))
                .Where(e => e.LoggedAt >= window.StartWall).ToList();
            int count = entries.Count(e => (name is null || e.Event == name) && (decision is null || e.Decision == decision)
                && (why is null || e.Why == why) && (offline is null || Offline(e) == offline));
            return count >= atLeast
                ? new Observation(true, $"{count} found")
                : new Observation(false, entries.Count == 0
                    ? "no entry logged since the step"
                    : $"{count} matching; logged since the step: {string.Join("; ", entries.Take(5).Select(Describe))}");
        }));
    }

    private static bool Offline(AccessAuditEntry entry)
    {
        using JsonDocument details = JsonDocument.Parse(entry.Details);
        return details.RootElement.TryGetProperty("offline", out JsonElement offline) && offline.ValueKind == JsonValueKind.True;
    }

    private static string Describe(AccessAuditEntry e) =>
        string.Join(" ", new[] { e.Event, e.Door, e.Card, e.Decision, e.Why, Offline(e) ? "offline" : null }.Where(p => p is not null));

    private static IExpectationCheck BindAllowList(ScenarioArguments a)
    {
        IReadOnlyList<DeviceDefinition> doors = a.Devices("devices", IsLockDoor);
        bool? synced = a.OptionalBoolean("synced");
        long? count = a.OptionalInteger("count", 0, 100_000);
        bool? full = a.OptionalBoolean("full");
        ulong? has = Card(a, "has");
        ulong? lacks = Card(a, "lacks");
        if (synced is null && count is null && full is null && has is null && lacks is null)
        {
            throw a.Error("say what the list must show: synced, count, full, has or lacks");
        }

        string what = string.Join(", ", new[]
        {
            synced is null ? null : synced.Value ? "at the edge's version" : "not at the edge's version",
            count is null ? null : $"{count} entries",
            full is null ? null : full.Value ? "full" : "not full",
            has is null ? null : $"holds {has}",
            lacks is null ? null : $"lacks {lacks}",
        }.Where(p => p is not null));
        return ExpectationCheck.Stateless($"the allow-list of {DeviceExpectations.Names(doors)}: {what}", (world, _, _) =>
        {
            if (synced is not null && world.Edge is null)
            {
                return new Observation(false, EdgeStopped);
            }

            var wrong = new List<string>();
            foreach (DeviceDefinition door in doors)
            {
                SmartCommunity.Firmware.Devices.DoorController.AllowList list = ((DoorController)world.Device(door.Id).Firmware).AllowList;
                long? target = world.Edge?.Access.DoorStatus(door.Id)?.TargetVersion;
                bool atTarget = target is { } t && t > 0 && list.Version == t;
                bool fits = (synced is null || atTarget == synced) && (count is null || list.Count == count) && (full is null || list.IsFull == full)
                    && (has is null || list.TryFind(has.Value, out _, out _)) && (lacks is null || !list.TryFind(lacks.Value, out _, out _));
                if (!fits)
                {
                    wrong.Add($"{door.Id} holds v{list.Version} ({list.Count} entries{(list.IsFull ? ", full" : "")}), the edge wants v{target?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}");
                }
            }

            return wrong.Count == 0 ? new Observation(true, what) : new Observation(false, string.Join("; ", wrong));
        });
    }

    private static ulong? Card(ScenarioArguments a, string key)
    {
        if (!a.Has(key))
        {
            return null;
        }

        string text = a.Text(key);
        return ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong card)
            ? card
            : throw a.Error(key, $"card '{text}' must be 1-{CardNumber.MaxDigits} decimal digits");
    }

    private static IExpectationCheck BindLock(ScenarioArguments a)
    {
        IReadOnlyList<DeviceDefinition> doors = a.Devices("devices", IsLockDoor);
        bool locked = a.OneOf("is", "locked", "unlocked") == "locked";
        return ExpectationCheck.Stateless($"{DeviceExpectations.Names(doors)}: {(locked ? "locked" : "unlocked")}", (world, _, _) =>
        {
            string[] wrong = doors.Where(d => IsLocked(world, d) != locked).Select(d => d.Id).ToArray();
            if (wrong.Length > 0)
            {
                return new Observation(false, $"{string.Join(", ", wrong)} {(wrong.Length == 1 ? "is" : "are")} {(locked ? "unlocked" : "locked")}");
            }

            long? since = doors.Select(d => world.Recorder.LastOutputChange(d.Id, "lock")?.RealTimestamp).Max();
            return new Observation(true, locked ? "all locked" : "all unlocked", since);
        });
    }

    // The lock's physics: a fail-safe lock holds while powered, a fail-secure strike while unpowered (the layout's
    // lockMode says which hardware is fitted).
    private static bool IsLocked(ScenarioWorld world, DeviceDefinition door)
    {
        bool energised = world.Device(door.Id).DoorOutput!.Energised;
        return FirmwareSettings.Door(door).LockMode == LockMode.FailSecure ? !energised : energised;
    }
}
