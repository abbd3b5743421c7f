namespace SmartCommunity.Edge.Tests.Fuzz;

using System;
using System.Buffers;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Tests.Metering;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>Inputs the ingest fuzzers found bugs with (hardware-docs/bad-input.md), kept as they were found.</summary>
[TestClass]
public sealed class IngestFuzzRegressionTests
{
    private const string AckTopic = "sc/v1/riverside/b2/door/b2-stair-door/ack";

    // CsCheck seed a6qlHgThz8L3: {"v":1,"dev":"b1-f<A5>-smoke","online":false} on b1-f1-smoke's event topic.
    // A lone 0xA5 inside a JSON string passed JsonDocument.Parse; dev.GetString() then threw
    // InvalidOperationException ("Cannot transcode invalid UTF-8") out of the decoder and the pipeline.
    private static readonly byte[] InvalidUtf8InDev = Convert.FromHexString("7B2276223A312C22646576223A2262312D66A52D736D6F6B65222C226F6E6C696E65223A66616C73657D");

    // CsCheck seed ehX3taN1Ukq1 (first bytes of it): a payload starting 'n' then binary. The JSON parser's message quoted the
    // whole would-be literal, so the refusal reason (logged) carried up to 512 bytes of device garbage and its newlines.
    private static readonly byte[] GarbageAfterN = Convert.FromHexString("6ED1539ABE341FB69D76880FD22CC71C1B0268C58A7B707E5A43276EF33627169B33D0D2169016433EEDE6EC48BD7A1BE67EAB0A0A0D");

    // CsCheck seed 0t9WuSFa-TC4: a state message whose property name became "\uD800state" (a token spliced in).
    // The escaped lone surrogate passed JsonDocument.Parse; TryGetProperty then threw InvalidOperationException
    // ("missing low surrogate") while matching names. As a string value it would have passed and thrown later,
    // in whatever read the field.
    private const string LoneSurrogateInName = "{\"v\":1,\"dev\":\"b1-lobby-smoke\",\"seq\":8,\"boot\":2,\"up\":1500,\"\\uD800state\":\"idle\"}";
    private const string LoneSurrogateInValue = "{\"v\":1,\"dev\":\"b1-lobby-smoke\",\"seq\":8,\"boot\":2,\"up\":1500,\"state\":\"\\uDC00\"}";

    [TestMethod]
    [DataRow(LoneSurrogateInName)]
    [DataRow(LoneSurrogateInValue)]
    public void TryDecode_EscapedLoneSurrogate_RefusedNotThrown(string payload)
    {
        bool decoded = DeviceMessageDecoder.TryDecode("sc/v1/riverside/b1/smoke/b1-lobby-smoke/state", Messages.Bytes(payload), out _, out string reason);

        Assert.IsFalse(decoded);
        Assert.Contains("unpaired surrogate", reason);
    }

    [TestMethod]
    public void TryDecode_EscapedSurrogatePair_StillAccepted()
    {
        const string Payload = "{\"v\":1,\"dev\":\"b1-lobby-smoke\",\"seq\":8,\"boot\":2,\"up\":1500,\"state\":\"\\uD83D\\uDD25\"}";

        Assert.IsTrue(DeviceMessageDecoder.TryDecode("sc/v1/riverside/b1/smoke/b1-lobby-smoke/state", Messages.Bytes(Payload), out _, out string reason), reason);
    }

    // CsCheck seed 9wXUCxXXanW1 ("pulses":"1"), and "ch":"1" added by hand: a number sent as a string in a reading.
    // MeterBook called JsonElement.TryGetInt32/TryGetInt64, which throw InvalidOperationException on a string, and
    // the exception escaped IngestPipeline.AcceptAsync before the message was stored or counted.
    [TestMethod]
    [DataRow("{\"v\":1,\"dev\":\"b1-meter-1\",\"seq\":5,\"boot\":1,\"up\":900,\"event\":\"reading\",\"ch\":1,\"pulses\":\"1\",\"total\":1234.567,\"unit\":\"m3\",\"medium\":\"water\"}", IngestResult.Accepted)]
    [DataRow("{\"v\":1,\"dev\":\"b1-meter-1\",\"seq\":5,\"boot\":1,\"up\":900,\"event\":\"reading\",\"ch\":\"1\",\"pulses\":1200,\"total\":1234.567,\"unit\":\"m3\"}", IngestResult.Accepted)]
    public async Task AcceptAsync_PulseReadingWithNumberAsString_NotThrown(string json, IngestResult expected)
    {
        await using var rig = new MeterRig();
        var pipeline = new IngestPipeline(rig.Layout, rig.Twins, rig.NewFireRule(), rig.Commands, rig.Log, rig.Counters, rig.Time, NullLogger.Instance) { Meters = rig.Book };
        DeviceDefinition meter = rig.Device(MeterRig.PulseDevice);

        IngestResult result = await pipeline.AcceptAsync(meter.Id, Messages.TopicOf(meter, Channel.Event), Messages.Bytes(json));

        // The message itself is sound and stored; a reading without a whole "ch" is refused by metering (counted there).
        Assert.AreEqual(expected, result);
        Assert.HasCount(1, rig.Log.ReadRecent(10, meter.Id));
    }

    [TestMethod]
    public void TryDecode_InvalidUtf8InsideDeviceId_RefusedWithTheByteOffset()
    {
        bool decoded = DeviceMessageDecoder.TryDecode("sc/v1/riverside/b1/smoke/b1-f1-smoke/event", new ReadOnlySequence<byte>(InvalidUtf8InDev), out _, out string reason);

        Assert.IsFalse(decoded);
        Assert.AreEqual("payload is not valid UTF-8 (byte 18); devices publish JSON in UTF-8", reason);
    }

    [TestMethod]
    public async Task AcceptAsync_InvalidUtf8InsideDeviceId_RefusedAsMalformedNotThrown()
    {
        await using var edge = new EdgeParts();

        IngestResult result = await edge.Pipeline.AcceptAsync(DemoLayout.FirstFloorSmoke, "sc/v1/riverside/b1/smoke/b1-f1-smoke/event", new ReadOnlySequence<byte>(InvalidUtf8InDev));

        Assert.AreEqual(IngestResult.Refused, result);
        Assert.AreEqual(1L, edge.Counters.RefusedByReason["malformed"]);
        Assert.IsEmpty(edge.Log.ReadRecent(10, DemoLayout.FirstFloorSmoke));
    }

    [TestMethod]
    public void TryDecode_GarbageAfterALetter_ReasonIsOneShortPrintableLine()
    {
        byte[] ascii = GarbageAfterN.Select(b => b < 0x80 ? b : (byte)'x').ToArray();

        foreach (byte[] payload in new[] { GarbageAfterN, ascii })
        {
            bool decoded = DeviceMessageDecoder.TryDecode(AckTopic, new ReadOnlySequence<byte>(payload), out _, out string reason);

            Assert.IsFalse(decoded);
            Assert.IsLessThan(250, reason.Length, reason);
            Assert.IsFalse(reason.Any(char.IsControl), reason);
        }
    }
}
