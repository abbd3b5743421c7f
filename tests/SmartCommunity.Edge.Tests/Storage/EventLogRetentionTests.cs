namespace SmartCommunity.Edge.Tests.Storage;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

[TestClass]
public sealed class EventLogRetentionTests
{
    private static readonly RetentionOptions Unlimited = new() { MaxBytes = long.MaxValue, MaxAge = TimeSpan.FromDays(100_000) };

    [TestMethod]
    public async Task RunRetentionAsync_UnderBudgetAndYoung_ChangesNothing()
    {
        using var data = new TempFolder();
        await using EventLog log = LogFixture.Open(data, time: new FakeTimeProvider(LogFixture.At));
        await LogFixture.AppendManyAsync(log, Enumerable.Range(1, 100).Select(i => LogFixture.Telemetry("meter", i)));

        RetentionResult result = await log.RunRetentionAsync();

        Assert.AreEqual((0L, 0L, false, (ChainAnchor?)null), (result.Compacted, result.Pruned, result.OverBudget, result.Anchor));
        Assert.HasCount(100, LogFixture.Rows(log.Path));
        Assert.AreEqual(1L, log.Status().RetentionRuns);
        Assert.AreEqual(LogFixture.At, log.Status().LastRetentionAt);
    }

    [TestMethod]
    public async Task RunRetentionAsync_OverBudget_CompactsBulkOldestFirstAndNeverPriority()
    {
        using var data = new TempFolder();
        long used = await FillAsync(data, i => i % 10 == 0 ? LogFixture.Alarm("smoke", i, payloadBytes: 800) : LogFixture.Telemetry("meter", i, payloadBytes: 800));
        var budget = new RetentionOptions { MaxBytes = used * 3 / 4, MaxAge = Unlimited.MaxAge };

        RetentionResult result;
        await using (EventLog log = LogFixture.Open(data, budget))
        {
            result = await log.RunRetentionAsync();
            Assert.AreEqual(result.Compacted, log.Status().CompactedRows);
        }

        Assert.IsGreaterThan(0L, result.Compacted);
        Assert.AreEqual(0L, result.Pruned, "compaction alone met the budget");
        Assert.IsFalse(result.OverBudget);
        Assert.IsLessThanOrEqualTo(budget.MaxBytes, result.UsedBytesAfter);
        IReadOnlyList<LogFixture.Row> rows = LogFixture.Rows(data.File("edge.db"));
        Assert.IsTrue(rows.Where(r => r.Lane == EventLane.Priority).All(r => r.Payload.Length > 0), "priority rows keep their payloads");
        List<LogFixture.Row> bulk = rows.Where(r => r.Lane == EventLane.Bulk).ToList();
        Assert.IsTrue(bulk.Take((int)result.Compacted).All(r => r.Payload.Length == 0), "the oldest bulk rows are compacted");
        Assert.IsTrue(bulk.Skip((int)result.Compacted).All(r => r.Payload.Length > 0), "the newer ones are kept");
        ChainVerification verified = EventChainVerifier.Verify(data.File("edge.db"));
        Assert.IsTrue(verified.Intact, verified.FirstBreak?.Detail);
        Assert.AreEqual((3000L, result.Compacted), (verified.RowsVerified, verified.CompactedRows));
    }

    [TestMethod]
    public async Task RunRetentionAsync_CompactionNotEnough_PrunesOldestAndWritesAnchor()
    {
        using var data = new TempFolder();
        long used = await FillAsync(data, i => i % 2 == 0 ? LogFixture.Alarm("smoke", i, payloadBytes: 400) : LogFixture.Telemetry("meter", i, payloadBytes: 40));
        var budget = new RetentionOptions { MaxBytes = used / 2, MaxAge = Unlimited.MaxAge };
        Dictionary<long, string?> hashesBefore = LogFixture.Rows(data.File("edge.db")).ToDictionary(r => r.Id, r => r.Hash);
        long fileBefore = new System.IO.FileInfo(data.File("edge.db")).Length;

        RetentionResult result;
        EventLogStatus status;
        await using (EventLog log = LogFixture.Open(data, budget))
        {
            result = await log.RunRetentionAsync();
            status = log.Status();
        }

        Assert.IsGreaterThan(0L, result.PrunedBySize);
        Assert.AreEqual(1500L, result.Compacted, "every bulk row was compacted before anything was pruned");
        Assert.IsFalse(result.OverBudget);
        Assert.IsLessThanOrEqualTo(budget.MaxBytes, result.UsedBytesAfter);
        Assert.AreEqual((result.Compacted, result.Pruned, 0L), (status.CompactedRows, status.PrunedRows, status.OverBudgetEvents));

        ChainAnchor anchor = result.Anchor!;
        Assert.AreEqual((ChainAnchor.Prune, result.Pruned, hashesBefore[result.Pruned]), (anchor.Kind, anchor.LastId, anchor.Hash), "the anchor holds the last pruned row's hash");
        Assert.AreEqual(result.Pruned, LogFixture.Anchors(data.File("edge.db")).Sum(a => a.Rows));
        Assert.AreEqual(anchor.LastId, status.AnchorLastId);
        IReadOnlyList<LogFixture.Row> rows = LogFixture.Rows(data.File("edge.db"));
        Assert.AreEqual(anchor.LastId + 1, rows[0].Id, "pruned from the oldest end");

        LogFixture.Row entry = rows[^1];
        Assert.AreEqual((EventLog.AnchorSource, EventLog.AnchorChannel, EventLog.AnchorName, EventLane.Priority), (entry.Source, entry.Channel, entry.Name, entry.Lane));
        using (JsonDocument payload = JsonDocument.Parse(entry.Payload))
        {
            Assert.AreEqual(anchor.LastId, payload.RootElement.GetProperty("lastPrunedId").GetInt64());
            Assert.AreEqual(anchor.Hash, payload.RootElement.GetProperty("lastPrunedHash").GetString());
            Assert.AreEqual(result.Pruned, payload.RootElement.GetProperty("pruned").GetInt64());
            Assert.AreEqual(result.Compacted, payload.RootElement.GetProperty("compacted").GetInt64());
        }

        ChainVerification verified = EventChainVerifier.Verify(data.File("edge.db"));
        Assert.IsTrue(verified.Intact, verified.FirstBreak?.Detail);
        Assert.AreEqual(anchor, verified.Anchor, "verification starts from the anchor");
        Assert.AreEqual(rows.Count, verified.RowsVerified);
        Assert.IsLessThan(fileBefore, new System.IO.FileInfo(data.File("edge.db")).Length, "incremental vacuum gave the pages back");
    }

    [TestMethod]
    public async Task RunRetentionAsync_RowsOlderThanMaxAge_PrunedFromTheOldestEnd()
    {
        using var data = new TempFolder();
        var time = new FakeTimeProvider(LogFixture.At);
        var retention = new RetentionOptions { MaxAge = TimeSpan.FromDays(400), MaxBytes = long.MaxValue };
        await using EventLog log = LogFixture.Open(data, retention, time);
        await LogFixture.AppendAllAsync(log, Enumerable.Range(1, 30).Select(i => LogFixture.Alarm("smoke", i, LogFixture.At)));
        await LogFixture.AppendAllAsync(log, Enumerable.Range(31, 20).Select(i => LogFixture.Telemetry("meter", i, LogFixture.At.AddDays(100))));
        time.Advance(TimeSpan.FromDays(401));

        RetentionResult result = await log.RunRetentionAsync();

        Assert.AreEqual((30L, 0L, 0L), (result.PrunedByAge, result.PrunedBySize, result.Compacted));
        Assert.AreEqual(30L, result.Anchor!.LastId);
        Assert.AreEqual(time.GetUtcNow(), result.Anchor.At);
        IReadOnlyList<LogFixture.Row> rows = LogFixture.Rows(log.Path);
        Assert.AreEqual(31L, rows[0].Id);
        Assert.AreEqual(EventLog.AnchorName, rows[^1].Name);
        ChainVerification verified = EventChainVerifier.Verify(log.Path);
        Assert.IsTrue(verified.Intact, verified.FirstBreak?.Detail);
        Assert.AreEqual((30L, 21L), (verified.Anchor!.LastId, verified.RowsVerified));

        await log.AppendAsync(LogFixture.Alarm("smoke", 99, time.GetUtcNow()));
        Assert.IsTrue(EventChainVerifier.Verify(log.Path).Intact, "appends after the anchor entry chain on");
    }

    [TestMethod]
    public async Task RunRetentionAsync_GuardStillNeedsOldRows_PrunesOnlyBelowIt()
    {
        using var data = new TempFolder();
        var time = new FakeTimeProvider(LogFixture.At);
        var guard = new FixedGuard(11);
        await using EventLog log = LogFixture.Open(data, new RetentionOptions { MaxAge = TimeSpan.FromDays(1), MaxBytes = long.MaxValue }, time, guard);
        await LogFixture.AppendAllAsync(log, Enumerable.Range(1, 40).Select(i => LogFixture.Alarm("smoke", i)));
        time.Advance(TimeSpan.FromDays(2));

        RetentionResult first = await log.RunRetentionAsync();
        guard.FirstNeeded = 11;
        RetentionResult again = await log.RunRetentionAsync();
        guard.FirstNeeded = 0;
        RetentionResult none = await log.RunRetentionAsync();

        Assert.AreEqual((10L, 10L), (first.Pruned, first.Anchor!.LastId), "rows 11 and up are still needed by the relay");
        Assert.AreEqual(0L, again.Pruned);
        Assert.IsNull(again.Anchor, "nothing pruned, no new anchor");
        Assert.AreEqual(0L, none.Pruned);
        Assert.AreEqual(11L, LogFixture.Rows(log.Path)[0].Id);
        Assert.IsTrue(EventChainVerifier.Verify(log.Path).Intact);
    }

    [TestMethod]
    public async Task RunRetentionAsync_SeveralGuards_LowestWins()
    {
        using var data = new TempFolder();
        var time = new FakeTimeProvider(LogFixture.At);
        await using EventLog log = LogFixture.Open(data, new RetentionOptions { MaxAge = TimeSpan.FromDays(1), MaxBytes = long.MaxValue }, time, new FixedGuard(30));
        log.AddRetentionGuard(new FixedGuard(6));
        await LogFixture.AppendAllAsync(log, Enumerable.Range(1, 40).Select(i => LogFixture.Alarm("smoke", i)));
        time.Advance(TimeSpan.FromDays(2));

        RetentionResult result = await log.RunRetentionAsync();

        Assert.AreEqual(5L, result.Pruned);
    }

    [TestMethod]
    public async Task RunRetentionAsync_OnlyUnrelayedPriorityRowsLeft_CountsOverBudgetAndKeepsThem()
    {
        using var data = new TempFolder();
        var guard = new FixedGuard(1);
        await using EventLog log = LogFixture.Open(data, new RetentionOptions { MaxBytes = 64 * 1024, MaxAge = Unlimited.MaxAge }, guard: guard);
        await LogFixture.AppendManyAsync(log, Enumerable.Range(1, 400).Select(i => i % 2 == 0 ? LogFixture.Alarm("smoke", i, payloadBytes: 200) : LogFixture.Telemetry("meter", i, payloadBytes: 200)));

        RetentionResult result = await log.RunRetentionAsync();
        await log.RunRetentionAsync();

        Assert.AreEqual((200L, 0L, true), (result.Compacted, result.Pruned, result.OverBudget));
        EventLogStatus status = log.Status();
        Assert.AreEqual((2L, true, 200L), (status.OverBudgetEvents, status.OverBudget, status.CompactedRows));
        Assert.IsGreaterThan(status.MaxBytes, status.SizeBytes);
        IReadOnlyList<LogFixture.Row> rows = LogFixture.Rows(log.Path);
        Assert.HasCount(400, rows, "nothing the relay still needs is dropped");
        Assert.IsTrue(rows.Where(r => r.Lane == EventLane.Priority).All(r => r.Payload.Length > 0));
        Assert.IsTrue(EventChainVerifier.Verify(log.Path).Intact);

        guard.FirstNeeded = long.MaxValue;
        RetentionResult relayed = await log.RunRetentionAsync();
        Assert.IsFalse(relayed.OverBudget, "once relayed, the priority rows can go");
        Assert.IsGreaterThan(0L, relayed.PrunedBySize);
        Assert.IsFalse(log.Status().OverBudget);
        Assert.IsTrue(EventChainVerifier.Verify(log.Path).Intact);
    }

    [TestMethod]
    public async Task RunRetentionAsync_AppendsDuringThePass_AllCommittedAndChainIntact()
    {
        using var data = new TempFolder();
        long used = await FillAsync(data, i => LogFixture.Telemetry("meter", i, payloadBytes: 300));
        await using EventLog log = LogFixture.Open(data, new RetentionOptions { MaxBytes = used / 5, MaxAge = Unlimited.MaxAge }, guard: new FixedGuard(3001));

        Task<RetentionResult> pass = log.RunRetentionAsync();
        Task appends = LogFixture.AppendManyAsync(log, Enumerable.Range(1, 2000).Select(i => LogFixture.Alarm("smoke", i)));
        await Task.WhenAll(pass, appends);

        Assert.IsGreaterThan(0L, pass.Result.Pruned);
        Assert.AreEqual(2000L, log.Committed);
        Assert.AreEqual(2000, LogFixture.Rows(log.Path).Count(r => r.Source == "smoke"));
        ChainVerification verified = EventChainVerifier.Verify(log.Path);
        Assert.IsTrue(verified.Intact, verified.FirstBreak?.Detail);
    }

    [TestMethod]
    public async Task StartRetentionTimer_IntervalsElapse_RunsEachTimeOnTheInjectedClock()
    {
        using var data = new TempFolder();
        var time = new FakeTimeProvider(LogFixture.At);
        var retention = new RetentionOptions { MaxAge = TimeSpan.FromDays(1), MaxBytes = long.MaxValue, CheckInterval = TimeSpan.FromMinutes(10) };
        await using EventLog log = LogFixture.Open(data, retention, time);
        await LogFixture.AppendAllAsync(log, Enumerable.Range(1, 5).Select(i => LogFixture.Alarm("smoke", i)));
        log.StartRetentionTimer();

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.AreEqual(0L, log.Status().RetentionRuns, "the first run comes after a minute");
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitUntilAsync(() => log.Status().RetentionRuns == 1, "the first retention pass ran");
        Assert.AreEqual(0L, log.Status().PrunedRows, "rows are a minute old");

        time.Advance(TimeSpan.FromDays(1));
        await Eventually.WaitUntilAsync(() => log.Status().PrunedRows == 5, "the next tick prunes the day-old rows");
        Assert.AreEqual(5L, log.Status().AnchorLastId);
    }

    /// <summary>3000 records in a fresh log; returns the bytes in use, as retention measures them.</summary>
    private static async Task<long> FillAsync(TempFolder data, Func<int, EventRecord> record)
    {
        await using EventLog log = LogFixture.Open(data, Unlimited);
        await LogFixture.AppendManyAsync(log, Enumerable.Range(1, 3000).Select(record));
        RetentionResult measured = await log.RunRetentionAsync();
        Assert.AreEqual(0L, measured.Compacted + measured.Pruned);
        return measured.UsedBytesAfter;
    }
}
