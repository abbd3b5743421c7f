namespace SmartCommunity.Edge.Tests.Relays;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>
/// The relay engine over a real event log, with an in-memory backend: lanes, cursors, dead letters, compacted
/// rows, the retention guard. The outbox is the events table itself.
/// </summary>
[TestClass]
public sealed class RelayHubTests
{
    [TestMethod]
    public async Task Drain_BackendUp_EveryMessageOnceInOrderWithItsKey()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        var records = Enumerable.Range(1, 120).Select(i => i % 3 == 0 ? RelayRig.Alarm("d1", i) : RelayRig.State("d1", i)).ToList();
        await RelayRig.AppendAllAsync(log, records);
        var relay = new ScriptedRelay();
        await using (RelayHub hub = RelayRig.Hub(log, relay, RelayRig.Fast(batchSize: 25)))
        {
            hub.Start();
            // The backend accepts a batch before the hub moves its cursor past it: wait for both.
            await Eventually.WaitUntilAsync(() => relay.Accepted.Count == records.Count && hub.Status().Single().Delivered == records.Count,
                "every record is delivered and the cursor has moved past it");
            RelayStatus status = hub.Status().Single();
            Assert.AreEqual(RelayState.Connected, status.State);
            Assert.AreEqual(0L, status.Lag);
            Assert.AreEqual(120L, status.Delivered);
        }

        CollectionAssert.AreEquivalent(records.Select(r => RelayRig.KeyOf(r)).ToList(), relay.AcceptedKeys.ToList(), "each message exactly once");
        Assert.AreEqual("test-edge:d1:1:7", relay.Accepted.Single(m => m.Sequence == 7).Key);
        Assert.IsTrue(relay.Accepted.Take(40).All(m => m.Lane == EventLane.Priority), "the priority lane goes first");
        foreach (EventLane lane in new[] { EventLane.Priority, EventLane.Bulk })
        {
            var sequences = relay.Accepted.Where(m => m.Lane == lane).Select(m => m.Sequence).ToList();
            CollectionAssert.AreEqual(sequences.Order().ToList(), sequences, $"order per device within the {lane} lane");
        }

        Assert.IsTrue(relay.Disposed, "the hub disposes the relays it was given");
    }

    [TestMethod]
    public async Task Drain_EdgeOwnRecords_KeyedByEventIdAndPayloadKeptAsJson()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        await log.AppendAsync(new EventRecord(RelayRig.At, "riverside", "b1", "edge", "rule", "fire-latched", 0, 0, """{"by":"smoke alarm at d1"}""", EventLane.Priority));
        var relay = new ScriptedRelay();
        await using RelayHub hub = RelayRig.Hub(log, relay);
        hub.Start();
        await Eventually.WaitUntilAsync(() => relay.Accepted.Count == 1, "the edge's record is delivered");

        RelayMessage message = relay.Accepted[0];
        Assert.AreEqual($"test-edge:edge:{message.Id}", message.Key);
        using var envelope = System.Text.Json.JsonDocument.Parse(message.ToEnvelope());
        Assert.AreEqual("smoke alarm at d1", envelope.RootElement.GetProperty("payload").GetProperty("by").GetString(), "the payload is the original JSON object");
        Assert.AreEqual("priority", envelope.RootElement.GetProperty("lane").GetString());
        Assert.AreEqual(message.Key, envelope.RootElement.GetProperty("key").GetString());
    }

    [TestMethod]
    public async Task Drain_AlarmAppendedDuringOutageBehindBulkBacklog_DeliveredFirstWhenBackendReturns()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        var relay = new ScriptedRelay { Down = true };
        await using RelayHub hub = RelayRig.Hub(log, relay, RelayRig.Fast(batchSize: 50));
        await RelayRig.AppendAllAsync(log, Enumerable.Range(1, 1000).Select(i => RelayRig.State("meter", i)));
        hub.Start();
        await Eventually.WaitUntilAsync(() => hub.Status().Single().State == RelayState.BackingOff, "the relay backs off while the backend is down");

        await log.AppendAsync(RelayRig.Alarm("smoke", 1));
        // Two more attempts: the later one read the lanes after the alarm was committed.
        int seen = relay.Attempts;
        await Eventually.WaitUntilAsync(() => relay.Attempts >= seen + 2, "the relay has tried again since the alarm");
        relay.Down = false;
        await Eventually.WaitUntilAsync(() => relay.Accepted.Count == 1001, "everything is delivered once the backend is up");

        Assert.AreEqual("test-edge:smoke:1:1", relay.Accepted[0].Key, "the alarm overtakes the whole bulk backlog");
        RelayStatus status = hub.Status().Single();
        Assert.IsTrue(status.FailedAttempts >= 2);
        Assert.AreEqual("backend down", status.LastError);
        Assert.AreEqual(0L, status.DeadLettered, "an outage never dead-letters anything");
    }

    [TestMethod]
    public async Task Drain_MessageRefused_DeadLetteredAtOnceVisibleAndTheRestFlows()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        await RelayRig.AppendAllAsync(log, Enumerable.Range(1, 10).Select(i => RelayRig.Alarm("d1", i)));
        var relay = new ScriptedRelay { Verdict = m => m.Sequence == 4 ? DeliveryOutcome.Refused("schema says no") : DeliveryOutcome.Delivered };
        await using RelayHub hub = RelayRig.Hub(log, relay);
        hub.Start();
        await Eventually.WaitUntilAsync(() => hub.Status().Single().Lag == 0, "the lane is drained");

        CollectionAssert.AreEqual(new long[] { 1, 2, 3, 5, 6, 7, 8, 9, 10 }, relay.Accepted.Select(m => m.Sequence).ToList(), "in order, once, without the refused one");
        DeadLetter letter = hub.DeadLetters(relay.Name)!.Single();
        Assert.AreEqual("test-edge:d1:1:4", letter.Key);
        Assert.AreEqual("schema says no", letter.Reason);
        Assert.AreEqual("priority", letter.Lane);
        Assert.AreEqual(4, letter.Envelope.GetProperty("payload").GetProperty("seq").GetInt32(), "the dead letter keeps what would have been sent");
        Assert.AreEqual(1L, hub.Status().Single().DeadLettered);
        Assert.AreEqual(0, relay.Attempts - 1, "no retry was needed");
    }

    [TestMethod]
    public async Task Drain_MessageFailingWhileOthersAreAccepted_DeadLetteredAfterTheLimit()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        await RelayRig.AppendAllAsync(log, Enumerable.Range(1, 10).Select(i => RelayRig.Alarm("d1", i)));
        var relay = new ScriptedRelay { Verdict = m => m.Sequence == 4 ? DeliveryOutcome.RetryLater("busy with this one") : DeliveryOutcome.Delivered };
        await using RelayHub hub = RelayRig.Hub(log, relay);
        hub.Start();
        await Eventually.WaitUntilAsync(() => hub.Status().Single().Lag == 0, "the lane is drained past the poisoned message");

        DeadLetter letter = hub.DeadLetters(relay.Name)!.Single();
        Assert.AreEqual("test-edge:d1:1:4", letter.Key);
        Assert.AreEqual(3, letter.Attempts, "deadLetterAfter attempts");
        StringAssert.Contains(letter.Reason, "busy with this one");
        CollectionAssert.AreEquivalent(new long[] { 1, 2, 3, 5, 6, 7, 8, 9, 10 }, relay.Accepted.Select(m => m.Sequence).Distinct().ToList());
        CollectionAssert.AreEqual(new long[] { 1, 2, 3, 5 }, relay.Accepted.Select(m => m.Sequence).Take(4).ToList(),
            "what comes after the failing message is re-sent with it, so first arrivals stay in order");
        RelayStatus status = hub.Status().Single();
        Assert.AreEqual(1L, status.DeadLettered);
        Assert.AreEqual(9L, status.Delivered);
        Assert.IsTrue(status.Retried > 0);
    }

    [TestMethod]
    public async Task Drain_CompactedBulkRows_SkippedAndCountedAsDropped()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        await RelayRig.AppendAllAsync(log, Enumerable.Range(1, 20).Select(i => RelayRig.State("meter", i)));
        // What retention does to old bulk rows when the disk budget is reached: the payload is emptied.
        using (var connection = new SqliteConnection($"Data Source={log.Path};Pooling=false"))
        {
            connection.Open();
            using var compact = connection.CreateCommand();
            compact.CommandText = "UPDATE events SET payload = '' WHERE seq <= 8";
            compact.ExecuteNonQuery();
        }

        var relay = new ScriptedRelay();
        await using RelayHub hub = RelayRig.Hub(log, relay);
        hub.Start();
        await Eventually.WaitUntilAsync(() => hub.Status().Single().Lag == 0, "the lane is drained");

        CollectionAssert.AreEqual(Enumerable.Range(9, 12).Select(i => (long)i).ToList(), relay.Accepted.Select(m => m.Sequence).ToList());
        RelayStatus status = hub.Status().Single();
        Assert.AreEqual(8L, status.DroppedCompacted);
        Assert.AreEqual(12L, status.Delivered);
    }

    [TestMethod]
    public async Task Restart_CursorsPersisted_NothingLostNothingSentTwice()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        await RelayRig.AppendAllAsync(log, Enumerable.Range(1, 50).SelectMany(i => new[] { RelayRig.Alarm("d1", i), RelayRig.State("d2", i) }));
        var first = new ScriptedRelay("cloud");
        await using (RelayHub hub = RelayRig.Hub(log, first))
        {
            hub.Start();
            await Eventually.WaitUntilAsync(() => first.Accepted.Count == 100, "the first run delivers everything");
        }

        await RelayRig.AppendAllAsync(log, Enumerable.Range(51, 30).SelectMany(i => new[] { RelayRig.Alarm("d1", i), RelayRig.State("d2", i) }));
        var second = new ScriptedRelay("cloud");
        await using (RelayHub hub = RelayRig.Hub(log, second))
        {
            RelayStatus resumed = hub.Status().Single();
            Assert.AreEqual(30L, resumed.Priority.Lag, "the cursors were read back: only the new rows are pending");
            Assert.AreEqual(30L, resumed.Bulk.Lag);
            hub.Start();
            await Eventually.WaitUntilAsync(() => second.Accepted.Count == 60, "the second run delivers what came since");
        }

        var keys = RelayRig.KeysInLog(log);
        CollectionAssert.AreEquivalent(keys.ToList(), first.AcceptedKeys.Concat(second.AcceptedKeys).ToList(), "every key once over both runs");
        Assert.IsTrue(second.Accepted.All(m => m.Sequence > 50));
    }

    [TestMethod]
    public async Task FirstIdStillNeeded_FollowsTheSlowestLaneOfTheSlowestRelay()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        await RelayRig.AppendAllAsync(log, Enumerable.Range(1, 30).Select(i => RelayRig.State("meter", i)));
        var up = new ScriptedRelay("up");
        var down = new ScriptedRelay("down") { Down = true };
        await using var hub = new RelayHub(RelayRig.Edge, log.Path,
            [new RelayRegistration(up, "test", "memory", RelayRig.Fast(10)), new RelayRegistration(down, "test", "memory", RelayRig.Fast(10))],
            () => log.Committed, TimeProvider.System, NullLoggerFactory.Instance);
        Assert.AreEqual(1L, hub.FirstIdStillNeeded(), "nothing relayed yet: every row is needed");
        hub.Start();
        await Eventually.WaitUntilAsync(() => up.Accepted.Count == 30, "the healthy relay is done");
        Assert.AreEqual(1L, hub.FirstIdStillNeeded(), "the relay that is down still needs everything");

        down.Down = false;
        await Eventually.WaitUntilAsync(() => hub.FirstIdStillNeeded() == 31, "both relays are done with all 30 rows, in both lanes");
        await using var none = new RelayHub(RelayRig.Edge, log.Path, [], null, TimeProvider.System, NullLoggerFactory.Instance);
        Assert.AreEqual(long.MaxValue, none.FirstIdStillNeeded(), "no relay holds retention back");
    }
}
