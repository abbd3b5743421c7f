namespace SmartCommunity.Edge.Tests.Fuzz;

using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.Metering;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;
using SmartCommunity.Tests.Fuzz;

/// <summary>
/// What devices publish, fuzzed (hardware-docs/bad-input.md): the decoder refuses with a reason and never throws;
/// the pipeline counts every refusal with a category and acknowledges nothing the event log did not store.
/// </summary>
[TestClass]
public sealed class IngestFuzzTests
{
    private static readonly string[] DeviceIds = [DemoLayout.LobbySmoke, DemoLayout.LobbyEntrance, DemoLayout.FirstFloorSmoke, "b2-stair-door"];

    private static readonly string[] Topics =
    [
        "sc/v1/riverside/b1/smoke/b1-lobby-smoke/event", "sc/v1/riverside/b1/door/b1-lobby-entrance/state",
        "sc/v1/riverside/b1/smoke/b1-f1-smoke/status", "sc/v1/riverside/b2/door/b2-stair-door/ack",
        "sc/v1/riverside/b1/smoke/b1-lobby-smoke/telemetry", "sc/v1/riverside/b1/smoke/b1-lobby-smoke/cmd",
        "sc/v1/riverside/b1/smoke/b1-lobby-smoke", "sc/v1/riverside/b1/smoke/B1-LOBBY/event", "sc/v1/riverside/b1/smoke//event",
        "sc/v2/riverside/b1/smoke/b1-lobby-smoke/event", "sc/v1/riverside/b1/smoke/b1-lobby-smoke/event/extra", "", "/", "#", "+/+/+",
        "sc/v1/" + new string('a', 40) + "/b1/smoke/x/event", "sc/v1/riverside/b1/smoke/b1-lobby-smoke/évent",
    ];

    private static readonly byte[][] Payloads = BuildPayloads();

    private long _sequence = 100;

    private static readonly Gen<byte[]> PayloadInputs = Gen.Frequency(
        (1, FuzzInputs.RandomBytes(MessageLimits.MaxUplinkBytes + 64)),
        (4, FuzzInputs.Mutated(Payloads)),
        (2, FuzzInputs.FieldSwapped(Payloads)));

    private static readonly Gen<string> TopicInputs = Gen.Frequency(
        (4, Gen.OneOf(Topics)),
        (1, FuzzInputs.MutatedText(Topics.Where(t => t.Length > 0).ToArray())),
        (1, Gen.String));

    [TestMethod]
    public void TryDecode_RandomAndMutatedMessages_RefusesWithAReasonAndNeverThrows()
    {
        Gen.Select(TopicInputs, PayloadInputs).Sample(
            (topic, payload) =>
            {
                bool decoded = DeviceMessageDecoder.TryDecode(topic, new ReadOnlySequence<byte>(payload), out DeviceMessage? message, out string reason);

                if (payload.Length > MessageLimits.MaxUplinkBytes)
                {
                    Assert.IsFalse(decoded, "the size limit comes before parsing");
                }

                if (decoded)
                {
                    Assert.IsNotNull(message);
                    Assert.AreEqual(topic.Split('/')[5], message.DeviceId);
                    Assert.IsTrue(message.Channel is Channel.Status || message.Sequence > 0);
                }
                else
                {
                    Assert.IsFalse(string.IsNullOrWhiteSpace(reason));
                    Assert.IsTrue(reason.Length < 400, "a reason is a sentence, not the whole input echoed back: " + reason);
                }
            },
            iter: FuzzInputs.Iterations(20_000),
            print: t => t.Item1 + " " + FuzzInputs.Show(t.Item2));
    }

    [TestMethod]
    public async Task AcceptAsync_RandomAndMutatedMessages_RefusalsCountedAndNothingAcknowledgedUnstored()
    {
        // One edge for the whole run: its twins, sequences and fire latch carry over from message to message, as live.
        await using var edge = new EdgeParts();
        var gen = Gen.Select(Gen.Int[0, DeviceIds.Length - 1], Gen.Int[0, 9], Gen.OneOf(Channel.Event, Channel.State, Channel.Status, Channel.Ack, Channel.Telemetry, "cmd"), PayloadInputs);

        await gen.SampleAsync(
            async (index, clientChoice, channel, payload) =>
            {
                DeviceDefinition device = edge.Device(DeviceIds[index]);
                string clientId = clientChoice == 0 ? DeviceIds[(index + 1) % DeviceIds.Length] : device.Id;
                await AssertAcceptedOnlyWhenStoredAsync(edge.Pipeline, edge.Counters, edge.Log, device, clientId, channel, payload);
            },
            iter: FuzzInputs.Iterations(400),
            threads: 1,
            print: t => $"{t.Item1} {t.Item2} {t.Item3} {FuzzInputs.Show(t.Item4)}");
    }

    [TestMethod]
    public async Task AcceptAsync_MutatedPulseMeterReadings_RefusalsCountedAndNothingAcknowledgedUnstored()
    {
        // The metering part reads fields of its own ("ch", "total", "pulses") from the body (hardware-docs/pulse-meter.md).
        await using var rig = new MeterRig();
        var pipeline = new IngestPipeline(rig.Layout, rig.Twins, rig.NewFireRule(), rig.Commands, rig.Log, rig.Counters, rig.Time, NullLogger.Instance) { Meters = rig.Book };
        DeviceDefinition meter = rig.Device(MeterRig.PulseDevice);
        byte[][] readings = new[]
        {
            $$"""{"v":1,"dev":"{{meter.Id}}","seq":5,"boot":1,"up":900,"event":"reading","ch":1,"pulses":1200,"total":1234.567,"unit":"m3","medium":"water"}""",
            $$"""{"v":1,"dev":"{{meter.Id}}","seq":6,"boot":1,"up":950,"event":"reading","ch":2,"pulses":7,"total":0.007,"unit":"kWh","medium":"electricity"}""",
        }.Select(Encoding.UTF8.GetBytes).ToArray();

        await Gen.Select(Gen.Frequency((1, FuzzInputs.RandomBytes(MessageLimits.MaxUplinkBytes)), (4, FuzzInputs.Mutated(readings)), (4, FuzzInputs.FieldSwapped(readings))), Gen.Long[1, 1_000_000]).SampleAsync(
            async (payload, seconds) =>
            {
                rig.Time.Advance(TimeSpan.FromSeconds(seconds));
                await AssertAcceptedOnlyWhenStoredAsync(pipeline, rig.Counters, rig.Log, meter, meter.Id, Channel.Event, payload);
            },
            iter: FuzzInputs.Iterations(300),
            threads: 1,
            print: t => FuzzInputs.Show(t.Item1));
    }

    private async Task AssertAcceptedOnlyWhenStoredAsync(IngestPipeline pipeline, EdgeCounters counters, EventLog log, DeviceDefinition device, string clientId, string channel, byte[] payload)
    {
        // The seeds' sequence numbers are renumbered upwards, or after the first run every later message would be a
        // duplicate and never reach the parts behind the twin (fire rule, metering).
        payload = Renumbered(payload, ++_sequence);
        string topic = SmartCommunity.Protocol.Topics.Device(device.Site, device.Building, device.Kind, device.Id, channel);
        long refused = counters.Refused, accepted = counters.Accepted, duplicates = counters.Duplicates;
        long lastStored = LastStoredId(log, device.Id);

        IngestResult result = await pipeline.AcceptAsync(clientId, topic, new ReadOnlySequence<byte>(payload));

        Assert.AreEqual(counters.Refused, counters.RefusedByReason.Values.Sum(), "every refusal has a category");
        if (result == IngestResult.Refused)
        {
            Assert.AreEqual((refused + 1, accepted, duplicates), (counters.Refused, counters.Accepted, counters.Duplicates));
            Assert.AreEqual(lastStored, LastStoredId(log, device.Id), "a refused message is not stored");
        }
        else if (counters.Duplicates == duplicates + 1)
        {
            Assert.AreEqual(lastStored, LastStoredId(log, device.Id), "a redelivery is acknowledged again, not stored twice");
        }
        else
        {
            Assert.AreEqual(accepted + 1, counters.Accepted);
            StoredEvent stored = log.ReadRecent(1, device.Id).Single();
            Assert.IsGreaterThan(lastStored, stored.Id, "acknowledged, so stored");
            Assert.AreEqual(Encoding.UTF8.GetString(payload), stored.Payload, "stored as received");
        }
    }

    private static byte[] Renumbered(byte[] payload, long sequence)
    {
        byte[] marker = Encoding.ASCII.GetBytes("\"seq\":");
        int at = payload.AsSpan().IndexOf(marker);
        if (at < 0)
        {
            return payload;
        }

        int digits = at + marker.Length;
        int end = digits;
        while (end < payload.Length && payload[end] is >= (byte)'0' and <= (byte)'9')
        {
            end++;
        }

        return end == digits ? payload : [.. payload[..digits], .. Encoding.ASCII.GetBytes(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. payload[end..]];
    }

    private static long LastStoredId(EventLog log, string deviceId) => log.ReadRecent(1, deviceId).SingleOrDefault()?.Id ?? 0;

    private static byte[][] BuildPayloads()
    {
        var texts = new List<string>();
        foreach (string id in DeviceIds)
        {
            texts.Add($$"""{"v":1,"dev":"{{id}}","seq":7,"boot":2,"up":1000,"event":"alarm"}""");
            texts.Add($$"""{"v":1,"dev":"{{id}}","seq":8,"boot":2,"up":1500,"state":"idle","door":"closed","battery":97.5}""");
            texts.Add($$"""{"v":1,"dev":"{{id}}","seq":9,"boot":2,"up":2000,"online":true,"fw":"1.2.3"}""");
            texts.Add($$"""{"v":1,"dev":"{{id}}","online":false}""");
            texts.Add($$"""{"v":1,"dev":"{{id}}","seq":10,"boot":2,"up":2500,"id":"c-1","cmd":"release","result":"done"}""");
        }

        return texts.Select(Encoding.UTF8.GetBytes).ToArray();
    }
}
