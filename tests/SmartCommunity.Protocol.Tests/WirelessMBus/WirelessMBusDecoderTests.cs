namespace SmartCommunity.Protocol.Tests.WirelessMBus;

using System;
using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Tests.Crypto;
using SmartCommunity.Protocol.WirelessMBus;

/// <summary>
/// The decoder against telegrams from the test project's own encoder (ReferenceWirelessMBus) and one published
/// example; never only against <see cref="WirelessMBusEncoder"/>.
/// </summary>
[TestClass]
public sealed class WirelessMBusDecoderTests
{
    private const int Amb = ReferenceWirelessMBus.AmbManufacturer;
    private const string MeterId = "12345678";
    private const int Water = 0x07;

    // Amber AMB8426-M/AMB8626-M manual v2.4 (Nov. 2013), §10.2 pp. 34-35: meter AMB 12345678, version 0, device type 03,
    // key 00 01 .. 0F, and the telegram as its module sends it (CRCs not shown), one block encrypted in mode 5.
    private const string AmberKey = "000102030405060708090A0B0C0D0E0F";
    private const string AmberTelegram = "1E44A205785634120003" + "7A35001005" + "1E34C77CFE6C59B154B663297FE6C3F7";
    private const string AmberPlaintext = "2F2F007C085453455420434E452F2F2F";

    private static readonly byte[] Key = Hex.Bytes("8899AABBCCDDEEFF0011223344556677");

    [TestMethod]
    public void Decode_AmberManualExampleWithoutCrc_DecryptsToPublishedPlaintext()
    {
        WirelessMBusTelegram telegram = DecoderFor(Hex.Bytes(AmberKey)).Decode(Hex.Bytes(AmberTelegram), WirelessMBusFrameFormat.WithoutCrc);

        Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
        Assert.AreEqual("AMB", telegram.Manufacturer);
        Assert.AreEqual("12345678", telegram.IdText);
        Assert.AreEqual(0x44, telegram.Control);
        Assert.AreEqual(0, telegram.Version);
        Assert.AreEqual(0x03, telegram.DeviceType);
        Assert.AreEqual(0x7A, telegram.Ci);
        Assert.AreEqual(WirelessMBusTplHeader.Short, telegram.TplHeader);
        Assert.AreEqual(0x35, telegram.AccessNumber);
        Assert.AreEqual(0x0510, telegram.ConfigurationWord);
        Assert.AreEqual(5, telegram.SecurityMode);
        Assert.AreEqual(1, telegram.EncryptedBlockCount);
        Assert.AreEqual(AmberPlaintext, Hex.Of(telegram.CopyPayload()));
    }

    [TestMethod]
    public void Decode_AmberManualExampleInFormatA_DecryptsToPublishedPlaintext()
    {
        byte[] afterL = Hex.Bytes(AmberTelegram)[1..];
        byte[] frame = ReferenceWirelessMBus.Frame(afterL, "A");

        WirelessMBusTelegram telegram = DecoderFor(Hex.Bytes(AmberKey)).Decode(frame, WirelessMBusFrameFormat.A);

        Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
        Assert.AreEqual(0x1E, telegram.LField);
        Assert.AreEqual(AmberPlaintext, Hex.Of(telegram.CopyPayload()));
    }

    [TestMethod]
    [DataRow("A", 3)]
    [DataRow("A", 50)]
    [DataRow("B", 3)]
    [DataRow("B", 100)]
    [DataRow("B", 200)]
    [DataRow("none", 60)]
    public void Decode_UnencryptedShortHeader_ExposesFieldsAndPayload(string format, int recordBytes)
    {
        byte[] records = Random(recordBytes, recordBytes);
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram(format, Amb, "87654321", 0x21, Water, 0x9C, 0x0000, records, null);

        WirelessMBusTelegram telegram = DecoderWithoutKeys().Decode(frame, FormatOf(format));

        Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
        Assert.AreEqual("87654321", telegram.IdText);
        Assert.AreEqual(0x21, telegram.Version);
        Assert.AreEqual(Water, telegram.DeviceType);
        Assert.AreEqual(0x9C, telegram.AccessNumber);
        Assert.AreEqual(0, telegram.SecurityMode);
        Assert.AreEqual(Hex.Of(records), Hex.Of(telegram.CopyPayload()));
    }

    [TestMethod]
    public void Decode_FormatBLongest_DecodesBothCrcBlocks()
    {
        // L = 255 in format B: 252 data bytes, 126 before the first CRC and 126 before the second.
        byte[] records = Random(252 - 15, 7);
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram("B", Amb, MeterId, 1, Water, 1, 0, records, null);

        WirelessMBusTelegram telegram = DecoderWithoutKeys().Decode(frame, WirelessMBusFrameFormat.B);

        Assert.AreEqual(256, frame.Length);
        Assert.AreEqual(0xFF, telegram.LField);
        Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
        Assert.AreEqual(Hex.Of(records), Hex.Of(telegram.CopyPayload()));
    }

    [TestMethod]
    public void Decode_FormatALongest_Decodes()
    {
        byte[] records = Random(256 - 15, 8);
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram("A", Amb, MeterId, 1, Water, 1, 0, records, null);

        WirelessMBusTelegram telegram = DecoderWithoutKeys().Decode(frame, WirelessMBusFrameFormat.A);

        Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
        Assert.AreEqual(0xFF, telegram.LField);
        Assert.AreEqual(Hex.Of(records), Hex.Of(telegram.CopyPayload()));
    }

    [TestMethod]
    public void Decode_FormatACorruptedByteInEachBlock_CrcErrorNamesThatBlock()
    {
        // 10 + 16 + 16 + 16 + 7 data bytes: five blocks, the last one short.
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram("A", Amb, MeterId, 1, Water, 1, 0, Random(50, 3), null);
        int[] blockStarts = { 0, 12, 30, 48, 66 };
        int[] blockSizes = { 10, 16, 16, 16, 7 };
        Assert.AreEqual(66 + 7 + 2, frame.Length);

        for (int block = 0; block < blockStarts.Length; block++)
        {
            foreach (int inBlock in new[] { 1, blockSizes[block] - 1, blockSizes[block] + 1 })
            {
                byte[] damaged = (byte[])frame.Clone();
                damaged[blockStarts[block] + inBlock] ^= 0x10;

                WirelessMBusTelegram telegram = DecoderWithoutKeys().Decode(damaged, WirelessMBusFrameFormat.A);

                Assert.AreEqual(WirelessMBusResult.CrcError, telegram.Result, "block " + (block + 1));
                Assert.AreEqual(block + 1, telegram.CrcErrorBlock);
                StringAssert.Contains(telegram.Reason, "block " + (block + 1));
                Assert.AreEqual(0, telegram.PayloadLength);
            }
        }
    }

    [TestMethod]
    public void Decode_FormatBCorruptedByteInEachBlock_CrcErrorNamesThatBlock()
    {
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram("B", Amb, MeterId, 1, Water, 1, 0, Random(150, 4), null);

        foreach (int at in new[] { 3, 20, 125, 126, 127 })
        {
            byte[] damaged = (byte[])frame.Clone();
            damaged[at] ^= 0x01;
            WirelessMBusTelegram telegram = DecoderWithoutKeys().Decode(damaged, WirelessMBusFrameFormat.B);
            Assert.AreEqual(WirelessMBusResult.CrcError, telegram.Result);
            Assert.AreEqual(2, telegram.CrcErrorBlock, "byte " + at);
            StringAssert.Contains(telegram.Reason, "block 2");
        }

        foreach (int at in new[] { 128, 150, frame.Length - 1 })
        {
            byte[] damaged = (byte[])frame.Clone();
            damaged[at] ^= 0x80;
            WirelessMBusTelegram telegram = DecoderWithoutKeys().Decode(damaged, WirelessMBusFrameFormat.B);
            Assert.AreEqual(WirelessMBusResult.CrcError, telegram.Result);
            Assert.AreEqual(3, telegram.CrcErrorBlock, "byte " + at);
            StringAssert.Contains(telegram.Reason, "block 3");
        }
    }

    [TestMethod]
    [DataRow("A")]
    [DataRow("B")]
    [DataRow("none")]
    public void Decode_Mode5RightKey_DecodesVerified(string format)
    {
        byte[] records = ReferenceWirelessMBus.Records(40, 5);
        int blocks = records.Length / 16;
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram(format, Amb, MeterId, 0x40, Water, 0x77, ReferenceWirelessMBus.Mode5(blocks), records, Key);

        WirelessMBusTelegram telegram = DecoderFor(Key).Decode(frame, FormatOf(format));

        Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
        Assert.AreEqual(blocks, telegram.EncryptedBlockCount);
        Assert.AreEqual(Hex.Of(records), Hex.Of(telegram.CopyPayload()));
        Assert.AreEqual(0x2F, telegram.Data[telegram.PayloadOffset]);
    }

    [TestMethod]
    public void Decode_Mode5WithUnencryptedTail_PayloadHasBoth()
    {
        byte[] records = ReferenceWirelessMBus.Records(10, 6);
        byte[] tail = Hex.Bytes("0C1312345678");
        byte[] application = [.. records, .. tail];
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram("A", Amb, MeterId, 1, Water, 3, ReferenceWirelessMBus.Mode5(1), application, Key);

        WirelessMBusTelegram telegram = DecoderFor(Key).Decode(frame, WirelessMBusFrameFormat.A);

        Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
        Assert.AreEqual(Hex.Of(application), Hex.Of(telegram.CopyPayload()));
    }

    [TestMethod]
    public void Decode_Mode5LongHeaderFromRepeater_UsesMeterAddressForKeyAndIv()
    {
        // The DLL names a repeater (other manufacturer and id); the long header names the meter, whose key and address count.
        byte[] records = ReferenceWirelessMBus.Records(20, 9);
        const int Repeater = 0x4024; // "PAD"
        List<byte> bytes = ReferenceWirelessMBus.Dll(0x44, Repeater, "99990000", 0x01, 0x31);
        bytes.Add(0x72);
        bytes.AddRange(ReferenceWirelessMBus.IdBytes(MeterId));
        bytes.AddRange(new byte[] { 0xA2, 0x05, 0x15, Water, 0x42, 0x00, 0x20, 0x05 });
        bytes.AddRange(ReferenceWirelessMBus.Sealed(Amb, MeterId, 0x15, Water, 0x42, ReferenceWirelessMBus.Mode5(2), records, Key));
        byte[] frame = ReferenceWirelessMBus.Frame(bytes, "A");

        var keys = new WirelessMBusKeyTable(2);
        keys.Set(Amb, 0x12345678, Key, 0);
        WirelessMBusTelegram telegram = new WirelessMBusDecoder(keys).Decode(frame, WirelessMBusFrameFormat.A);

        Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
        Assert.AreEqual("PAD", telegram.Manufacturer);
        Assert.AreEqual("99990000", telegram.IdText);
        Assert.IsTrue(telegram.HasLongAddress);
        Assert.AreEqual(WirelessMBusTplHeader.Long, telegram.TplHeader);
        Assert.AreEqual(Amb, telegram.LongManufacturerCode);
        Assert.AreEqual(0x12345678u, telegram.LongId);
        Assert.AreEqual(0x15, telegram.LongVersion);
        Assert.AreEqual(Water, telegram.LongDeviceType);
        Assert.AreEqual(0x42, telegram.AccessNumber);
        Assert.AreEqual(Hex.Of(records), Hex.Of(telegram.CopyPayload()));
    }

    [TestMethod]
    public void Decode_Mode5WrongKey_Undecryptable()
    {
        byte[] records = ReferenceWirelessMBus.Records(30, 10);
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram("A", Amb, MeterId, 1, Water, 5, ReferenceWirelessMBus.Mode5(2), records, Key);
        byte[] wrong = (byte[])Key.Clone();
        wrong[15] ^= 1;

        WirelessMBusTelegram telegram = DecoderFor(wrong).Decode(frame, WirelessMBusFrameFormat.A);

        Assert.AreEqual(WirelessMBusResult.Undecryptable, telegram.Result);
        Assert.IsFalse(telegram.IsDecoded);
        StringAssert.Contains(telegram.Reason, "2F 2F");
        StringAssert.Contains(telegram.Reason, "AMB 12345678");
        Assert.AreEqual(0, telegram.PayloadLength);
        Assert.AreEqual(0, telegram.CopyPayload().Length);
    }

    [TestMethod]
    public void Decode_Mode5NoKeyForMeter_EncryptedAndPayloadNotExposed()
    {
        byte[] records = ReferenceWirelessMBus.Records(30, 11);
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram("A", Amb, MeterId, 1, Water, 5, ReferenceWirelessMBus.Mode5(2), records, Key);
        var otherMeterOnly = new WirelessMBusKeyTable(1);
        otherMeterOnly.Set(Amb, 0x12345679, Key, 0);

        foreach (WirelessMBusDecoder decoder in new[] { new WirelessMBusDecoder(null), new WirelessMBusDecoder(otherMeterOnly) })
        {
            WirelessMBusTelegram telegram = decoder.Decode(frame, WirelessMBusFrameFormat.A);

            Assert.AreEqual(WirelessMBusResult.Encrypted, telegram.Result);
            StringAssert.Contains(telegram.Reason, "no key for meter AMB 12345678");
            Assert.AreEqual(0, telegram.PayloadLength);
            Assert.AreEqual(5, telegram.SecurityMode);
            Assert.AreNotEqual(Hex.Of(records), Hex.Of(telegram.Data, 15, records.Length), "plaintext must not appear");
        }
    }

    [TestMethod]
    public void Decode_Mode7_UnsupportedSecurityModeNotDecoded()
    {
        byte[] application = ReferenceWirelessMBus.Records(20, 12);
        int mode7 = (7 << 8) | (2 << 4);
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram("A", Amb, MeterId, 1, Water, 5, mode7, application, null);

        WirelessMBusTelegram telegram = DecoderFor(Key).Decode(frame, WirelessMBusFrameFormat.A);

        Assert.AreEqual(WirelessMBusResult.UnsupportedSecurityMode, telegram.Result);
        Assert.AreEqual(7, telegram.SecurityMode);
        StringAssert.Contains(telegram.Reason, "security mode 7");
        Assert.AreEqual(0, telegram.PayloadLength);
    }

    [TestMethod]
    public void Decode_Mode5MoreBlocksThanData_MalformedHeader()
    {
        byte[] records = ReferenceWirelessMBus.Records(10, 13);
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram("A", Amb, MeterId, 1, Water, 5, ReferenceWirelessMBus.Mode5(1), records, Key);
        // Same telegram, but the configuration word now claims 3 blocks: rebuild with the header changed and CRCs redone.
        byte[] data = frame;
        List<byte> afterL = ReferenceWirelessMBus.Dll(0x44, Amb, MeterId, 1, Water);
        afterL.AddRange(new byte[] { 0x7A, 5, 0, 0x30, 0x05 });
        afterL.AddRange(data[(12 + 5)..(12 + 5 + 11)]);
        afterL.AddRange(data[(12 + 5 + 11 + 2)..(12 + 5 + 11 + 2 + 5)]);

        WirelessMBusTelegram telegram = DecoderFor(Key).Decode(ReferenceWirelessMBus.Frame(afterL, "A"), WirelessMBusFrameFormat.A);

        Assert.AreEqual(WirelessMBusResult.MalformedHeader, telegram.Result);
        StringAssert.Contains(telegram.Reason, "3 encrypted blocks");
    }

    [TestMethod]
    [DataRow("A")]
    [DataRow("B")]
    [DataRow("none")]
    public void Decode_Truncated_LengthErrorSaysTruncated(string format)
    {
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram(format, Amb, MeterId, 1, Water, 1, 0, Random(40, 14), null);

        WirelessMBusTelegram telegram = DecoderWithoutKeys().Decode(frame[..^1], FormatOf(format));

        Assert.AreEqual(WirelessMBusResult.LengthError, telegram.Result);
        StringAssert.StartsWith(telegram.Reason, "truncated");
        StringAssert.Contains(telegram.Reason, "announces " + frame.Length + " bytes");
    }

    [TestMethod]
    [DataRow("A")]
    [DataRow("B")]
    [DataRow("none")]
    public void Decode_TrailingBytes_LengthErrorSaysOversized(string format)
    {
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram(format, Amb, MeterId, 1, Water, 1, 0, Random(40, 15), null);
        byte[] withRssi = [.. frame, 0xC4];

        WirelessMBusTelegram telegram = DecoderWithoutKeys().Decode(withRssi, FormatOf(format));

        Assert.AreEqual(WirelessMBusResult.LengthError, telegram.Result);
        StringAssert.StartsWith(telegram.Reason, "oversized");
    }

    [TestMethod]
    public void Decode_OffsetIntoLargerBuffer_DecodesTheRangeOnly()
    {
        byte[] frame = ReferenceWirelessMBus.ShortHeaderTelegram("A", Amb, MeterId, 1, Water, 1, 0, Random(20, 16), null);
        byte[] buffer = [0xAA, 0xBB, .. frame, 0xCC];
        var telegram = new WirelessMBusTelegram();

        Assert.IsTrue(DecoderWithoutKeys().Decode(buffer, 2, frame.Length, WirelessMBusFrameFormat.A, telegram), telegram.Reason);
    }

    [TestMethod]
    public void Decode_EmptyOrNullOrBadRange_LengthErrorNoException()
    {
        WirelessMBusDecoder decoder = DecoderWithoutKeys();
        var telegram = new WirelessMBusTelegram();

        Assert.IsFalse(decoder.Decode(Array.Empty<byte>(), 0, 0, WirelessMBusFrameFormat.A, telegram));
        Assert.AreEqual("empty telegram", telegram.Reason);
        Assert.IsFalse(decoder.Decode(null, 0, 0, WirelessMBusFrameFormat.A, telegram));
        Assert.AreEqual(WirelessMBusResult.LengthError, telegram.Result);
        Assert.IsFalse(decoder.Decode(new byte[4], 2, 5, WirelessMBusFrameFormat.A, telegram));
        Assert.AreEqual(WirelessMBusResult.LengthError, telegram.Result);
        Assert.IsFalse(decoder.Decode(new byte[4], 0, 4, (WirelessMBusFrameFormat)9, telegram));
        StringAssert.Contains(telegram.Reason, "unknown frame format");
    }

    [TestMethod]
    [DataRow("A", 0x09)]
    [DataRow("none", 0x00)]
    [DataRow("B", 0x0B)]
    [DataRow("B", 0x80)]
    [DataRow("B", 0x81)]
    public void Decode_ImpossibleLField_LengthError(string format, int lField)
    {
        byte[] frame = new byte[300];
        frame[0] = (byte)lField;

        WirelessMBusTelegram telegram = DecoderWithoutKeys().Decode(frame, FormatOf(format));

        Assert.AreEqual(WirelessMBusResult.LengthError, telegram.Result);
        StringAssert.Contains(telegram.Reason, "impossible");
    }

    [TestMethod]
    public void Decode_NoTplHeaderCi78_PayloadFollowsCi()
    {
        byte[] records = Random(20, 17);
        List<byte> bytes = ReferenceWirelessMBus.Dll(0x44, Amb, MeterId, 1, Water);
        bytes.Add(0x78);
        bytes.AddRange(records);

        WirelessMBusTelegram telegram = DecoderWithoutKeys().Decode(ReferenceWirelessMBus.Frame(bytes, "A"), WirelessMBusFrameFormat.A);

        Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
        Assert.AreEqual(WirelessMBusTplHeader.None, telegram.TplHeader);
        Assert.AreEqual(0x78, telegram.Ci);
        Assert.AreEqual(Hex.Of(records), Hex.Of(telegram.CopyPayload()));
    }

    [TestMethod]
    public void Decode_ExtendedLinkLayer8CThenMode5_DecodesWithEllFields()
    {
        byte[] records = ReferenceWirelessMBus.Records(12, 18);
        List<byte> bytes = ReferenceWirelessMBus.Dll(0x44, Amb, MeterId, 1, Water);
        bytes.AddRange(new byte[] { 0x8C, 0x20, 0x6A, 0x7A, 0x6A, 0x00, 0x10, 0x05 });
        bytes.AddRange(ReferenceWirelessMBus.Sealed(Amb, MeterId, 1, Water, 0x6A, ReferenceWirelessMBus.Mode5(1), records, Key));

        WirelessMBusTelegram telegram = DecoderFor(Key).Decode(ReferenceWirelessMBus.Frame(bytes, "B"), WirelessMBusFrameFormat.B);

        Assert.AreEqual(WirelessMBusResult.Decoded, telegram.Result, telegram.Reason);
        Assert.IsTrue(telegram.HasExtendedLinkLayer);
        Assert.AreEqual(0x20, telegram.EllControl);
        Assert.AreEqual(0x6A, telegram.EllAccessNumber);
        Assert.AreEqual(0x7A, telegram.Ci);
        Assert.AreEqual(Hex.Of(records), Hex.Of(telegram.CopyPayload()));
    }

    [TestMethod]
    [DataRow(0x8D, "0x8D")]
    [DataRow(0x51, "0x51")]
    [DataRow(0x7B, "0x7B")]
    public void Decode_UnhandledCi_UnsupportedCi(int ci, string named)
    {
        List<byte> bytes = ReferenceWirelessMBus.Dll(0x44, Amb, MeterId, 1, Water);
        bytes.Add((byte)ci);
        bytes.AddRange(Random(24, ci));

        WirelessMBusTelegram telegram = DecoderFor(Key).Decode(ReferenceWirelessMBus.Frame(bytes, "A"), WirelessMBusFrameFormat.A);

        Assert.AreEqual(WirelessMBusResult.UnsupportedCi, telegram.Result);
        Assert.AreEqual(ci, telegram.Ci);
        StringAssert.Contains(telegram.Reason, named);
        Assert.AreEqual(0, telegram.PayloadLength);
    }

    [TestMethod]
    public void Decode_ShortHeaderCutShort_MalformedHeader()
    {
        List<byte> bytes = ReferenceWirelessMBus.Dll(0x44, Amb, MeterId, 1, Water);
        bytes.AddRange(new byte[] { 0x72, 0x78, 0x56, 0x34 });

        WirelessMBusTelegram telegram = DecoderWithoutKeys().Decode(ReferenceWirelessMBus.Frame(bytes, "A"), WirelessMBusFrameFormat.A);

        Assert.AreEqual(WirelessMBusResult.MalformedHeader, telegram.Result);
        StringAssert.Contains(telegram.Reason, "needs 12 bytes, 3 follow");
    }

    [TestMethod]
    public void Count_EachResult_CountedOnce()
    {
        WirelessMBusDecoder decoder = DecoderFor(Hex.Bytes(AmberKey));
        decoder.Decode(Hex.Bytes(AmberTelegram), WirelessMBusFrameFormat.WithoutCrc);
        decoder.Decode(Hex.Bytes(AmberTelegram)[..^1], WirelessMBusFrameFormat.WithoutCrc);
        decoder.Decode(Array.Empty<byte>(), WirelessMBusFrameFormat.A);

        Assert.AreEqual(1, decoder.Count(WirelessMBusResult.Decoded));
        Assert.AreEqual(2, decoder.Count(WirelessMBusResult.LengthError));
        Assert.AreEqual(0, decoder.Count(WirelessMBusResult.CrcError));
    }

    [TestMethod]
    public void Decode_ReusedTelegram_FailureClearsEarlierPayload()
    {
        WirelessMBusDecoder decoder = DecoderFor(Hex.Bytes(AmberKey));
        var telegram = new WirelessMBusTelegram();
        decoder.Decode(Hex.Bytes(AmberTelegram), 0, 31, WirelessMBusFrameFormat.WithoutCrc, telegram);
        Assert.IsTrue(telegram.IsDecoded);

        byte[] mode7 = Hex.Bytes(AmberTelegram);
        mode7[14] = 0x07;
        decoder.Decode(mode7, 0, 31, WirelessMBusFrameFormat.WithoutCrc, telegram);

        Assert.AreEqual(WirelessMBusResult.UnsupportedSecurityMode, telegram.Result);
        Assert.AreEqual(0, telegram.PayloadLength);
    }

    [TestMethod]
    public void Decode_RandomAndMutatedInput_NeverThrowsAndNeverDecodesBrokenCrc()
    {
        var random = new Random(4242);
        WirelessMBusDecoder decoder = DecoderFor(Key);
        var telegram = new WirelessMBusTelegram();
        byte[] valid = ReferenceWirelessMBus.ShortHeaderTelegram("A", Amb, MeterId, 1, Water, 9, ReferenceWirelessMBus.Mode5(3), ReferenceWirelessMBus.Records(40, 19), Key);
        WirelessMBusFrameFormat[] formats = { WirelessMBusFrameFormat.A, WirelessMBusFrameFormat.B, WirelessMBusFrameFormat.WithoutCrc };

        for (int n = 0; n < 3000; n++)
        {
            byte[] noise = new byte[random.Next(0, 300)];
            random.NextBytes(noise);
            decoder.Decode(noise, 0, noise.Length, formats[n % 3], telegram);
            AssertNoDecoderFault(telegram);

            byte[] mutated = (byte[])valid.Clone();
            mutated[random.Next(mutated.Length)] ^= (byte)(1 + random.Next(255));
            decoder.Decode(mutated, 0, mutated.Length, WirelessMBusFrameFormat.A, telegram);
            Assert.IsFalse(telegram.IsDecoded, "a single damaged byte must not pass");
            AssertNoDecoderFault(telegram);
        }
    }

    // The decoder turns its own exceptions into "decoder fault" refusals; random input must never reach one.
    private static void AssertNoDecoderFault(WirelessMBusTelegram telegram)
    {
        Assert.IsFalse(telegram.Reason != null && telegram.Reason.StartsWith("decoder fault", StringComparison.Ordinal), telegram.Reason);
    }

    private static WirelessMBusDecoder DecoderWithoutKeys() => new(null);

    private static WirelessMBusDecoder DecoderFor(byte[] key)
    {
        var keys = new WirelessMBusKeyTable(4);
        keys.Set(Amb, 0x12345678, key, 0);
        return new WirelessMBusDecoder(keys);
    }

    private static WirelessMBusFrameFormat FormatOf(string format) => format switch
    {
        "A" => WirelessMBusFrameFormat.A,
        "B" => WirelessMBusFrameFormat.B,
        _ => WirelessMBusFrameFormat.WithoutCrc,
    };

    private static byte[] Random(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
