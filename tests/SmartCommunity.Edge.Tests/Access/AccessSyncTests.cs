namespace SmartCommunity.Edge.Tests.Access;

using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Access;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Twins;
using SmartCommunity.Protocol;

/// <summary>Allow-list sync between the edge and a door controller (hardware-docs/access-control.md, "Sync").</summary>
[TestClass]
public sealed class AccessSyncTests
{
    [TestMethod]
    public async Task CardSaved_DoorOnline_DoorGetsTheFullListItsDecoderAccepts()
    {
        await using var rig = await StartedAsync();
        await rig.OnlineAsync(AccessRig.Main);
        await rig.StateAsync(AccessRig.Main, 0);
        Assert.IsEmpty(rig.Sent(AccessRig.Main), "no card yet, nothing to send");
        var table = new DoorTable();

        await rig.CardAsync("4001", groups: [AccessRig.Residents]);
        DoorTable.Applied full = (await rig.AnswerAllowListsAsync(AccessRig.Main, table)).Single();

        Assert.AreEqual((true, 1L, 1L, 1L, "4001:0:0"), (full.FullList, full.Version, full.Part, full.Parts, full.Add));
        Assert.AreEqual((1L, "4001:0:0"), (table.Version, table.Text));
        Assert.AreEqual(rig.Time.GetUtcNow().ToUnixTimeSeconds(), table.Now, "the edge's wall clock travels with the list");
        Assert.AreEqual(1L, rig.Twins.Find(AccessRig.Main)!.Snapshot().ListTarget);
        await rig.StateAsync(AccessRig.Main, 1);
        TwinSnapshot twin = rig.Twins.Find(AccessRig.Main)!.Snapshot();
        Assert.AreEqual((1L, 1L), (twin.ListVersion, twin.ListTarget), "the twin shows what the door holds and what the edge wants");
        Assert.AreEqual(1, rig.Records("allow-list-synced", AccessRig.Main).Count);
        Assert.IsEmpty(rig.Sent(AccessRig.GymIn), "a door the card does not open gets nothing");
    }

    [TestMethod]
    public async Task Sync_ManyCards_FullListInPartsUnder384BytesEachSentAfterThePreviousAck()
    {
        await using var rig = await StartedAsync();
        for (int i = 0; i < 60; i++)
        {
            await rig.CardAsync((18_446_744_073_709_000_000UL + (ulong)i).ToString(System.Globalization.CultureInfo.InvariantCulture), groups: [AccessRig.Residents],
                from: AccessRig.Start.AddDays(-1), to: AccessRig.Start.AddDays(365));
        }

        await rig.OnlineAsync(AccessRig.Main);

        Assert.HasCount(1, rig.Sent(AccessRig.Main, CommandNames.AllowList), "part 2 waits for part 1's ack");
        var table = new DoorTable();
        var parts = (await rig.AnswerAllowListsAsync(AccessRig.Main, table)).ToList();

        Assert.IsGreaterThan(5, parts.Count);
        CollectionAssert.AreEqual(Enumerable.Range(1, parts.Count).Select(p => (long)p).ToArray(), parts.Select(p => p.Part).ToArray(), "parts go in order");
        Assert.IsTrue(parts.All(p => p.Parts == parts.Count && p.Version == parts[0].Version && p.Reason is null));
        Assert.IsTrue(rig.Sent(AccessRig.Main).All(p => p.Payload.Length <= MessageLimits.MaxDownlinkBytes),
            "every published command fits: " + string.Join(", ", rig.Sent(AccessRig.Main).Select(p => p.Payload.Length)));
        Assert.AreEqual(rig.Access.CurrentList(AccessRig.Main)!.Text, table.Text, "the door holds exactly the edge's list");
        Assert.AreEqual(60, table.Entries.Count);
        Assert.AreEqual(parts[0].Version, table.Version);
        Assert.AreEqual(table.Version, rig.Access.DoorStatus(AccessRig.Main)!.ReportedVersion);
    }

    [TestMethod]
    public async Task Sync_DoorHoldsAVersionTheEdgeKeeps_GetsOnlyTheDelta()
    {
        await using var rig = await StartedAsync();
        var table = await SyncedDoorAsync(rig, "1", "2");

        await rig.CardAsync("3", doors: [AccessRig.Main]);
        DoorTable.Applied added = (await rig.AnswerAllowListsAsync(AccessRig.Main, table)).Single();
        await rig.Access.DeleteCardAsync("1", "alice");
        DoorTable.Applied removed = (await rig.AnswerAllowListsAsync(AccessRig.Main, table)).Single();
        await rig.CardAsync("2", doors: [AccessRig.Main], to: AccessRig.Start.AddDays(2));
        DoorTable.Applied changed = (await rig.AnswerAllowListsAsync(AccessRig.Main, table)).Single();

        Assert.AreEqual((false, 2L, 3L, "3:0:0", ""), (added.FullList, added.Base, added.Version, added.Add, added.Remove));
        Assert.AreEqual((false, 3L, 4L, "", "1"), (removed.FullList, removed.Base, removed.Version, removed.Add, removed.Remove));
        Assert.AreEqual((4L, 5L, $"2:0:{AccessRig.Start.AddDays(2).ToUnixTimeSeconds()}"), (changed.Base, changed.Version, changed.Add));
        Assert.AreEqual(rig.Access.CurrentList(AccessRig.Main)!.Text, table.Text);
        Assert.AreEqual(5L, table.Version);
    }

    [TestMethod]
    public async Task Sync_DoorReportsAVersionTheEdgeNoLongerKeeps_GetsTheFullList()
    {
        await using var rig = await StartedAsync(new AccessOptions { KeptVersions = 2 });
        var table = await SyncedDoorAsync(rig, "1");
        await rig.OfflineAsync(AccessRig.Main);

        await rig.CardAsync("2", doors: [AccessRig.Main]);
        await rig.CardAsync("3", doors: [AccessRig.Main]);
        await rig.CardAsync("4", doors: [AccessRig.Main]);
        Assert.AreEqual(1, rig.Sent(AccessRig.Main, CommandNames.AllowList).Count, "nothing goes to a door that is offline");
        await rig.OnlineAsync(AccessRig.Main);
        DoorTable.Applied sent = (await rig.AnswerAllowListsAsync(AccessRig.Main, table)).Single();

        Assert.IsTrue(sent.FullList, "v1 is no longer kept, so no delta can start from it");
        Assert.AreEqual((4L, "1:0:0;2:0:0;3:0:0;4:0:0"), (table.Version, table.Text));
    }

    [TestMethod]
    public async Task Sync_DeltaRefusedWithVersionMismatch_SendsTheFullList()
    {
        await using var rig = await StartedAsync();
        DoorTable held = await SyncedDoorAsync(rig, "1");
        var wiped = new DoorTable(); // the controller lost its table, but the edge still believes it holds v1
        wiped.Answered.UnionWith(held.Answered);

        await rig.CardAsync("2", doors: [AccessRig.Main]);
        var answered = (await rig.AnswerAllowListsAsync(AccessRig.Main, wiped)).ToList();

        Assert.AreEqual((false, "version-mismatch"), (answered[0].FullList, answered[0].Reason));
        Assert.AreEqual((true, (string?)null), (answered[1].FullList, answered[1].Reason));
        Assert.AreEqual((2L, "1:0:0;2:0:0"), (wiped.Version, wiped.Text));
        Assert.AreEqual("version-mismatch", rig.Records("allow-list-rejected", AccessRig.Main).Single().GetProperty("reason").GetString());
    }

    [TestMethod]
    public async Task Sync_ListDoesNotFit_AlertNamesTheDoorAndTheEdgeStopsUntilTheListChanges()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync("1", doors: [AccessRig.Main]);
        await rig.CardAsync("2", doors: [AccessRig.Main]);
        await rig.CardAsync("3", doors: [AccessRig.Main]);
        var small = new DoorTable(capacity: 2);
        await rig.OnlineAsync(AccessRig.Main);

        DoorTable.Applied refused = (await rig.AnswerAllowListsAsync(AccessRig.Main, small)).Single();
        await rig.StateAsync(AccessRig.Main, 0, listFull: true);
        await rig.StateAsync(AccessRig.Main, 0, listFull: true);

        Assert.AreEqual("list-full", refused.Reason);
        Alert alert = rig.Alerts.List().Single();
        Assert.AreEqual((AccessControl.ListFullAlert, AccessRig.Main), (alert.Rule, alert.Device));
        Assert.Contains(AccessRig.Main, alert.Text);
        Assert.HasCount(1, rig.Sent(AccessRig.Main, CommandNames.AllowList), "the same list is not sent again and again");
        Assert.IsTrue(rig.Access.DoorStatus(AccessRig.Main)!.ListFull);

        await rig.Access.DeleteCardAsync("3", "alice");
        Assert.HasCount(2, rig.Sent(AccessRig.Main, CommandNames.AllowList), "a changed list is tried again");
    }

    [TestMethod]
    public async Task Sync_DoorReportsAVersionAboveTheEdges_EdgeNumbersItsListAboveAndSendsItInFull()
    {
        await using var rig = await StartedAsync();
        await rig.OnlineAsync(AccessRig.GymIn);
        var table = new DoorTable();

        await rig.StateAsync(AccessRig.GymIn, 7);
        DoorTable.Applied sent = (await rig.AnswerAllowListsAsync(AccessRig.GymIn, table)).Single();

        Assert.AreEqual((true, 8L, ""), (sent.FullList, sent.Version, sent.Add), "the door's old cards are cleared with a list numbered above its own");
        Assert.AreEqual((8L, 0), (table.Version, table.Entries.Count));
    }

    [TestMethod]
    public async Task Version_GrowsWithEveryChangeAndSurvivesARestart()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync("1", doors: [AccessRig.Pool]);
        await rig.CardAsync("2", doors: [AccessRig.Pool]);
        await rig.CardAsync("2", doors: [AccessRig.Pool], to: AccessRig.Start.AddDays(1));
        await rig.CardAsync("2", doors: [AccessRig.Pool], to: AccessRig.Start.AddDays(1)); // no change, no version

        Assert.AreEqual(3L, rig.Access.DoorStatus(AccessRig.Pool)!.TargetVersion);
        await rig.RestartAsync();
        Assert.AreEqual(3L, rig.Access.DoorStatus(AccessRig.Pool)!.TargetVersion);
        await rig.CardAsync("3", doors: [AccessRig.Pool]);
        Assert.AreEqual(4L, rig.Access.DoorStatus(AccessRig.Pool)!.TargetVersion);
        CollectionAssert.AreEqual(new long[] { 1, 2, 3, 4 }, rig.Records("allow-list-changed", AccessRig.Pool).Select(r => r.GetProperty("version").GetInt64()).ToArray());
    }

    [TestMethod]
    public async Task Refresh_CardWindowEnded_LeavesTheListsInANewVersion()
    {
        await using var rig = await StartedAsync();
        var table = await SyncedDoorAsync(rig, "1");
        await rig.CardAsync("2", doors: [AccessRig.Main], to: AccessRig.Start.AddHours(2));
        await rig.AnswerAllowListsAsync(AccessRig.Main, table);

        rig.Time.Advance(TimeSpan.FromHours(3));
        await rig.Access.RefreshAsync();
        DoorTable.Applied sent = (await rig.AnswerAllowListsAsync(AccessRig.Main, table)).Single();

        Assert.AreEqual(("2", "1:0:0"), (sent.Remove, table.Text));
    }

    [TestMethod]
    public async Task Sync_CommandNeverAcknowledged_StartsAgainAtTheDoorsNextReport()
    {
        await using var rig = await StartedAsync();
        await rig.OnlineAsync(AccessRig.Main);
        await rig.CardAsync("1", doors: [AccessRig.Main]);
        string first = rig.Sent(AccessRig.Main, CommandNames.AllowList).Single().GetProperty("id").GetString()!;

        for (int i = 0; i < 10; i++)
        {
            rig.Time.Advance(TimeSpan.FromSeconds(10));
            await rig.Commands.RetryDueAsync();
        }

        Assert.AreEqual(CommandState.Expired, rig.Commands.Find(first)!.State);
        await rig.StateAsync(AccessRig.Main, 0);
        var table = new DoorTable();
        await rig.AnswerAllowListsAsync(AccessRig.Main, table);

        Assert.HasCount(2, rig.Sent(AccessRig.Main, CommandNames.AllowList));
        Assert.AreEqual(1L, table.Version);
    }

    [TestMethod]
    public async Task Reboot_ListWithValidityWindows_DoorGetsTheTimeAgainInAnEmptyDelta()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync("1", doors: [AccessRig.Main], to: AccessRig.Start.AddDays(30));
        var table = await SyncedDoorAsync(rig);
        rig.Time.Advance(TimeSpan.FromMinutes(5));

        await rig.RebootAsync(AccessRig.Main);
        DoorTable.Applied sent = (await rig.AnswerAllowListsAsync(AccessRig.Main, table)).Single();

        Assert.AreEqual((false, 1L, 2L, "", ""), (sent.FullList, sent.Base, sent.Version, sent.Add, sent.Remove));
        Assert.AreEqual(rig.Time.GetUtcNow().ToUnixTimeSeconds(), table.Now);
        await rig.OfflineAsync(AccessRig.Main);
        await rig.OnlineAsync(AccessRig.Main);
        Assert.HasCount(2, rig.Sent(AccessRig.Main, CommandNames.AllowList), "a reconnect within the same boot needs no time");
    }

    [TestMethod]
    public async Task Sync_DoorWithoutAccessFirmware_RefusesOnceAndIsNotAskedAgain()
    {
        await using var rig = await StartedAsync();
        await rig.CardAsync("1", doors: [AccessRig.GymOut]);
        await rig.OnlineAsync(AccessRig.GymOut);
        string id = rig.Sent(AccessRig.GymOut, CommandNames.AllowList).Single().GetProperty("id").GetString()!;

        await rig.AckAsync(AccessRig.GymOut, id, CommandNames.AllowList, CommandNames.ResultRejected, "unknown-command");
        await rig.OfflineAsync(AccessRig.GymOut);
        await rig.OnlineAsync(AccessRig.GymOut);

        Assert.HasCount(1, rig.Sent(AccessRig.GymOut, CommandNames.AllowList));
        Assert.AreEqual(AccessControl.SyncFailedAlert, rig.Alerts.List().Single().Rule);
        StringAssert.Contains(rig.Access.DoorStatus(AccessRig.GymOut)!.LastResult, "unknown-command");
    }

    private static async Task<AccessRig> StartedAsync(AccessOptions? options = null)
    {
        var rig = new AccessRig(options);
        await rig.StartAsync();
        return rig;
    }

    /// <summary>Cards on the main door, the door online and holding the edge's list.</summary>
    private static async Task<DoorTable> SyncedDoorAsync(AccessRig rig, params string[] cards)
    {
        foreach (string card in cards)
        {
            await rig.CardAsync(card, doors: [AccessRig.Main]);
        }

        await rig.OnlineAsync(AccessRig.Main);
        var table = new DoorTable();
        await rig.AnswerAllowListsAsync(AccessRig.Main, table);
        Assert.AreEqual(rig.Access.DoorStatus(AccessRig.Main)!.TargetVersion, table.Version);
        return table;
    }
}
