namespace SmartCommunity.Edge.Tests.Storage;

using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

[TestClass]
public sealed class EventLogMigrationTests
{
    /// <summary>The events table as the first release created it: no lane, no hashes, no auto-vacuum.</summary>
    private const string FirstReleaseSchema = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE events (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL,
          site TEXT NOT NULL,
          building TEXT NOT NULL,
          source TEXT NOT NULL,
          channel TEXT NOT NULL,
          name TEXT,
          seq INTEGER NOT NULL,
          boot INTEGER NOT NULL,
          payload TEXT NOT NULL);
        CREATE INDEX events_source ON events(source, id);
        CREATE TABLE fire_latch (
          site TEXT NOT NULL,
          building TEXT NOT NULL,
          latched INTEGER NOT NULL,
          since TEXT NOT NULL,
          by TEXT NOT NULL,
          PRIMARY KEY (site, building));
        """;

    [TestMethod]
    public async Task Open_DatabaseFromTheFirstRelease_AddsTheChainFromAMigrationAnchor()
    {
        using var data = new TempFolder();
        string path = CreateFirstReleaseDatabase(data, rows: 12);

        await using (EventLog log = LogFixture.Open(data))
        {
            Assert.HasCount(12, log.ReadRecent(100), "the old rows are still readable");
            await LogFixture.AppendAllAsync(log, Enumerable.Range(1, 5).Select(i => LogFixture.Alarm("smoke", i)));
        }

        ChainVerification result = EventChainVerifier.Verify(path);
        Assert.IsTrue(result.Intact, result.FirstBreak?.Detail);
        Assert.AreEqual((5L, 12L), (result.RowsVerified, result.LegacyRows));
        Assert.AreEqual((ChainAnchor.Migration, 12L, EventChain.Genesis), (result.Anchor!.Kind, result.Anchor.LastId, result.Anchor.Hash));
        Assert.AreEqual(2L, LogFixture.Scalar(path, "PRAGMA auto_vacuum"), "switched to incremental auto-vacuum");
        Assert.AreEqual(EventLane.Priority, LogFixture.Rows(path).Single(r => r.Id == 1).Lane, "an old alarm is a priority row");
        Assert.AreEqual(EventLane.Bulk, LogFixture.Rows(path).Single(r => r.Id == 2).Lane, "old telemetry is bulk");
    }

    [TestMethod]
    public async Task Open_MigratedDatabaseReopened_NoSecondAnchor()
    {
        using var data = new TempFolder();
        string path = CreateFirstReleaseDatabase(data, rows: 4);
        await using (EventLog log = LogFixture.Open(data))
        {
            await log.AppendAsync(LogFixture.Alarm("smoke", 1));
        }

        await using (EventLog log = LogFixture.Open(data))
        {
            await log.AppendAsync(LogFixture.Alarm("smoke", 2));
        }

        Assert.HasCount(1, LogFixture.Anchors(path));
        Assert.AreEqual(2L, EventChainVerifier.Verify(path).RowsVerified);
    }

    [TestMethod]
    public async Task Open_OldRowsDeletedAtTheEndBeforeMigration_NewIdsStillFollowTheAnchor()
    {
        using var data = new TempFolder();
        string path = CreateFirstReleaseDatabase(data, rows: 10);
        LogFixture.Sql(path, "DELETE FROM events WHERE id > 7");

        await using (EventLog log = LogFixture.Open(data))
        {
            await log.AppendAsync(LogFixture.Alarm("smoke", 1));
        }

        Assert.AreEqual(11L, LogFixture.Rows(path)[^1].Id, "AUTOINCREMENT never reuses an id");
        ChainVerification result = EventChainVerifier.Verify(path);
        Assert.IsTrue(result.Intact, result.FirstBreak?.Detail);
        Assert.AreEqual(10L, result.Anchor!.LastId);
    }

    [TestMethod]
    public async Task RunRetentionAsync_PrunesOldRowsThatPredateTheChain_ChainStillVerifies()
    {
        using var data = new TempFolder();
        string path = CreateFirstReleaseDatabase(data, rows: 10);
        var time = new FakeTimeProvider(LogFixture.At.AddDays(2));
        await using EventLog log = LogFixture.Open(data, new RetentionOptions { MaxAge = TimeSpan.FromDays(1), MaxBytes = long.MaxValue }, time, new FixedGuard(7));
        await LogFixture.AppendAllAsync(log, Enumerable.Range(1, 3).Select(i => LogFixture.Alarm("smoke", i, time.GetUtcNow())));

        RetentionResult result = await log.RunRetentionAsync();

        Assert.AreEqual((6L, 6L, EventChain.Genesis), (result.Pruned, result.Anchor!.LastId, result.Anchor.Hash), "the old rows had no hash: the anchor carries the chain's start");
        ChainVerification verified = EventChainVerifier.Verify(path);
        Assert.IsTrue(verified.Intact, verified.FirstBreak?.Detail);
        Assert.AreEqual((4L, 4L), (verified.RowsVerified, verified.LegacyRows), "three alarms and the anchor entry; old rows 7-10");
    }

    [TestMethod]
    public async Task Open_DatabaseWithNoRows_ChainsFromGenesisWithoutAnAnchor()
    {
        using var data = new TempFolder();
        string path = CreateFirstReleaseDatabase(data, rows: 0);

        await using (EventLog log = LogFixture.Open(data))
        {
            await log.AppendAsync(LogFixture.Alarm("smoke", 1));
        }

        ChainVerification result = EventChainVerifier.Verify(path);
        Assert.IsTrue(result.Intact, result.FirstBreak?.Detail);
        Assert.IsNull(result.Anchor);
        Assert.AreEqual(1L, result.RowsVerified);
    }

    [TestMethod]
    public void Verify_DatabaseNotYetMigrated_ReportsNoChainAndItsRows()
    {
        using var data = new TempFolder();
        string path = CreateFirstReleaseDatabase(data, rows: 3);

        ChainVerification result = EventChainVerifier.Verify(path);

        Assert.AreEqual((false, true, 3L, 0L), (result.HasChain, result.Intact, result.LegacyRows, result.RowsVerified));
    }

    /// <summary>Odd rows are smoke alarms, even rows telemetry, one day before <see cref="LogFixture.At"/>... at it.</summary>
    private static string CreateFirstReleaseDatabase(TempFolder data, int rows)
    {
        string path = data.File("edge.db");
        LogFixture.Sql(path, FirstReleaseSchema);
        for (int i = 1; i <= rows; i++)
        {
            string channel = i % 2 == 1 ? "event" : "telemetry";
            string name = i % 2 == 1 ? "'alarm'" : "NULL";
            LogFixture.Sql(path, $"""
                INSERT INTO events (at, site, building, source, channel, name, seq, boot, payload)
                VALUES ('{LogFixture.At:O}', 'riverside', 'b1', 'dev-{i}', '{channel}', {name}, {i}, 1, '{"{"}"seq":{i}{"}"}')
                """);
        }

        return path;
    }
}
