namespace SmartCommunity.Protocol.Tests.Fuzz;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CsCheck;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.MBus;
using SmartCommunity.Protocol.Tests.MBus;
using SmartCommunity.Tests.Fuzz;

/// <summary>
/// Wired M-Bus under bad input (hardware-docs/bad-input.md): the frame parser and the EN 13757-3 decoder never
/// throw, every refusal carries a code, a message and an offset inside the frame, and written frames parse back.
/// </summary>
[TestClass]
public sealed class MBusFuzzTests
{
    private static readonly byte[][] Seeds = BuildSeeds();

    private static readonly Gen<byte[]> Frames = Gen.Frequency((1, FuzzInputs.RandomBytes(300)), (4, FuzzInputs.Mutated(Seeds)));

    [TestMethod]
    public void DecodeFrame_RandomAndMutatedFrames_RefusesWithCodeMessageAndOffset()
    {
        Frames.Sample(
            frame =>
            {
                var telegram = new MBusTelegram();
                MBusError? error = MBusDecoder.DecodeFrame(frame, 0, frame.Length, telegram);

                if (error is not null)
                {
                    Assert.IsFalse(string.IsNullOrEmpty(error.Code));
                    Assert.IsFalse(string.IsNullOrEmpty(error.Message));
                    Assert.IsTrue(error.Offset >= 0 && error.Offset <= frame.Length, error.ToString());
                }
                else
                {
                    for (int i = 0; i < telegram.RecordCount; i++)
                    {
                        // Every decoded record's text forms must be printable without throwing.
                        MBusValue value = telegram.Record(i).Value;
                        _ = value.Kind == MBusValueKind.Invalid ? value.Problem : value.ToDecimalText() + value.ToIsoText() + value.ToHexText();
                    }
                }
            },
            iter: FuzzInputs.Iterations(20_000),
            print: FuzzInputs.Hex);
    }

    [TestMethod]
    public void DecodeApplication_AnyCiAndUserData_NeverThrows()
    {
        Gen.Select(Gen.Byte, Gen.Frequency((1, FuzzInputs.RandomBytes(260)), (3, FuzzInputs.Mutated(Seeds.Select(UserData).ToArray())))).Sample(
            (ci, data) =>
            {
                MBusError? error = MBusDecoder.DecodeApplication(ci, data, 0, data.Length, 7, new MBusTelegram());

                // Offsets point into the caller's frame: the CI byte just before the data (7 - 1) up to the data's end.
                Assert.IsTrue(error is null || error.Offset >= 6 && error.Offset <= 7 + data.Length, error?.ToString());
            },
            iter: FuzzInputs.Iterations(20_000),
            print: t => t.Item1.ToString("X2") + " " + FuzzInputs.Hex(t.Item2));
    }

    [TestMethod]
    public void Parse_WrittenLongFrame_GivesBackControlAddressCiAndData()
    {
        Gen.Select(Gen.Byte, Gen.Byte, Gen.Byte, Gen.Byte.Array[0, MBusFrameWriter.MaxDataLength]).Sample(
            (control, address, ci, data) =>
            {
                byte[] bytes = MBusFrameWriter.Long(control, address, ci, data);
                var frame = new MBusFrame();

                MBusError? error = MBusFrameParser.Parse(bytes, 0, bytes.Length, frame);

                Assert.IsNull(error, error?.ToString());
                Assert.AreEqual(bytes.Length, MBusFrameParser.ExpectedLength(bytes, 0, bytes.Length));
                Assert.AreEqual((control, address, ci, bytes.Length), (frame.Control, frame.Address, frame.ControlInformation, frame.FrameLength));
                CollectionAssert.AreEqual(data, frame.CopyData());
            },
            iter: FuzzInputs.Iterations(5_000));
    }

    [TestMethod]
    public void Parse_WrittenShortFrame_GivesBackControlAndAddress()
    {
        Gen.Select(Gen.Byte, Gen.Byte).Sample(
            (control, address) =>
            {
                byte[] bytes = MBusFrameWriter.Short(control, address);
                var frame = new MBusFrame();

                Assert.IsNull(MBusFrameParser.Parse(bytes, 0, bytes.Length, frame));
                Assert.AreEqual((MBusFrameKind.Short, control, address), (frame.Kind, frame.Control, frame.Address));
            },
            iter: FuzzInputs.Iterations(2_000));
    }

    [TestMethod]
    public void DecodeFrame_WrittenIntegerAndBcdRecords_DecodeToTheWrittenValues()
    {
        // DIF data fields: integers of 1, 2, 3, 4, 6 and 8 bytes, BCD of 2, 4, 6, 8, 12 digits; VIF 0x13 = volume 10^-3 m³.
        var record = Gen.Select(Gen.OneOf<byte>(0x01, 0x02, 0x03, 0x04, 0x06, 0x07, 0x09, 0x0A, 0x0B, 0x0C, 0x0E), Gen.Long);
        record.Array[1, 8].Sample(
            records =>
            {
                var writer = new MBusUserDataWriter();
                Assert.IsTrue(writer.AddLongHeader(12345678, 0x2C2D, 1, 7, 1, 0));
                var expected = new List<long>();
                foreach (var (dif, value) in records)
                {
                    if (writer.AddRecord(dif, null!, 0x13, null!, value))
                    {
                        expected.Add(dif >= 0x09 ? value : SignExtended(value, MBusDecoder.DataLength(dif)));
                    }
                }

                byte[] frame = MBusFrameWriter.RspUd(5, 0x72, writer.ToArray(), false, false);
                var telegram = new MBusTelegram();

                MBusError? error = MBusDecoder.DecodeFrame(frame, 0, frame.Length, telegram);

                Assert.IsNull(error, error?.ToString());
                CollectionAssert.AreEqual(expected, Enumerable.Range(0, telegram.RecordCount).Select(i => telegram.Record(i).Value.Mantissa).ToList());
                Assert.IsTrue(Enumerable.Range(0, telegram.RecordCount).All(i => telegram.Record(i).Value.Exponent == -3));
            },
            iter: FuzzInputs.Iterations(5_000));
    }

    [TestMethod]
    public void AddRecord_LongMinValueAsTwoDigitBcd_Refused()
    {
        // Regression (fuzz seed 9CNXKjk1su11, input [(DIF 0x09, long.MinValue)]): FitsBcd negated the value, which
        // overflows for long.MinValue, so the writer accepted it and wrote BCD "F8" (-8) instead of refusing.
        var writer = new MBusUserDataWriter();

        Assert.IsFalse(writer.AddRecord(0x09, null!, 0x13, null!, long.MinValue));
        Assert.IsFalse(writer.AddRecord(0x0E, null!, 0x13, null!, long.MinValue));
        Assert.IsTrue(writer.AddRecord(0x09, null!, 0x13, null!, -9), "one digit and the F nibble still fit");
        Assert.IsFalse(writer.AddRecord(0x09, null!, 0x13, null!, -10));
        Assert.AreEqual(0, writer.Length - 3, "only the fitting record was written");
    }

    private static long SignExtended(long value, int bytes) => bytes >= 8 ? value : (value << (64 - (8 * bytes))) >> (64 - (8 * bytes));

    private static byte[] UserData(byte[] frame) => frame.Length > 9 ? frame[7..^2] : frame;

    private static byte[][] BuildSeeds()
    {
        var seeds = new List<byte[]>();
        var writer = new MBusUserDataWriter();
        writer.AddLongHeader(12345678, 0x2C2D, 1, 7, 1, 0);
        writer.AddRecord(0x04, null!, 0x13, null!, 123456);
        writer.AddRecord(0x0C, [0x01], 0x06, null!, 4711);
        writer.AddRecord(0x02, null!, 0xFD, [0x17], 3);
        writer.AddBytes([0x0F, 0x01, 0x02, 0x03]);
        seeds.Add(MBusFrameWriter.RspUd(1, 0x72, writer.ToArray(), false, false));
        seeds.Add(MBusFrameWriter.RspUd(1, 0x78, [0x01, 0x13, 0x07, 0x2F, 0x2F], false, false));
        seeds.Add(MBusFrameWriter.ReqUd2(3, true));
        seeds.Add([0xE5]);

        // The libmbus corpus beside the repository, when it is there: real meters' frames make the best seeds.
        string? corpus = LibmbusCorpus.Directory;
        if (corpus is not null)
        {
            seeds.AddRange(Directory.GetFiles(Path.Combine(corpus, "test-frames"), "*.hex").Order(StringComparer.Ordinal).Select(LibmbusCorpus.ReadHex));
        }

        return seeds.ToArray();
    }
}
