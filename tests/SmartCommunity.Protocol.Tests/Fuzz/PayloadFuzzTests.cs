namespace SmartCommunity.Protocol.Tests.Fuzz;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol;
using SmartCommunity.Tests.Fuzz;

/// <summary>
/// The firmware's JSON codec under bad input (hardware-docs/bad-input.md): PayloadReader, CommandDecoder and
/// FireStateDecoder never throw, refuse with a reason, enforce the size limit first, and agree with PayloadWriter.
/// </summary>
[TestClass]
public sealed class PayloadFuzzTests
{
    private static readonly string Mac = new('a', 64);

    /// <summary>Well-formed commands of every shape the edge sends (hardware-docs/protocol.md §4).</summary>
    internal static readonly byte[][] ValidCommands = new[]
    {
        "{\"v\":1,\"id\":\"cmd-42\",\"cmd\":\"release\",\"ctr\":17,\"boot\":3,\"exp\":90000,\"mac\":\"" + Mac + "\"}",
        "{\"v\":1,\"id\":\"c7\",\"cmd\":\"unlock\",\"ms\":5000}",
        "{\"v\":1,\"id\":\"c8\",\"cmd\":\"call-received\",\"call\":\"call-1\"}",
        "{\"v\":1,\"id\":\"g1\",\"cmd\":\"grant\",\"req\":12,\"ms\":3000}",
        "{\"v\":1,\"id\":\"o1\",\"cmd\":\"open\",\"req\":4}",
        "{\"v\":1,\"id\":\"l1\",\"cmd\":\"allow-list\",\"op\":\"full\",\"ver\":3,\"now\":1740000000,\"part\":1,\"parts\":2,\"add\":\"1234:0:0;99:1740000000:1750000000\"}",
        "{\"v\":1,\"id\":\"l2\",\"cmd\":\"allow-list\",\"op\":\"delta\",\"ver\":4,\"base\":3,\"now\":1740000000,\"add\":\"77:0:0\",\"remove\":\"1234;99\"}",
        "{ \"v\" : 1 , \"id\" : \"esc\\\"\\\\\\u0041\" , \"cmd\" : \"self-test\" , \"x\" : [1, 2.5e3, {\"y\": null}, true, false] }",
    }.Select(Encoding.ASCII.GetBytes).ToArray();

    private static readonly byte[][] ValidFireStates =
        new[] { "{\"v\":1,\"state\":\"alarm\",\"zone\":\"b1\"}", "{\"v\":1,\"state\":\"clear\"}" }.Select(Encoding.ASCII.GetBytes).ToArray();

    private static readonly Gen<byte[]> CommandInputs = Gen.Frequency(
        (1, FuzzInputs.RandomBytes(MessageLimits.MaxDownlinkBytes + 64)),
        (3, FuzzInputs.Mutated(ValidCommands)),
        (2, FuzzInputs.FieldSwapped(ValidCommands)));

    [TestMethod]
    public void Decode_RandomAndMutatedCommands_NeverThrowsAndRefusesWithAReason()
    {
        CommandInputs.Sample(
            payload =>
            {
                var command = new Command();
                CommandRejection rejection = new CommandDecoder().Decode(payload, payload.Length, command);

                Assert.IsTrue(Enum.IsDefined(rejection), $"undefined rejection {(int)rejection}");
                if (payload.Length > MessageLimits.MaxDownlinkBytes)
                {
                    Assert.AreEqual(CommandRejection.Oversized, rejection, "the size limit comes before parsing");
                }

                if (rejection == CommandRejection.None)
                {
                    Assert.AreNotEqual(CommandKind.Unknown, command.Kind);
                    Assert.IsTrue(command.IdLength is > 0 and <= MessageLimits.MaxIdLength);
                    Assert.IsTrue(command.DurationMs >= 0);
                    Assert.IsTrue(command.MacLength is >= 0 and <= MessageLimits.MaxMacLength);
                }
            },
            iter: FuzzInputs.Iterations(20_000),
            print: FuzzInputs.Show);
    }

    [TestMethod]
    public void Decode_PayloadBufferLargerThanLength_ReadsOnlyLengthBytes()
    {
        // The firmware decodes from a reused receive buffer; bytes past the length must not be seen.
        Gen.Select(FuzzInputs.Mutated(ValidCommands), Gen.Byte.Array[0, 64]).Sample(
            (payload, tail) =>
            {
                byte[] buffer = payload.Concat(tail).ToArray();
                var exact = new Command();
                var padded = new Command();

                CommandRejection expected = new CommandDecoder().Decode(payload, payload.Length, exact);
                CommandRejection actual = new CommandDecoder().Decode(buffer, payload.Length, padded);

                Assert.AreEqual(expected, actual);
                Assert.AreEqual(exact.Kind, padded.Kind);
            },
            iter: FuzzInputs.Iterations(5_000),
            print: t => FuzzInputs.Show(t.Item1) + " + " + FuzzInputs.Hex(t.Item2));
    }

    [TestMethod]
    public void Decode_WrittenCommand_RoundTripsEveryField()
    {
        var ids = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_\"\\ /:"].Array[1, MessageLimits.MaxIdLength].Select(c => new string(c));
        var gen = Gen.Select(ids, Gen.Int[1, (int)CommandKind.Evacuate], Gen.Long, Gen.Long, Gen.Long, Gen.Long[0, long.MaxValue], ids);
        gen.Sample(
            (id, kind, counter, boot, expires, duration, call) =>
            {
                var writer = new PayloadWriter(new byte[MessageLimits.MaxDownlinkBytes]);
                writer.BeginObject();
                writer.Property("v", ProtocolVersion.Current);
                writer.Property("id", id);
                writer.Property("cmd", CommandNames.NameOf((CommandKind)kind));
                writer.Property("ctr", counter);
                writer.Property("boot", boot);
                writer.Property("exp", expires);
                writer.Property("ms", duration);
                writer.Property("call", call);
                writer.Property("req", 1 + (duration % 1000));
                writer.Property("op", CommandNames.ListOpFull);
                writer.Property("ver", 1L);
                writer.Property("now", 1L);
                writer.Property("part", 1L);
                writer.Property("parts", 1L);
                writer.EndObject();
                Assert.IsFalse(writer.Overflowed);

                var command = new Command();
                CommandRejection rejection = new CommandDecoder().Decode(writer.Buffer, writer.Length, command);

                Assert.AreEqual(CommandRejection.None, rejection, Encoding.ASCII.GetString(writer.Buffer, 0, writer.Length));
                Assert.AreEqual(id, Encoding.ASCII.GetString(command.Id, 0, command.IdLength));
                Assert.AreEqual(call, Encoding.ASCII.GetString(command.CallId, 0, command.CallIdLength));
                Assert.AreEqual((CommandKind)kind, command.Kind);
                Assert.AreEqual((counter, boot, expires, duration), (command.Counter, command.Boot, command.ExpiresAtUptimeMs, command.DurationMs));
            },
            iter: FuzzInputs.Iterations(5_000));
    }

    [TestMethod]
    public void Load_WrittenObject_EveryPropertyReadsBack()
    {
        // Unique ASCII names; values of each kind PayloadWriter writes, including long.MinValue and fixed-point numbers.
        var name = Gen.Char['a', 'z'].Array[1, 8].Select(c => new string(c));
        var text = Gen.Char[(char)0x20, (char)0x7E].Array[0, 24].Select(c => new string(c));
        var property = Gen.Select(name, Gen.Int[0, 3], Gen.Long, text, Gen.Int[0, 19], (n, k, l, t, d) => (n, k, l, t, d));
        property.Array[1, 8].Select(p => p.DistinctBy(x => x.n).ToArray()).Sample(
            properties =>
            {
                var writer = new PayloadWriter(new byte[2048]);
                writer.BeginObject();
                foreach (var (n, k, l, t, d) in properties)
                {
                    switch (k)
                    {
                        case 0: writer.Property(n, l); break;
                        case 1: writer.Property(n, t); break;
                        case 2: writer.Property(n, (l & 1) == 0); break;
                        default: writer.DecimalProperty(n, l, d); break;
                    }
                }

                writer.EndObject();
                var reader = new PayloadReader();
                Assert.IsTrue(reader.Load(writer.Buffer, 0, writer.Length), Encoding.ASCII.GetString(writer.Buffer, 0, writer.Length));
                using JsonDocument oracle = JsonDocument.Parse(writer.Buffer.AsMemory(0, writer.Length));
                foreach (var (n, k, l, t, d) in properties)
                {
                    switch (k)
                    {
                        case 0:
                            Assert.IsTrue(reader.TryGetInt64(n, out long number));
                            Assert.AreEqual(l, number);
                            break;
                        case 1:
                            byte[] copy = new byte[64];
                            int length = reader.CopyString(n, copy);
                            Assert.AreEqual(t, Encoding.ASCII.GetString(copy, 0, length));
                            break;
                        case 2:
                            Assert.IsTrue(reader.TryGetBool(n, out bool flag));
                            Assert.AreEqual((l & 1) == 0, flag);
                            break;
                        default:
                            // Exact: the oracle's decimal equals l / 10^d.
                            decimal expected = d == 0 ? l : (decimal)l / (decimal)Math.Pow(10, d);
                            Assert.AreEqual(expected, oracle.RootElement.GetProperty(n).GetDecimal());
                            break;
                    }
                }
            },
            iter: FuzzInputs.Iterations(5_000));
    }

    [TestMethod]
    public void Load_RandomAndMutatedBytes_AcceptsOnlyWhatAStrictJsonParserAccepts()
    {
        // A differential check: System.Text.Json with the same depth limit is the oracle (ASCII inputs only,
        // since PayloadReader passes non-ASCII bytes through and leaves UTF-8 checks to the edge).
        Gen.Frequency((1, FuzzInputs.RandomBytes(64)), (4, FuzzInputs.Mutated(ValidCommands))).Sample(
            payload =>
            {
                if (payload.Any(b => b >= 0x80))
                {
                    return;
                }

                bool accepted = new PayloadReader().Load(payload, 0, payload.Length);
                bool oracle;
                try
                {
                    using JsonDocument document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = PayloadReader.MaxDepth });
                    oracle = document.RootElement.ValueKind == JsonValueKind.Object;
                }
                catch (JsonException)
                {
                    oracle = false;
                }

                Assert.AreEqual(oracle, accepted, "PayloadReader and System.Text.Json disagree");
            },
            iter: FuzzInputs.Iterations(20_000),
            print: FuzzInputs.Show);
    }

    [TestMethod]
    public void Decode_RandomAndMutatedFireStates_UnknownUnlessWellFormed()
    {
        Gen.Frequency((1, FuzzInputs.RandomBytes(MessageLimits.MaxDownlinkBytes + 64)), (3, FuzzInputs.Mutated(ValidFireStates))).Sample(
            payload =>
            {
                FireState state = new FireStateDecoder().Decode(payload, payload.Length);

                Assert.IsTrue(Enum.IsDefined(state));
                if (state != FireState.Unknown)
                {
                    Assert.IsTrue(payload.Length <= MessageLimits.MaxDownlinkBytes);
                    string text = Encoding.Latin1.GetString(payload);
                    Assert.Contains(state == FireState.Alarm ? "\"alarm\"" : "\"clear\"", text);
                }
            },
            iter: FuzzInputs.Iterations(10_000),
            print: FuzzInputs.Show);
    }
}
