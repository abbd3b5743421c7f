namespace SmartCommunity.Protocol.Tests.MBus;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.MBus;

[TestClass]
public sealed class MBusFrameWriterTests
{
    [TestMethod]
    public void SndNke_Address5_IsTheShortFrameOfTheStandard()
    {
        CollectionAssert.AreEqual(new byte[] { 0x10, 0x40, 0x05, 0x45, 0x16 }, MBusFrameWriter.SndNke(5));
    }

    [TestMethod]
    [DataRow(false, (byte)0x5B)]
    [DataRow(true, (byte)0x7B)]
    public void ReqUd2_FrameCountBit_SetsFcvAndFcb(bool fcb, byte control)
    {
        byte[] frame = MBusFrameWriter.ReqUd2(1, fcb);
        var parsed = new MBusFrame();

        Assert.IsNull(MBusFrameParser.Parse(frame, 0, frame.Length, parsed));
        Assert.AreEqual(control, parsed.Control);
        Assert.AreEqual(1, parsed.Address);
    }

    [TestMethod]
    public void SelectSecondary_IdWithWildcards_WritesBcdLsbFirstWithFNibbles()
    {
        var address = new MBusSecondaryAddress("1234FFFF", MBusManufacturer.Encode("KAM"), MBusSecondaryAddress.AnyVersion, 0x02);

        byte[] frame = MBusFrameWriter.SelectSecondary(address);
        var parsed = new MBusFrame();

        Assert.IsNull(MBusFrameParser.Parse(frame, 0, frame.Length, parsed));
        Assert.AreEqual(MBusLink.SndUd, parsed.Control);
        Assert.AreEqual(MBusLink.AddressNetworkLayer, parsed.Address);
        Assert.AreEqual(MBusLink.CiSelectSlave, parsed.ControlInformation);
        CollectionAssert.AreEqual(new byte[] { 0xFF, 0xFF, 0x34, 0x12, 0x2D, 0x2C, 0xFF, 0x02 }, parsed.CopyData());
    }

    [TestMethod]
    public void SelectSecondary_Wildcard_MatchesEverything()
    {
        byte[] frame = MBusFrameWriter.SelectSecondary(MBusSecondaryAddress.Wildcard());

        CollectionAssert.AreEqual(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, frame[7..15]);
    }

    [TestMethod]
    [DataRow("1234567")]
    [DataRow("1234567A")]
    public void SelectSecondary_BadIdentification_GivesNull(string id)
    {
        Assert.IsNull(MBusFrameWriter.SelectSecondary(new MBusSecondaryAddress(id, 0, 0, 0)));
    }

    [TestMethod]
    public void RspUd_VirtualMeter_DecodesBackToTheSameHeaderAndRecords()
    {
        var data = new MBusUserDataWriter();
        Assert.IsTrue(data.AddLongHeader(12345678, MBusManufacturer.Encode("ABB"), 3, 0x07, 42, 0));
        Assert.IsTrue(data.AddRecord(0x0C, null, 0x13, null, 123456)); // 8-digit BCD volume, litres
        Assert.IsTrue(data.AddRecord(0x84, [0x10], 0x06, null, 9876543)); // 32-bit energy kWh, tariff 1
        Assert.IsTrue(data.AddRecord(0x0A, null, 0x5A, null, -12)); // 4-digit BCD flow temperature 0.1 °C, negative
        Assert.IsTrue(data.AddRecord(0x42, null, 0x6C, null, 0x2C1F)); // date G, storage 1
        Assert.IsTrue(data.AddBytes([0x2F, 0x2F]));

        byte[] frame = MBusFrameWriter.RspUd(7, MBusLink.CiResponseLong, data.ToArray(), accessDemand: true, dataFlowControl: false);
        var telegram = new MBusTelegram();

        Assert.IsNull(MBusDecoder.DecodeFrame(frame, 0, frame.Length, telegram));
        Assert.AreEqual(0x28, telegram.Control);
        Assert.AreEqual(7, telegram.Address);
        Assert.AreEqual("12345678", telegram.Identification);
        Assert.AreEqual("ABB", telegram.Manufacturer);
        Assert.AreEqual(42, telegram.AccessNumber);
        Assert.AreEqual(4, telegram.RecordCount);
        Assert.AreEqual("123.456", telegram.Record(0).Value.ToDecimalText());
        Assert.AreEqual("m3", telegram.Record(0).Unit);
        Assert.AreEqual("9876543000", telegram.Record(1).Value.ToDecimalText());
        Assert.AreEqual(1, telegram.Record(1).Tariff);
        Assert.AreEqual("-1.2", telegram.Record(2).Value.ToDecimalText());
        Assert.AreEqual(1L, telegram.Record(3).StorageNumber);
        Assert.AreEqual("2016-12-31", telegram.Record(3).Value.ToIsoText());
    }

    [TestMethod]
    public void AddRecord_ValueTooLargeForItsBcdDigits_IsRefused()
    {
        var data = new MBusUserDataWriter();

        Assert.IsFalse(data.AddRecord(0x0A, null, 0x13, null, 10000));
        Assert.AreEqual(0, data.Length);
    }

    [TestMethod]
    public void Long_MoreThan252DataBytes_GivesNull()
    {
        Assert.IsNull(MBusFrameWriter.Long(MBusLink.RspUd, 1, 0x72, new byte[253]));
        Assert.IsNotNull(MBusFrameWriter.Long(MBusLink.RspUd, 1, 0x72, new byte[252]));
    }

    [TestMethod]
    public void WriteShort_OutputTooSmall_WritesNothingAndReturnsMinusOne()
    {
        byte[] output = new byte[4];

        Assert.AreEqual(-1, MBusFrameWriter.WriteShort(0x40, 1, output, 0));
        CollectionAssert.AreEqual(new byte[4], output);
    }
}
