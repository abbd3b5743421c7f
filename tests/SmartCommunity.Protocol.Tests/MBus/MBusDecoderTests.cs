namespace SmartCommunity.Protocol.Tests.MBus;

using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.MBus;

[TestClass]
public sealed class MBusDecoderTests
{
    [TestMethod]
    public void DecodeFrame_LongHeader_ReadsIdManufacturerVersionMediumAccessStatus()
    {
        // Kamstrup 382 header from the libmbus corpus: id 14839120 BCD LSB first, "KAM" = 0x2C2D.
        MBusTelegram telegram = Decode(0x72, [0x20, 0x91, 0x83, 0x14, 0x2D, 0x2C, 0x01, 0x02, 0x04, 0x10, 0x00, 0x00]);

        Assert.AreEqual("14839120", telegram.Identification);
        Assert.AreEqual("KAM", telegram.Manufacturer);
        Assert.AreEqual(1, telegram.Version);
        Assert.AreEqual("electricity", MBusNames.Medium(telegram.Medium));
        Assert.AreEqual(4, telegram.AccessNumber);
        Assert.AreEqual(0x10, telegram.Status);
        Assert.AreEqual(0, telegram.RecordCount);
    }

    [TestMethod]
    public void DecodeFrame_ShortHeader_ReadsAccessStatusAndSignatureThenRecords()
    {
        MBusTelegram telegram = Decode(0x7A, [0x2A, 0x00, 0x00, 0x05, 0x01, 0x13, 0x07]);

        Assert.IsFalse(telegram.HasIdentification);
        Assert.AreEqual(42, telegram.AccessNumber);
        Assert.AreEqual(0x0500, telegram.Signature);
        Assert.AreEqual("0.007", telegram.Record(0).Value.ToDecimalText());
    }

    [TestMethod]
    public void DecodeFrame_NoHeader_ReadsRecordsRightAfterCi()
    {
        MBusTelegram telegram = Decode(0x78, [0x01, 0x13, 0x07]);

        Assert.IsFalse(telegram.HasAccessAndStatus);
        Assert.AreEqual(1, telegram.RecordCount);
        Assert.AreEqual(MBusQuantities.Volume, telegram.Record(0).Quantity);
    }

    [TestMethod]
    [DataRow(new byte[] { 0x01, 0x03, 0xFF }, "-1")] // 8-bit two's complement
    [DataRow(new byte[] { 0x02, 0x03, 0x00, 0x80 }, "-32768")]
    [DataRow(new byte[] { 0x03, 0x03, 0x01, 0x02, 0x03 }, "197121")]
    [DataRow(new byte[] { 0x04, 0x03, 0xFF, 0xFF, 0xFF, 0x7F }, "2147483647")]
    [DataRow(new byte[] { 0x06, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 }, "-140737488355328")]
    [DataRow(new byte[] { 0x07, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, "9223372036854775807")]
    [DataRow(new byte[] { 0x09, 0x03, 0x99 }, "99")]
    [DataRow(new byte[] { 0x0A, 0x03, 0x34, 0x12 }, "1234")]
    [DataRow(new byte[] { 0x0B, 0x03, 0x56, 0x34, 0x12 }, "123456")]
    [DataRow(new byte[] { 0x0C, 0x03, 0x78, 0x56, 0x34, 0x12 }, "12345678")]
    [DataRow(new byte[] { 0x0E, 0x03, 0x12, 0x90, 0x78, 0x56, 0x34, 0x12 }, "123456789012")]
    [DataRow(new byte[] { 0x0C, 0x03, 0x78, 0x56, 0x34, 0xF2 }, "-2345678")] // high nibble F: negative
    public void DecodeFrame_EachIntegerAndBcdDataField_GivesTheExactValue(byte[] record, string expected)
    {
        MBusTelegram telegram = Decode(0x78, record);

        Assert.AreEqual(MBusValueKind.Decimal, telegram.Record(0).Value.Kind);
        Assert.AreEqual(expected, telegram.Record(0).Value.ToDecimalText());
        Assert.AreEqual("Wh", telegram.Record(0).Unit);
    }

    [TestMethod]
    public void DecodeFrame_BcdWithANonDigitNibble_IsInvalidWithAReasonNotAnError()
    {
        MBusTelegram telegram = Decode(0x78, [0x0A, 0x03, 0x3A, 0x12, 0x01, 0x03, 0x05]);

        Assert.AreEqual(MBusValueKind.Invalid, telegram.Record(0).Value.Kind);
        StringAssert.Contains(telegram.Record(0).Value.Problem, "0x3A");
        Assert.AreEqual("5", telegram.Record(1).Value.ToDecimalText(), "the next record still decodes");
    }

    [TestMethod]
    public void DecodeFrame_Real32_IsScaledByTheVif()
    {
        // 1.5f = 0x3FC00000, VIF 0x5B flow temperature in °C.
        MBusTelegram telegram = Decode(0x78, [0x05, 0x5B, 0x00, 0x00, 0xC0, 0x3F, 0x05, 0x59, 0x00, 0x00, 0xC0, 0xBF]);

        Assert.AreEqual(1.5, telegram.Record(0).Value.Real);
        Assert.AreEqual(-0.015, telegram.Record(1).Value.Real, 1e-12);
    }

    [TestMethod]
    [DataRow((byte)0x00, "energy", "Wh", "0.123")]
    [DataRow((byte)0x0F, "energy", "J", "1230000000")]
    [DataRow((byte)0x16, "volume", "m3", "123")]
    [DataRow((byte)0x1B, "mass", "kg", "123")]
    [DataRow((byte)0x21, "on-time", "s", "7380")]
    [DataRow((byte)0x26, "operating-time", "s", "442800")]
    [DataRow((byte)0x27, "operating-time", "s", "10627200")]
    [DataRow((byte)0x2B, "power", "W", "123")]
    [DataRow((byte)0x33, "power", "J/h", "123000")]
    [DataRow((byte)0x3B, "volume-flow", "m3/h", "0.123")]
    [DataRow((byte)0x46, "volume-flow", "m3/h", "738")] // 12.3 m3/min
    [DataRow((byte)0x4E, "volume-flow", "m3/h", "442.8")] // 0.123 m3/s
    [DataRow((byte)0x53, "mass-flow", "kg/h", "123")]
    [DataRow((byte)0x59, "flow-temperature", "°C", "1.23")]
    [DataRow((byte)0x5D, "return-temperature", "°C", "1.23")]
    [DataRow((byte)0x62, "temperature-difference", "K", "12.3")]
    [DataRow((byte)0x67, "external-temperature", "°C", "123")]
    [DataRow((byte)0x68, "pressure", "bar", "0.123")]
    [DataRow((byte)0x78, "fabrication-number", "", "123")]
    public void DecodeFrame_PrimaryVif_GivesQuantityBaseUnitAndExactScaledValue(byte vif, string quantity, string unit, string value)
    {
        MBusTelegram telegram = Decode(0x78, [0x02, vif, 0x7B, 0x00]);

        MBusRecord record = telegram.Record(0);
        Assert.AreEqual(quantity, record.Quantity);
        Assert.AreEqual(unit, record.Unit);
        Assert.AreEqual(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(record.Value.ToDecimalText()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    [DataRow((byte)0xFD, (byte)0x48, "voltage", "V", "12.3")]
    [DataRow((byte)0xFD, (byte)0x5C, "current", "A", "123")]
    [DataRow((byte)0xFD, (byte)0x17, "error-flags", "", "123")]
    [DataRow((byte)0xFD, (byte)0x0E, "firmware-version", "", "123")]
    [DataRow((byte)0xFB, (byte)0x01, "energy", "Wh", "123000000")]
    [DataRow((byte)0xFB, (byte)0x09, "energy", "J", "123000000000")]
    [DataRow((byte)0xFB, (byte)0x1A, "relative-humidity", "%", "12.3")]
    public void DecodeFrame_ExtensionTableVif_UsesThatTable(byte vif, byte code, string quantity, string unit, string value)
    {
        MBusTelegram telegram = Decode(0x78, [0x02, vif, code, 0x7B, 0x00]);

        MBusRecord record = telegram.Record(0);
        Assert.AreEqual(code, record.ExtensionCode);
        Assert.AreEqual(quantity, record.Quantity);
        Assert.AreEqual(unit, record.Unit);
        Assert.AreEqual(value, record.Value.ToDecimalText());
    }

    [TestMethod]
    public void DecodeFrame_DifeChain_CollectsStorageTariffAndSubunitBits()
    {
        // DIF 0xC4: storage LSB 1, 32-bit, extension. DIFE 0xDA: subunit 1, tariff 1, storage 0xA, extension.
        // DIFE 0x23: tariff 2, storage 3. storage = 1 | 0xA << 1 | 3 << 5 = 0x75; tariff = 1 | 2 << 2 = 9; subunit 1.
        MBusTelegram telegram = Decode(0x78, [0xC4, 0xDA, 0x23, 0x06, 0x01, 0x00, 0x00, 0x00]);

        MBusRecord record = telegram.Record(0);
        Assert.AreEqual(0x75L, record.StorageNumber);
        Assert.AreEqual(9, record.Tariff);
        Assert.AreEqual(1, record.Subunit);
    }

    [TestMethod]
    [DataRow(10, false)]
    [DataRow(11, true)]
    public void DecodeFrame_DifeCount_AllowsTenAndRefusesEleven(int difes, bool refused)
    {
        byte[] record = new byte[1 + difes + 2];
        record[0] = 0x81;
        for (int i = 1; i <= difes; i++)
        {
            record[i] = (byte)(i == difes ? 0x00 : 0x80);
        }

        record[difes + 1] = 0x03;
        record[difes + 2] = 0x01;

        MBusError? error = DecodeError(0x78, record);

        Assert.AreEqual(refused, error is not null, error?.ToString());
        if (refused)
        {
            Assert.AreEqual(MBusErrorCodes.TooManyDifes, error!.Code);
            Assert.AreEqual(7 + 11, error.Offset, "offset of the eleventh DIFE in the frame");
        }
    }

    [TestMethod]
    [DataRow(10, false)]
    [DataRow(11, true)]
    public void DecodeFrame_VifeCount_AllowsTenAndRefusesEleven(int vifes, bool refused)
    {
        byte[] record = new byte[2 + vifes + 1];
        record[0] = 0x01;
        record[1] = 0x83;
        for (int i = 0; i < vifes; i++)
        {
            record[2 + i] = (byte)(i == vifes - 1 ? 0x3C : 0xBC);
        }

        record[2 + vifes] = 0x01;

        MBusError? error = DecodeError(0x78, record);

        Assert.AreEqual(refused, error is not null, error?.ToString());
        if (refused)
        {
            Assert.AreEqual(MBusErrorCodes.TooManyVifes, error!.Code);
        }
    }

    [TestMethod]
    public void DecodeFrame_MultiplicativeCorrectionVife_ShiftsTheDecimalExponent()
    {
        // VIF 0x83 (Wh) + VIFE 0x74 (× 10^-2): 1234 → 12.34 Wh.
        MBusTelegram telegram = Decode(0x78, [0x02, 0x83, 0x74, 0xD2, 0x04]);

        Assert.AreEqual("12.34", telegram.Record(0).Value.ToDecimalText());
        CollectionAssert.AreEqual(new byte[] { 0x74 }, telegram.Record(0).Vifes);
    }

    [TestMethod]
    public void DecodeFrame_DateTypeGAndF_GiveIsoText()
    {
        // G: 31.12.2011 = 1F 1C... day 31, month 12, year 11: byte0 = 31 | (11 & 7) << 5 = 0x7F, byte1 = 12 | (11 >> 3) << 4 = 0x1C.
        // F: 24.01.2012 11:47: 2F 0B 98 11 (min 47, hour 11, day 24 | (12 & 7) << 5, month 1 | (12 >> 3) << 4).
        MBusTelegram telegram = Decode(0x78, [0x02, 0x6C, 0x7F, 0x1C, 0x04, 0x6D, 0x2F, 0x0B, 0x98, 0x11]);

        Assert.AreEqual("2011-12-31", telegram.Record(0).Value.ToIsoText());
        Assert.AreEqual(MBusQuantities.Date, telegram.Record(0).Quantity);
        Assert.AreEqual("2012-01-24T11:47:00", telegram.Record(1).Value.ToIsoText());
        Assert.AreEqual(MBusQuantities.DateTime, telegram.Record(1).Quantity);
    }

    [TestMethod]
    public void DecodeFrame_SixByteDateTime_GivesSeconds()
    {
        // Type I: 05 s, 47 min, 11 h, day 24 | year low, month 1 | year high, 0.
        MBusTelegram telegram = Decode(0x78, [0x06, 0x6D, 0x05, 0x2F, 0x0B, 0x98, 0x11, 0x00]);

        Assert.AreEqual("2012-01-24T11:47:05", telegram.Record(0).Value.ToIsoText());
    }

    [TestMethod]
    public void DecodeFrame_AllZeroDate_IsInvalidNotAnError()
    {
        MBusTelegram telegram = Decode(0x78, [0x02, 0x6C, 0x00, 0x00]);

        Assert.AreEqual(MBusValueKind.Invalid, telegram.Record(0).Value.Kind);
        StringAssert.Contains(telegram.Record(0).Value.Problem, "not set");
    }

    [TestMethod]
    public void DecodeFrame_VariableLengthText_IsReadLastCharacterFirst()
    {
        // DIF 0x0D, VIF 0xFD 0x11 (customer), LVAR 3, "CBA" on the wire = "ABC".
        MBusTelegram telegram = Decode(0x78, [0x0D, 0xFD, 0x11, 0x03, 0x43, 0x42, 0x41]);

        Assert.AreEqual(MBusValueKind.Text, telegram.Record(0).Value.Kind);
        Assert.AreEqual("ABC", telegram.Record(0).Value.Text);
    }

    [TestMethod]
    public void DecodeFrame_PlainTextVif_UsesTheTextAsUnit()
    {
        // elv_temp_humid: FC 03 "HR%" 74 → unit "%RH", × 10^-2.
        MBusTelegram telegram = Decode(0x78, [0x02, 0xFC, 0x03, 0x48, 0x52, 0x25, 0x74, 0xD4, 0x11]);

        Assert.AreEqual("%RH", telegram.Record(0).Unit);
        Assert.AreEqual("45.64", telegram.Record(0).Value.ToDecimalText());
    }

    [TestMethod]
    public void DecodeFrame_FillersAndManufacturerData_SkipsFillersAndKeepsTheBytes()
    {
        MBusTelegram telegram = Decode(0x78, [0x2F, 0x01, 0x13, 0x05, 0x2F, 0x1F, 0xDE, 0xAD]);

        Assert.AreEqual(2, telegram.RecordCount);
        Assert.AreEqual(MBusFunction.MoreRecordsFollow, telegram.Record(1).Function);
        Assert.AreEqual("DEAD", telegram.Record(1).Value.ToHexText());
        Assert.IsTrue(telegram.MoreRecordsFollow);
    }

    [TestMethod]
    public void DecodeFrame_ManufacturerVif_KeepsTheValueUnscaled()
    {
        MBusTelegram telegram = Decode(0x78, [0x01, 0xFF, 0x01, 0x2A]);

        Assert.AreEqual(MBusQuantities.ManufacturerSpecific, telegram.Record(0).Quantity);
        Assert.AreEqual("42", telegram.Record(0).Value.ToDecimalText());
    }

    [TestMethod]
    public void DecodeFrame_FixedDataStructure_ReadsBothCounters()
    {
        // libmbus corpus sen_pollusonic_2: counters 6531 kWh and 69 l, BCD, medium heat.
        MBusTelegram telegram = Decode(0x73, [0x93, 0x92, 0x91, 0x90, 0x10, 0x00, 0x05, 0x69, 0x31, 0x65, 0x00, 0x00, 0x69, 0x00, 0x00, 0x00]);

        Assert.AreEqual("90919293", telegram.Identification);
        Assert.AreEqual(0x04, telegram.Medium);
        Assert.AreEqual("6531000", telegram.Record(0).Value.ToDecimalText());
        Assert.AreEqual("Wh", telegram.Record(0).Unit);
        Assert.AreEqual("0.069", telegram.Record(1).Value.ToDecimalText());
        Assert.AreEqual("m3", telegram.Record(1).Unit);
    }

    [TestMethod]
    [DataRow(new byte[] { 0x04, 0x03, 0x01 }, MBusErrorCodes.PrematureEnd, 9)]
    [DataRow(new byte[] { 0x84 }, MBusErrorCodes.PrematureEnd, 8)]
    [DataRow(new byte[] { 0x04 }, MBusErrorCodes.PrematureEnd, 8)]
    [DataRow(new byte[] { 0x04, 0x83 }, MBusErrorCodes.PrematureEnd, 9)]
    [DataRow(new byte[] { 0x04, 0xFD }, MBusErrorCodes.PrematureEnd, 9)]
    [DataRow(new byte[] { 0x0D, 0x03, 0x05, 0x41 }, MBusErrorCodes.PrematureEnd, 10)]
    [DataRow(new byte[] { 0x0D, 0x03, 0xFB }, MBusErrorCodes.BadRecord, 9)]
    [DataRow(new byte[] { 0x3F }, MBusErrorCodes.BadRecord, 7)]
    [DataRow(new byte[] { 0x02, 0x7C, 0xC0 }, MBusErrorCodes.BadRecord, 9)]
    public void DecodeFrame_BrokenRecord_NamesTheFaultAtItsFrameOffset(byte[] records, string code, int offset)
    {
        MBusError? error = DecodeError(0x78, records);

        Assert.IsNotNull(error);
        Assert.AreEqual(code, error.Code, error.ToString());
        Assert.AreEqual(offset, error.Offset, error.ToString());
    }

    [TestMethod]
    public void DecodeFrame_LongHeaderCutShort_IsAPrematureEnd()
    {
        MBusError? error = DecodeError(0x72, [0x20, 0x91, 0x83]);

        Assert.IsNotNull(error);
        Assert.AreEqual(MBusErrorCodes.PrematureEnd, error.Code);
        StringAssert.Contains(error.Message, "12 bytes");
    }

    [TestMethod]
    public void DecodeFrame_UnknownCi_IsRefusedAtTheCiByte()
    {
        MBusError? error = DecodeError(0x55, [0x00]);

        Assert.IsNotNull(error);
        Assert.AreEqual(MBusErrorCodes.UnsupportedCi, error.Code);
        Assert.AreEqual(6, error.Offset);
    }

    [TestMethod]
    public void DecodeFrame_EveryByteOfEveryCorpusFrameFlipped_NeverThrows()
    {
        string corpus = LibmbusCorpus.Require(LibmbusCorpus.Directory is null ? LibmbusCorpus.Missing : "all");
        var telegram = new MBusTelegram();
        int refused = 0;
        foreach (string path in Directory.GetFiles(Path.Combine(corpus, "test-frames"), "*.hex"))
        {
            byte[] frame = LibmbusCorpus.ReadHex(path);
            for (int i = 0; i < frame.Length; i++)
            {
                foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
                {
                    byte[] bent = (byte[])frame.Clone();
                    bent[i] ^= mask;

                    // Fix the checksum so the damage reaches the application layer.
                    if (bent[0] == 0x68 && bent.Length > 6 && i != bent.Length - 2 && i > 3 && i < bent.Length - 2)
                    {
                        bent[^2] = MBusLink.Checksum(bent, 4, bent.Length - 6);
                    }

                    MBusError? error = MBusDecoder.DecodeFrame(bent, 0, bent.Length, telegram);
                    if (error is not null)
                    {
                        refused++;
                        Assert.IsFalse(string.IsNullOrEmpty(error.Message));
                    }
                }

                Assert.IsNotNull(MBusDecoder.DecodeFrame(frame, 0, i, telegram), $"{Path.GetFileName(path)} cut to {i} bytes accepted");
            }
        }

        Assert.IsGreaterThan(0, refused);
    }

    [TestMethod]
    public void DecodeApplication_ReusedTelegramFromAnotherLinkLayer_StartsFreshAndTakesTheLinkIdentity()
    {
        var telegram = new MBusTelegram();
        byte[] first = [0x2A, 0x00, 0x00, 0x00, 0x01, 0x13, 0x07, 0x01, 0x13, 0x08];
        byte[] second = [0x2B, 0x00, 0x00, 0x00, 0x01, 0x13, 0x09];

        Assert.IsNull(MBusDecoder.DecodeApplication(0x7A, first, 0, first.Length, 11, telegram));
        Assert.IsNull(MBusDecoder.DecodeApplication(0x7A, second, 0, second.Length, 11, telegram));
        telegram.SetIdentification("12345678", MBusManufacturer.Encode("ELV"), 1, 0x07);

        Assert.AreEqual(1, telegram.RecordCount);
        Assert.AreEqual(43, telegram.AccessNumber);
        Assert.AreEqual("ELV", telegram.Manufacturer);
        Assert.AreEqual(11 + 4, telegram.Record(0).Offset, "offsets count from the caller's frame");
    }

    private static MBusTelegram Decode(byte ci, byte[] data)
    {
        byte[] frame = MBusFrameWriter.RspUd(1, ci, data, false, false);
        var telegram = new MBusTelegram();
        MBusError? error = MBusDecoder.DecodeFrame(frame, 0, frame.Length, telegram);
        Assert.IsNull(error, error?.ToString());
        return telegram;
    }

    private static MBusError? DecodeError(byte ci, byte[] data)
    {
        byte[] frame = MBusFrameWriter.RspUd(1, ci, data, false, false);
        return MBusDecoder.DecodeFrame(frame, 0, frame.Length, new MBusTelegram());
    }
}
