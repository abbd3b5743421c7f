namespace SmartCommunity.Edge.Tests.Storage;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

[TestClass]
public sealed class EventLogTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 8, 0, 0, TimeSpan.FromHours(1));

    [TestMethod]
    public async Task AppendAsync_Completed_RecordIsReadableWithEveryField()
    {
        using var data = new TempFolder();
        await using EventLog log = Open(data);
        var record = new EventRecord(At, "riverside", "b1", "b1-lobby-smoke", "event", "alarm", 7, 3, """{"v":1,"event":"alarm"}""");

        await log.AppendAsync(record);

        StoredEvent stored = log.ReadRecent(10).Single();
        Assert.AreEqual(At, DateTimeOffset.Parse(stored.At, System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual(("riverside", "b1", "b1-lobby-smoke", "event", "alarm"), (stored.Site, stored.Building, stored.Source, stored.Channel, stored.Name));
        Assert.AreEqual((7L, 3L), (stored.Sequence, stored.Boot));
        Assert.AreEqual(record.Payload, stored.Payload);
        Assert.AreEqual((1L, 0L), (log.Committed, log.Pending));
    }

    [TestMethod]
    public async Task AppendAsync_RecordWithoutName_StoresNull()
    {
        using var data = new TempFolder();
        await using EventLog log = Open(data);

        await log.AppendAsync(Record("b1-f1-smoke", 1) with { Name = null });

        Assert.IsNull(log.ReadRecent(1).Single().Name);
    }

    [TestMethod]
    public async Task AppendAsync_ManyConcurrentWriters_AllCommittedInFewerBatches()
    {
        const int Writers = 8;
        const int PerWriter = 250;
        using var data = new TempFolder();
        await using EventLog log = Open(data);

        Task[] writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var appends = new List<Task>();
            for (int i = 1; i <= PerWriter; i++)
            {
                appends.Add(log.AppendAsync(Record($"device-{w}", i)));
            }

            await Task.WhenAll(appends);
        })).ToArray();
        await Task.WhenAll(writers);

        Assert.AreEqual((long)Writers * PerWriter, log.Committed);
        Assert.AreEqual(0L, log.Pending);
        Assert.IsLessThan(log.Committed, log.Batches, "group commit puts many records in one transaction");
        IReadOnlyList<StoredEvent> stored = log.ReadRecent(10_000);
        Assert.HasCount(Writers * PerWriter, stored);
        for (int w = 0; w < Writers; w++)
        {
            CollectionAssert.AreEquivalent(
                Enumerable.Range(1, PerWriter).Select(i => (long)i).ToList(),
                stored.Where(e => e.Source == $"device-{w}").Select(e => e.Sequence).ToList());
        }
    }

    [TestMethod]
    public async Task ReadRecent_LimitAndSource_NewestFirstForThatSource()
    {
        using var data = new TempFolder();
        await using EventLog log = Open(data);
        for (int i = 1; i <= 5; i++)
        {
            await log.AppendAsync(Record("a", i));
            await log.AppendAsync(Record("b", i));
        }

        IReadOnlyList<StoredEvent> recent = log.ReadRecent(3, "a");

        CollectionAssert.AreEqual(new[] { 5L, 4L, 3L }, recent.Select(e => e.Sequence).ToList());
        Assert.IsTrue(recent.All(e => e.Source == "a"));
        Assert.IsTrue(recent[0].Id > recent[1].Id && recent[1].Id > recent[2].Id);
    }

    [TestMethod]
    public async Task SaveFireLatchAsync_LatchThenClear_ReadsTheLatestPerBuilding()
    {
        using var data = new TempFolder();
        await using EventLog log = Open(data);

        await log.SaveFireLatchAsync(new FireLatchRecord("riverside", "b1", true, At, "smoke alarm at b1-lobby-smoke"));
        await log.SaveFireLatchAsync(new FireLatchRecord("riverside", "b2", true, At, "smoke alarm at b2-lobby-smoke"));
        await log.SaveFireLatchAsync(new FireLatchRecord("riverside", "b1", false, At.AddMinutes(5), "alice"));

        IReadOnlyList<FireLatchRecord> latches = log.ReadFireLatches();
        Assert.HasCount(2, latches);
        Assert.AreEqual(new FireLatchRecord("riverside", "b1", false, At.AddMinutes(5), "alice"), latches.Single(l => l.Building == "b1"));
        Assert.AreEqual(new FireLatchRecord("riverside", "b2", true, At, "smoke alarm at b2-lobby-smoke"), latches.Single(l => l.Building == "b2"));
    }

    [TestMethod]
    public async Task Open_AfterClose_LatchesAndRecordsSurvive()
    {
        using var data = new TempFolder();
        var latch = new FireLatchRecord("riverside", "b1", true, At, "smoke alarm at b1-lobby-smoke");
        await using (EventLog first = Open(data))
        {
            await first.SaveFireLatchAsync(latch);
            await first.AppendAsync(Record("b1-lobby-smoke", 1));
        }

        await using EventLog reopened = Open(data);

        Assert.AreEqual(latch, reopened.ReadFireLatches().Single());
        Assert.AreEqual("b1-lobby-smoke", reopened.ReadRecent(10).Single().Source);
    }

    [TestMethod]
    public async Task Open_NewFile_UsesWriteAheadLogging()
    {
        using var data = new TempFolder();
        await using EventLog log = Open(data);
        await log.AppendAsync(Record("a", 1));

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = log.Path, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.AreEqual("wal", command.ExecuteScalar() as string);
    }

    [TestMethod]
    public async Task Open_FolderMissing_CreatesIt()
    {
        using var data = new TempFolder();
        string path = data.File(System.IO.Path.Combine("nested", "deeper", "edge.db"));

        await using EventLog log = EventLog.Open(path, NullLogger.Instance);
        await log.AppendAsync(Record("a", 1));

        Assert.IsTrue(System.IO.File.Exists(path));
    }

    [TestMethod]
    public async Task AppendAsync_CommitFails_ChainHeadStaysAndLaterRowsChainOn()
    {
        using var data = new TempFolder();
        await using EventLog log = Open(data);
        await log.AppendAsync(Record("a", 1));
        ExecuteSql(log.Path, "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.source = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END");

        Task poisoned = log.AppendAsync(Record("poison", 1));
        await Assert.ThrowsExactlyAsync<SqliteException>(() => poisoned);
        await log.AppendAsync(Record("a", 2));

        ChainVerification result = EventChainVerifier.Verify(log.Path);
        Assert.IsTrue(result.Intact, result.FirstBreak?.Detail);
        CollectionAssert.AreEqual(new[] { 2L, 1L }, log.ReadRecent(10).Select(e => e.Id).ToList(), "the failed batch used no id");
    }

    [TestMethod]
    public async Task Open_HeadHashOverwrittenWithGarbage_KeepsLoggingAndVerifyShowsTheBreak()
    {
        using var data = new TempFolder();
        await using (EventLog first = Open(data))
        {
            await first.AppendAsync(Record("a", 1));
            await first.AppendAsync(Record("a", 2));
        }

        ExecuteSql(data.File("edge.db"), "UPDATE events SET hash = 'not a hash' WHERE id = 2");
        await using (EventLog reopened = Open(data))
        {
            await reopened.AppendAsync(Record("a", 3));
        }

        ChainVerification result = EventChainVerifier.Verify(data.File("edge.db"));
        Assert.AreEqual((2L, ChainBreakKind.RowChanged), (result.FirstBreak!.RowId, result.FirstBreak.Kind));
        Assert.HasCount(3, LogFixture.Rows(data.File("edge.db")), "the edge kept logging");
    }

    [TestMethod]
    public async Task Status_AfterWrites_SizeCountsTheDatabaseAndItsWal()
    {
        using var data = new TempFolder();
        await using EventLog log = Open(data);
        await log.AppendAsync(Record("a", 1));

        EventLogStatus status = log.Status();

        long onDisk = new System.IO.FileInfo(log.Path).Length + new System.IO.FileInfo(log.Path + "-wal").Length;
        Assert.AreEqual(onDisk, status.SizeBytes);
        Assert.AreEqual(new RetentionOptions().MaxBytes, status.MaxBytes);
        Assert.AreEqual((0L, 0L, 0L, false, (DateTimeOffset?)null), (status.CompactedRows, status.PrunedRows, status.OverBudgetEvents, status.OverBudget, status.LastRetentionAt));
    }

    [TestMethod]
    public async Task AppendAsync_AfterDispose_FaultsInsteadOfHanging()
    {
        using var data = new TempFolder();
        EventLog log = Open(data);
        await log.DisposeAsync();

        await Assert.ThrowsExactlyAsync<ObjectDisposedException>(() => log.AppendAsync(Record("a", 1)));
        Assert.AreEqual(0L, log.Pending);
    }

    private static void ExecuteSql(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static EventLog Open(TempFolder data) => EventLog.Open(data.File("edge.db"), NullLogger.Instance);

    private static EventRecord Record(string source, long seq) =>
        new(At, "riverside", "b1", source, "telemetry", null, seq, 1, $$"""{"seq":{{seq}}}""");
}
