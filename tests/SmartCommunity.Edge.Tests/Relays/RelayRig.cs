namespace SmartCommunity.Edge.Tests.Relays;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Protocol;

/// <summary>Records for the outbox, fast delivery settings and a hub over a real event log, for the relay tests.</summary>
internal static class RelayRig
{
    public const string Edge = "test-edge";

    public static readonly DateTimeOffset At = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Short pauses so an outage in a test costs milliseconds; three strikes to a dead letter.</summary>
    public static RelayDeliveryOptions Fast(int batchSize = 100) => new()
    {
        BatchSize = batchSize,
        BackoffInitial = TimeSpan.FromMilliseconds(20),
        BackoffMax = TimeSpan.FromMilliseconds(100),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        DeadLetterAfter = 3,
    };

    public static EventRecord Alarm(string device, long seq, long boot = 1) =>
        new(At, "riverside", "b1", device, Channel.Event, "alarm", seq, boot,
            string.Create(CultureInfo.InvariantCulture, $$"""{"v":1,"dev":"{{device}}","seq":{{seq}},"boot":{{boot}},"up":{{seq * 10}},"event":"alarm","level":812}"""), EventLane.Priority);

    public static EventRecord State(string device, long seq, long boot = 1) =>
        new(At, "riverside", "b1", device, Channel.State, null, seq, boot,
            string.Create(CultureInfo.InvariantCulture, $$"""{"v":1,"dev":"{{device}}","seq":{{seq}},"boot":{{boot}},"up":{{seq * 10}},"state":"normal","level":{{seq % 90}}}"""), EventLane.Bulk);

    public static Task AppendAllAsync(EventLog log, IEnumerable<EventRecord> records) => Task.WhenAll(records.Select(log.AppendAsync).ToList());

    public static RelayHub Hub(EventLog log, IRelay relay, RelayDeliveryOptions? delivery = null) =>
        new(Edge, log.Path, [new RelayRegistration(relay, "test", "memory", delivery ?? Fast())], () => log.Committed, TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>The idempotency key of every row in the log, as the relays compute it.</summary>
    public static IReadOnlyList<string> KeysInLog(EventLog log, string edge = Edge) =>
        log.ReadRecent(10_000).OrderBy(e => e.Id).Select(e => RelayMessage.KeyFor(edge, e.Id, e.Source, e.Boot, e.Sequence)).ToList();

    public static string KeyOf(EventRecord record, string edge = Edge) => RelayMessage.KeyFor(edge, 0, record.Source, record.Boot, record.Sequence);
}
