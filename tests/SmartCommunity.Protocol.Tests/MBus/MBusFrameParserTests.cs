namespace SmartCommunity.Protocol.Tests.MBus;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.MBus;

[TestClass]
public sealed class MBusFrameParserTests
{
    // EN 13757-2 long frame: 68 L L 68 C A CI data CS 16, CS = sum(C..last data) mod 256.
    private static readonly byte[] LongFrame = [0x68, 0x05, 0x05, 0x68, 0x08, 0x01, 0x78, 0x01, 0x13, 0x95, 0x16];

    [TestMethod]
    public void Parse_SingleCharacter_IsAnAck()
    {
        var frame = new MBusFrame();

        MBusError? error = MBusFrameParser.Parse([0xE5], 0, 1, frame);

        Assert.IsNull(error);
        Assert.AreEqual(MBusFrameKind.Ack, frame.Kind);
    }

    [TestMethod]
    public void Parse_ShortFrame_GivesControlAndAddress()
    {
        var frame = new MBusFrame();

        MBusError? error = MBusFrameParser.Parse([0x10, 0x7B, 0x05, 0x80, 0x16], 0, 5, frame);

        Assert.IsNull(error);
        Assert.AreEqual(MBusFrameKind.Short, frame.Kind);
        Assert.AreEqual(0x7B, frame.Control);
        Assert.AreEqual(0x05, frame.Address);
    }

    [TestMethod]
    public void Parse_LongFrame_SplitsFieldsAndUserData()
    {
        var frame = new MBusFrame();

        MBusError? error = MBusFrameParser.Parse(LongFrame, 0, LongFrame.Length, frame);

        Assert.IsNull(error);
        Assert.AreEqual(MBusFrameKind.Long, frame.Kind);
        Assert.AreEqual(0x08, frame.Control);
        Assert.AreEqual(0x01, frame.Address);
        Assert.AreEqual(0x78, frame.ControlInformation);
        Assert.AreEqual(7, frame.DataOffset);
        Assert.AreEqual(2, frame.DataLength);
        Assert.IsTrue(frame.IsResponse);
    }

    [TestMethod]
    public void Parse_LongFrameInsideALargerBuffer_ReportsOffsetsFromItsStart()
    {
        byte[] buffer = new byte[LongFrame.Length + 3];
        LongFrame.CopyTo(buffer, 3);
        buffer[3 + 9] ^= 0xFF;

        MBusError? error = MBusFrameParser.Parse(buffer, 3, LongFrame.Length, new MBusFrame());

        Assert.IsNotNull(error);
        Assert.AreEqual(MBusErrorCodes.Checksum, error.Code);
        Assert.AreEqual(9, error.Offset);
    }

    [TestMethod]
    public void Parse_ControlFrame_HasNoUserData()
    {
        var frame = new MBusFrame();
        byte[] bytes = [0x68, 0x03, 0x03, 0x68, 0x53, 0xFE, 0x50, 0xA1, 0x16];

        Assert.IsNull(MBusFrameParser.Parse(bytes, 0, bytes.Length, frame));
        Assert.AreEqual(MBusFrameKind.Control, frame.Kind);
        Assert.AreEqual(0, frame.DataLength);
    }

    [TestMethod]
    [DataRow(9, (byte)0x94, MBusErrorCodes.Checksum, 9)]
    [DataRow(10, (byte)0x17, MBusErrorCodes.StopByte, 10)]
    [DataRow(2, (byte)0x06, MBusErrorCodes.LengthMismatch, 2)]
    [DataRow(3, (byte)0x69, MBusErrorCodes.StartByte, 3)]
    [DataRow(0, (byte)0x69, MBusErrorCodes.StartByte, 0)]
    public void Parse_LongFrameWithOneByteWrong_NamesTheFaultAndItsOffset(int index, byte value, string code, int offset)
    {
        byte[] bytes = (byte[])LongFrame.Clone();
        bytes[index] = value;

        MBusError? error = MBusFrameParser.Parse(bytes, 0, bytes.Length, new MBusFrame());

        Assert.IsNotNull(error);
        Assert.AreEqual(code, error.Code, error.ToString());
        Assert.AreEqual(offset, error.Offset, error.ToString());
    }

    [TestMethod]
    public void Parse_BothLengthsSaySixButFiveBytesFollow_IsALengthMismatch()
    {
        byte[] bytes = [0x68, 0x06, 0x06, 0x68, 0x08, 0x01, 0x78, 0x01, 0x13, 0x95, 0x16];

        MBusError? error = MBusFrameParser.Parse(bytes, 0, bytes.Length, new MBusFrame());

        Assert.IsNotNull(error);
        Assert.AreEqual(MBusErrorCodes.LengthMismatch, error.Code);
        StringAssert.Contains(error.Message, "12 frame bytes");
    }

    [TestMethod]
    public void Parse_BytesAfterTheStopByte_AreRefused()
    {
        byte[] bytes = [.. LongFrame, 0xE5];

        MBusError? error = MBusFrameParser.Parse(bytes, 0, bytes.Length, new MBusFrame());

        Assert.IsNotNull(error);
        Assert.AreEqual(MBusErrorCodes.TrailingBytes, error.Code);
        Assert.AreEqual(LongFrame.Length, error.Offset);
    }

    [TestMethod]
    public void Parse_ShortFrameWithBadChecksum_IsRefusedAtByteThree()
    {
        MBusError? error = MBusFrameParser.Parse([0x10, 0x7B, 0x05, 0x81, 0x16], 0, 5, new MBusFrame());

        Assert.IsNotNull(error);
        Assert.AreEqual(MBusErrorCodes.Checksum, error.Code);
        Assert.AreEqual(3, error.Offset);
        StringAssert.Contains(error.Message, "0x80");
    }

    [TestMethod]
    public void Parse_EveryTruncationOfALongFrame_IsRefusedWithoutThrowing()
    {
        for (int count = 0; count < LongFrame.Length; count++)
        {
            MBusError? error = MBusFrameParser.Parse(LongFrame, 0, count, new MBusFrame());

            Assert.IsNotNull(error, $"{count} bytes accepted");
        }
    }

    [TestMethod]
    public void Checksum_CorpusFrameEdc_IsTheSumModulo256()
    {
        // ../shared/notes/domain.md §A5: EDC.hex has L = 0xAE and CS = 0x2F. Recomputed here over a known frame.
        Assert.AreEqual(0x95, MBusLink.Checksum(LongFrame, 4, 5));
        Assert.AreEqual(0x00, MBusLink.Checksum([0x80, 0x80], 0, 2));
    }

    [TestMethod]
    [DataRow(new byte[0], 0)]
    [DataRow(new byte[] { 0xE5 }, 1)]
    [DataRow(new byte[] { 0x10 }, 5)]
    [DataRow(new byte[] { 0x68 }, 0)]
    [DataRow(new byte[] { 0x68, 0x05 }, 11)]
    [DataRow(new byte[] { 0x42 }, -1)]
    public void ExpectedLength_FirstBytes_TellTheWholeFrameLength(byte[] start, int expected)
    {
        Assert.AreEqual(expected, MBusFrameParser.ExpectedLength(start, 0, start.Length));
    }
}
