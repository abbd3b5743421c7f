namespace SmartCommunity.Edge.Tests.Storage;

using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

[TestClass]
public sealed class EventChainVerifierTests
{
    [TestMethod]
    public async Task Verify_ManyConcurrentAppends_ChainIntact()
    {
        const int Writers = 8;
        const int PerWriter = 250;
        using var data = new TempFolder();
        await using (EventLog log = LogFixture.Open(data))
        {
            Task[] writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => LogFixture.AppendManyAsync(log,
                Enumerable.Range(1, PerWriter).Select(i => i % 5 == 0 ? LogFixture.Alarm($"device-{w}", i) : LogFixture.Telemetry($"device-{w}", i))))).ToArray();
            await Task.WhenAll(writers);
            Assert.IsLessThan(log.Committed, log.Batches, "group commit puts many records in one transaction");
        }

        ChainVerification result = EventChainVerifier.Verify(data.File("edge.db"));

        Assert.IsNull(result.FirstBreak);
        Assert.AreEqual((long)Writers * PerWriter, result.RowsVerified);
        Assert.IsNull(result.Anchor, "nothing pruned: the chain starts at genesis");
        CollectionAssert.AreEqual(Enumerable.Range(1, Writers * PerWriter).Select(i => (long)i).ToList(),
            LogFixture.Rows(data.File("edge.db")).Select(r => r.Id).ToList(), "ids follow commit order without gaps");
    }

    [TestMethod]
    public async Task Verify_WhileTheLogIsOpenAndWriting_SeesOneConsistentSnapshot()
    {
        using var data = new TempFolder();
        await using EventLog log = LogFixture.Open(data);
        await LogFixture.AppendManyAsync(log, Enumerable.Range(1, 200).Select(i => LogFixture.Telemetry("a", i)));

        Task writing = LogFixture.AppendManyAsync(log, Enumerable.Range(201, 2000).Select(i => LogFixture.Telemetry("a", i)));
        ChainVerification during = EventChainVerifier.Verify(log.Path);
        await writing;

        Assert.IsTrue(during.Intact, during.FirstBreak?.Detail);
        Assert.IsGreaterThanOrEqualTo(200L, during.RowsVerified);
        Assert.AreEqual(2200L, EventChainVerifier.Verify(log.Path).RowsVerified);
    }

    [TestMethod]
    public async Task Verify_PayloadEditedWithSql_ReportsPayloadChangedAtThatRow()
    {
        using var data = new TempFolder();
        string path = await WriteAsync(data, 20);

        LogFixture.Sql(path, """UPDATE events SET payload = '{"v":1,"event":"clear"}' WHERE id = 7""");

        AssertBroken(path, 7, ChainBreakKind.PayloadChanged, verified: 6);
    }

    [TestMethod]
    public async Task Verify_PayloadAndItsHashEditedWithSql_ReportsRowChanged()
    {
        using var data = new TempFolder();
        string path = await WriteAsync(data, 20);
        string forged = """{"v":1,"event":"clear"}""";

        LogFixture.Sql(path, $"UPDATE events SET payload = '{forged}', payload_hash = '{EventChain.PayloadHash(forged)}' WHERE id = 7");

        AssertBroken(path, 7, ChainBreakKind.RowChanged, verified: 6);
    }

    [TestMethod]
    public async Task Verify_FieldEditedWithSql_ReportsRowChangedAtThatRow()
    {
        using var data = new TempFolder();
        string path = await WriteAsync(data, 20);

        LogFixture.Sql(path, "UPDATE events SET building = 'b2' WHERE id = 12");

        AssertBroken(path, 12, ChainBreakKind.RowChanged, verified: 11);
    }

    [TestMethod]
    public async Task Verify_LaneEditedToHideAnEmptiedAlarm_ReportsTheBreak()
    {
        using var data = new TempFolder();
        string path = await WriteAsync(data, 20);

        LogFixture.Sql(path, "UPDATE events SET payload = '' WHERE id = 5");
        AssertBroken(path, 5, ChainBreakKind.PayloadChanged, verified: 4);

        LogFixture.Sql(path, "UPDATE events SET lane = 1 WHERE id = 5");
        AssertBroken(path, 5, ChainBreakKind.RowChanged, verified: 4);
    }

    [TestMethod]
    public async Task Verify_RowDeletedFromTheMiddle_ReportsRowDeletedWithItsId()
    {
        using var data = new TempFolder();
        string path = await WriteAsync(data, 20);

        LogFixture.Sql(path, "DELETE FROM events WHERE id = 9");

        ChainBreak broken = AssertBroken(path, 9, ChainBreakKind.RowDeleted, verified: 8);
        StringAssert.Contains(broken.Detail, "9..9");
    }

    [TestMethod]
    public async Task Verify_RowsDeletedFromTheEnd_ReportsRowDeleted()
    {
        using var data = new TempFolder();
        string path = await WriteAsync(data, 20);

        LogFixture.Sql(path, "DELETE FROM events WHERE id >= 18");

        AssertBroken(path, 18, ChainBreakKind.RowDeleted, verified: 17);
    }

    [TestMethod]
    public async Task Verify_RowInsertedWithSql_ReportsRowInserted()
    {
        using var data = new TempFolder();
        string path = await WriteAsync(data, 20);

        LogFixture.Sql(path, """
            INSERT INTO events (at, site, building, source, channel, name, seq, boot, payload, lane)
            VALUES ('2025-03-01T08:00:00.0000000+00:00', 'riverside', 'b1', 'edge', 'rule', 'fire-reset', 0, 0, '{"by":"nobody"}', 0)
            """);

        AssertBroken(path, 21, ChainBreakKind.RowInserted, verified: 20);
    }

    [TestMethod]
    public async Task Verify_RowInsertedIntoAGapWithAForgedHash_ReportsTheBreakAtThatRow()
    {
        using var data = new TempFolder();
        string path = await WriteAsync(data, 20);
        string payloadHash = EventChain.PayloadHash("{}");

        LogFixture.Sql(path, "DELETE FROM events WHERE id = 10");
        LogFixture.Sql(path, $"""
            INSERT INTO events (id, at, site, building, source, channel, name, seq, boot, payload, lane, payload_hash, hash)
            VALUES (10, '2025-03-01T08:00:00.0000000+00:00', 'riverside', 'b1', 'edge', 'rule', 'fire-reset', 0, 0, '{"{}"}', 0, '{payloadHash}', '{EventChain.Genesis}')
            """);

        AssertBroken(path, 10, ChainBreakKind.RowChanged, verified: 9);
    }

    [TestMethod]
    public async Task Verify_AnchorHashEdited_ReportsAnchorMismatchAtTheFirstRowAfterIt()
    {
        using var data = new TempFolder();
        string path = await WriteAndPruneAsync(data, count: 20, firstNeeded: 8);

        LogFixture.Sql(path, $"UPDATE chain_anchor SET hash = '{EventChain.Genesis}'");

        AssertBroken(path, 8, ChainBreakKind.AnchorMismatch, verified: 0);
    }

    [TestMethod]
    public async Task Verify_OldestRowsDeletedWithoutAnAnchor_ReportsRowDeleted()
    {
        using var data = new TempFolder();
        string path = await WriteAndPruneAsync(data, count: 20, firstNeeded: 8);

        LogFixture.Sql(path, "DELETE FROM events WHERE id < 11");

        ChainBreak broken = AssertBroken(path, 8, ChainBreakKind.RowDeleted, verified: 0);
        StringAssert.Contains(broken.Detail, "anchor");
    }

    [TestMethod]
    public async Task Verify_RowPutBackBelowThePruneAnchor_ReportsRowInserted()
    {
        using var data = new TempFolder();
        string path = await WriteAndPruneAsync(data, count: 20, firstNeeded: 8);

        LogFixture.Sql(path, """
            INSERT INTO events (id, at, site, building, source, channel, name, seq, boot, payload, lane)
            VALUES (3, '2025-03-01T08:00:00.0000000+00:00', 'riverside', 'b1', 'edge', 'rule', 'fire-reset', 0, 0, '{}', 0)
            """);

        AssertBroken(path, 3, ChainBreakKind.RowInserted, verified: 0);
    }

    [TestMethod]
    public async Task Verify_AfterReopen_ChainContinuesAcrossRuns()
    {
        using var data = new TempFolder();
        await WriteAsync(data, 10);
        string path = await WriteAsync(data, 10);

        ChainVerification result = EventChainVerifier.Verify(path);

        Assert.IsTrue(result.Intact, result.FirstBreak?.Detail);
        Assert.AreEqual(20L, result.RowsVerified);
    }

    [TestMethod]
    public async Task Verify_EmptyLog_IntactWithNothingVerified()
    {
        using var data = new TempFolder();
        await using (EventLog log = LogFixture.Open(data))
        {
            await log.SaveFireLatchAsync(new FireLatchRecord("riverside", "b1", true, LogFixture.At, "test"));
        }

        ChainVerification result = EventChainVerifier.Verify(data.File("edge.db"));

        Assert.IsTrue(result.Intact);
        Assert.AreEqual(0L, result.RowsVerified);
    }

    [TestMethod]
    public void Verify_FileMissing_ThrowsFileNotFoundWithoutCreatingIt()
    {
        using var data = new TempFolder();
        string path = data.File("edge.db");

        Assert.ThrowsExactly<FileNotFoundException>(() => EventChainVerifier.Verify(path));
        Assert.IsFalse(File.Exists(path));
    }

    [TestMethod]
    public void Verify_NotAnEventLog_ThrowsInvalidData()
    {
        using var data = new TempFolder();
        string path = data.File("edge.db");
        LogFixture.Sql(path, "CREATE TABLE something (x INTEGER)");

        Assert.ThrowsExactly<InvalidDataException>(() => EventChainVerifier.Verify(path));
    }

    [TestMethod]
    public void RowHash_FieldBoundariesMoved_HashesDiffer()
    {
        var chain = new EventChain();
        string payloadHash = EventChain.PayloadHash("{}");

        string one = chain.RowHash(EventChain.Genesis, 1, "t", "riverside", "b1", "dev", "event", "alarm", 1, 1, 0, payloadHash);
        string other = chain.RowHash(EventChain.Genesis, 1, "t", "riverside", "b", "1dev", "event", "alarm", 1, 1, 0, payloadHash);
        string nameNull = chain.RowHash(EventChain.Genesis, 1, "t", "riverside", "b1", "dev", "event", null, 1, 1, 0, payloadHash);
        string nameEmpty = chain.RowHash(EventChain.Genesis, 1, "t", "riverside", "b1", "dev", "event", "", 1, 1, 0, payloadHash);

        Assert.AreEqual(4, new[] { one, other, nameNull, nameEmpty }.Distinct().Count());
        Assert.AreEqual(one, chain.RowHash(EventChain.Genesis, 1, "t", "riverside", "b1", "dev", "event", "alarm", 1, 1, 0, payloadHash), "deterministic");
    }

    /// <summary>Alternating alarms and telemetry, so both lanes are in the chain; returns the database path.</summary>
    private static async Task<string> WriteAsync(TempFolder data, int count)
    {
        await using EventLog log = LogFixture.Open(data);
        await LogFixture.AppendAllAsync(log, Enumerable.Range(1, count).Select(i => i % 2 == 1 ? LogFixture.Alarm("b1-lobby-smoke", i) : LogFixture.Telemetry("b1-meter", i)));
        return log.Path;
    }

    /// <summary>Writes <paramref name="count"/> rows a day old and prunes them by age up to the guard.</summary>
    private static async Task<string> WriteAndPruneAsync(TempFolder data, int count, long firstNeeded)
    {
        var time = new FakeTimeProvider(LogFixture.At);
        var retention = new RetentionOptions { MaxAge = TimeSpan.FromHours(1), MaxBytes = long.MaxValue };
        await using EventLog log = LogFixture.Open(data, retention, time, new FixedGuard(firstNeeded));
        await LogFixture.AppendAllAsync(log, Enumerable.Range(1, count).Select(i => LogFixture.Alarm("b1-lobby-smoke", i)));
        time.Advance(TimeSpan.FromDays(1));
        RetentionResult result = await log.RunRetentionAsync();
        Assert.AreEqual(firstNeeded - 1, result.Anchor!.LastId);
        Assert.IsTrue(EventChainVerifier.Verify(log.Path).Intact);
        return log.Path;
    }

    private static ChainBreak AssertBroken(string path, long rowId, ChainBreakKind kind, long verified)
    {
        ChainVerification result = EventChainVerifier.Verify(path);
        Assert.IsNotNull(result.FirstBreak, "the tampering is detected");
        Assert.AreEqual((rowId, kind), (result.FirstBreak.RowId, result.FirstBreak.Kind), result.FirstBreak.Detail);
        Assert.AreEqual(verified, result.RowsVerified, "rows before the break verified");
        return result.FirstBreak;
    }
}
