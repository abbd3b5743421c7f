namespace SmartCommunity.Edge.Tests.Calls;

using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Calls;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.Relays;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>
/// A call record addressed to one relay goes to that relay only; every other record still goes to every relay. Two
/// in-memory backends over the relay engine and a real event log.
/// </summary>
[TestClass]
public sealed class CallAddressingTests
{
    [TestMethod]
    public async Task Drain_CallDispatchedToOneRelay_OnlyThatRelayGetsItAndBothGetTheRest()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        await log.AppendAsync(CallRecord(CallRecords.Opened, """{"call":"7","device":"b1-flat12-call","unit":"flat 12"}"""));
        await log.AppendAsync(CallRecord(CallRecords.Dispatched, """{"call":"7","device":"b1-flat12-call","unit":"flat 12","to":"care"}"""));
        await log.AppendAsync(RelayRig.Alarm("b1-lobby-smoke", 1));
        await log.AppendAsync(CallRecord(CallRecords.Escalated, """{"call":"7","device":"b1-flat12-call","unit":"flat 12","to":"backup"}"""));
        var care = new ScriptedRelay("care");
        var analytics = new ScriptedRelay("analytics");
        await using var hub = new RelayHub(RelayRig.Edge, log.Path,
            [new RelayRegistration(care, "test", "memory", RelayRig.Fast()), new RelayRegistration(analytics, "test", "memory", RelayRig.Fast())],
            () => log.Committed, TimeProvider.System, NullLoggerFactory.Instance);

        hub.Start();
        await Eventually.WaitUntilAsync(() => hub.Status().All(s => s.Lag == 0), "both relays are past every row");

        CollectionAssert.AreEqual(new[] { CallRecords.Opened, CallRecords.Dispatched, "alarm" }, care.Accepted.Select(m => m.Name).ToArray());
        CollectionAssert.AreEqual(new[] { CallRecords.Opened, "alarm" }, analytics.Accepted.Select(m => m.Name).ToArray(),
            "a call addressed to another relay is not forwarded; the unaddressed record and the device's alarm are");
        Assert.IsTrue(hub.Status().All(s => s.DeadLettered == 0 && s.DroppedCompacted == 0), "skipping another relay's record is neither a dead letter nor a drop");
    }

    [TestMethod]
    public async Task Drain_DeviceRecordWithAToField_GoesToEveryRelay()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);

        // A device's own message can never address itself away from a backend, whatever its payload says.
        await log.AppendAsync(new EventRecord(RelayRig.At, "riverside", "b1", "b1-flat12-call", "event", "call", 3, 1,
            """{"v":1,"dev":"b1-flat12-call","seq":3,"boot":1,"up":10,"event":"call","call":"7","to":"care"}""", EventLane.Priority));
        var analytics = new ScriptedRelay("analytics");
        await using RelayHub hub = RelayRig.Hub(log, analytics);

        hub.Start();
        await Eventually.WaitUntilAsync(() => analytics.Accepted.Count == 1, "the device's message reaches the other relay too");
    }

    private static EventRecord CallRecord(string name, string payload) =>
        new(RelayRig.At, "riverside", "b1", "b1-flat12-call", CallRecords.Channel, name, 0, 0, payload, EventLane.Priority);
}
