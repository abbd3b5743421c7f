namespace SmartCommunity.Edge.Tests.Access;

using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Access;

/// <summary>The access audit trail (hardware-docs/access-control.md, "Audit"): what the doors decided, when, and the queries over it.</summary>
[TestClass]
public sealed class AccessAuditTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [TestMethod]
    public async Task AccessEvent_BufferedWhileOffline_RecordedWhenItHappenedNotWhenItArrived()
    {
        await using var rig = await StartedAsync();
        long decidedAtUp = rig.UptimeMs(AccessRig.Main);
        DateTimeOffset decided = rig.Time.GetUtcNow();
        rig.Time.Advance(TimeSpan.FromMinutes(7)); // the link was down; the door sends its buffer when it returns

        await rig.EventAsync(AccessRig.Main, AccessControl.AccessEvent,
            $"\"card\":\"5\",\"bits\":34,\"reader\":\"wiegand\",\"decision\":\"granted\",\"why\":\"allow-list\",\"offline\":true,\"at\":{decidedAtUp}");

        AccessAuditEntry entry = rig.Access.Audit(new AccessAuditQuery(null, "5", null, null, 10)).Single();
        Assert.AreEqual((decided, false, rig.Time.GetUtcNow()), (entry.At, entry.AtApproximate, entry.LoggedAt));
        Assert.AreEqual((AccessControl.AccessEvent, "granted", "allow-list"), (entry.Event, entry.Decision, entry.Why));
        JsonElement details = JsonDocument.Parse(entry.Details).RootElement;
        Assert.AreEqual((true, "wiegand", 34L), (details.GetProperty("offline").GetBoolean(), details.GetProperty("reader").GetString(), details.GetProperty("bits").GetInt64()));
        JsonElement logged = rig.Records(AccessControl.AccessEvent, AccessRig.Main).Single();
        Assert.AreEqual(decided, logged.GetProperty("at").GetDateTimeOffset(), "the event log's access record carries when it happened too");
        Assert.IsTrue(rig.Log.ReadRecent(100, AccessRig.Main).Any(e => e.Channel == Protocol.Channel.Event && e.Name == AccessControl.AccessEvent), "and the door's message itself, as it came");
    }

    [TestMethod]
    public async Task AccessEvent_AtFromAnEarlierBoot_ArrivalTimeMarkedApproximate()
    {
        await using var rig = await StartedAsync();

        await rig.EventAsync(AccessRig.Main, AccessControl.AccessEvent,
            $"\"card\":\"5\",\"bits\":26,\"reader\":\"wiegand\",\"decision\":\"denied\",\"why\":\"unknown-card\",\"offline\":true,\"at\":{rig.UptimeMs(AccessRig.Main) + 60_000}");

        AccessAuditEntry entry = rig.Access.Audit(new AccessAuditQuery(null, "5", null, null, 10)).Single();
        Assert.AreEqual((rig.Time.GetUtcNow(), true), (entry.At, entry.AtApproximate));
    }

    [TestMethod]
    public async Task DoorAlarmsAndBadFrames_AreInTheTrailWithoutACard()
    {
        await using var rig = await StartedAsync();

        await rig.EventAsync(AccessRig.Main, "door-forced");
        await rig.EventAsync(AccessRig.Main, "bad-frame", "\"reader\":\"wiegand\",\"why\":\"parity\"");

        CollectionAssert.AreEqual(new[] { "bad-frame:parity", "door-forced:" },
            rig.Access.Audit(new AccessAuditQuery(AccessRig.Main, null, null, null, 10)).Select(e => $"{e.Event}:{e.Why}").ToArray());
    }

    [TestMethod]
    public async Task Audit_ByDoorCardAndTime_NewestFirstAndLimited()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync("1", groups: [AccessRig.Residents]);
        await rig.CardAsync("2", groups: [AccessRig.Residents]);
        DateTimeOffset t0 = rig.Time.GetUtcNow();
        await rig.AccessRequestAsync(AccessRig.Main, "1", 1);        // t0
        rig.Time.Advance(Minute);
        await rig.AccessRequestAsync(AccessRig.GarageIn, "1", 1);    // t0 + 1
        rig.Time.Advance(Minute);
        await rig.AccessRequestAsync(AccessRig.Main, "2", 2);        // t0 + 2
        rig.Time.Advance(Minute);
        await rig.AccessRequestAsync(AccessRig.Main, "1", 3);        // t0 + 3

        string[] Query(string? door, string? card, DateTimeOffset? from, DateTimeOffset? to, int limit = 100) =>
            rig.Access.Audit(new AccessAuditQuery(door, card, from, to, limit)).Select(e => $"{e.Door}/{e.Card}/{(e.At - t0).TotalMinutes}").ToArray();

        CollectionAssert.AreEqual(new[] { "b1-main/1/3", "b1-main/2/2", "b1-main/1/0" }, Query(AccessRig.Main, null, null, null));
        CollectionAssert.AreEqual(new[] { "b1-main/1/3", "b1-garage-in/1/1", "b1-main/1/0" }, Query(null, "1", null, null));
        CollectionAssert.AreEqual(new[] { "b1-main/1/3" }, Query(AccessRig.Main, "1", t0 + Minute, null));
        CollectionAssert.AreEqual(new[] { "b1-main/2/2", "b1-garage-in/1/1" }, Query(null, null, t0 + Minute, t0 + (3 * Minute)), "from is inclusive, to exclusive");
        CollectionAssert.AreEqual(new[] { "b1-main/1/3", "b1-main/2/2" }, Query(null, null, null, null, limit: 2));
    }

    private static async Task<AccessRig> StartedAsync()
    {
        var rig = new AccessRig();
        await rig.StartAsync();
        return rig;
    }
}
