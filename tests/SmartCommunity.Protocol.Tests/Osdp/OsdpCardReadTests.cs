namespace SmartCommunity.Protocol.Tests.Osdp;

using System;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Osdp;

[TestClass]
public sealed class OsdpCardReadTests
{
    // H10301 vectors from ../shared/notes/domain.md §A2 (jessety/wiegand-encoder README; a local check).
    private const string Fc90Cn324 = "00101101000000001010001000";
    private const string Fc68Cn41551 = "00100010010100010010011111";

    [TestMethod]
    [DataRow(Fc90Cn324, 90, 324)]
    [DataRow(Fc68Cn41551, 68, 41551)]
    public void Load_26BitH10301_GivesFacilityTimes65536PlusCard(string bits, int facility, int card)
    {
        OsdpCardRead read = new OsdpCardRead();

        OsdpRejection rejection = read.Load(RawReply(bits, format: 1), 0, RawReply(bits, format: 1).Length, 1234);

        Assert.AreEqual(OsdpRejection.None, rejection);
        Assert.AreEqual(26, read.BitCount);
        Assert.AreEqual(1, read.Format);
        Assert.IsTrue(read.WiegandParityChecked);
        Assert.AreEqual(((ulong)facility * 65536) + (ulong)card, read.CredentialNumber);
        Assert.AreEqual(1234L, read.ReadAtMs);
        Assert.AreEqual(4, read.DataLength);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(25)]
    [DataRow(5)]
    [DataRow(20)]
    public void Load_26BitWithOneBitFlipped_RejectsParity(int flipped)
    {
        char[] bits = Fc90Cn324.ToCharArray();
        bits[flipped] = bits[flipped] == '0' ? '1' : '0';
        byte[] reply = RawReply(new string(bits), format: 0);
        OsdpCardRead read = new OsdpCardRead();

        Assert.AreEqual(OsdpRejection.BadCardParity, read.Load(reply, 0, reply.Length, 0));
        Assert.AreEqual(0, read.BitCount);
    }

    [TestMethod]
    [DataRow(0x00000000u)]
    [DataRow(0x12345678u)]
    [DataRow(0xFFFFFFFFu)]
    [DataRow(0x8000FFFEu)]
    public void Load_34BitFromIndependentEncoder_GivesTheThirtyTwoDataBits(uint value)
    {
        string bits = Encode34(value);
        byte[] reply = RawReply(bits, format: 1);
        OsdpCardRead read = new OsdpCardRead();

        Assert.AreEqual(OsdpRejection.None, read.Load(reply, 0, reply.Length, 0));
        Assert.AreEqual(34, read.BitCount);
        Assert.AreEqual((ulong)value, read.CredentialNumber);
    }

    [TestMethod]
    public void Load_34BitWithBadOddParity_RejectsParity()
    {
        string bits = Encode34(0x12345678u);
        bits = bits.Substring(0, 33) + (bits[33] == '0' ? "1" : "0");
        byte[] reply = RawReply(bits, format: 1);

        Assert.AreEqual(OsdpRejection.BadCardParity, new OsdpCardRead().Load(reply, 0, reply.Length, 0));
    }

    [TestMethod]
    [DataRow("1", 1UL)]
    [DataRow("10000000", 128UL)]
    [DataRow("11111111111111111111111111111111", 4294967295UL)]
    [DataRow("1111111111111111111111111111111111111111111111111111111111111111", ulong.MaxValue)]
    public void Load_OtherLengths_ReadsAllBitsAsOneNumber(string bits, ulong expected)
    {
        byte[] reply = RawReply(bits, format: 0);
        OsdpCardRead read = new OsdpCardRead();

        Assert.AreEqual(OsdpRejection.None, read.Load(reply, 0, reply.Length, 0));
        Assert.IsFalse(read.WiegandParityChecked);
        Assert.AreEqual(expected, read.CredentialNumber);
    }

    [TestMethod]
    public void Load_MoreThan64Bits_RejectsCardData()
    {
        byte[] reply = RawReply(new string('1', 65), format: 0);

        Assert.AreEqual(OsdpRejection.BadCardData, new OsdpCardRead().Load(reply, 0, reply.Length, 0));
    }

    [TestMethod]
    public void Load_ZeroBits_RejectsCardData()
    {
        byte[] reply = { 0, 0, 0, 0 };

        Assert.AreEqual(OsdpRejection.BadCardData, new OsdpCardRead().Load(reply, 0, reply.Length, 0));
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(1)]
    public void Load_ByteCountDisagreesWithBitCount_RejectsCardData(int extra)
    {
        byte[] good = RawReply(Fc90Cn324, format: 1);
        byte[] reply = new byte[good.Length + extra];
        Array.Copy(good, reply, Math.Min(good.Length, reply.Length));

        Assert.AreEqual(OsdpRejection.BadCardData, new OsdpCardRead().Load(reply, 0, reply.Length, 0));
    }

    [TestMethod]
    public void Load_ShorterThanHeader_RejectsCardData()
    {
        Assert.AreEqual(OsdpRejection.BadCardData, new OsdpCardRead().Load(new byte[] { 0, 1, 26 }, 0, 3, 0));
    }

    [TestMethod]
    [DataRow(Fc90Cn324, "5898564")]
    [DataRow("1", "1")]
    [DataRow("0", "0")]
    [DataRow("1111111111111111111111111111111111111111111111111111111111111111", "18446744073709551615")]
    public void WriteDecimal_CredentialNumber_WritesAsciiDigits(string bits, string expected)
    {
        byte[] reply = RawReply(bits, format: 0);
        OsdpCardRead read = new OsdpCardRead();
        Assert.AreEqual(OsdpRejection.None, read.Load(reply, 0, reply.Length, 0));
        byte[] text = new byte[24];

        int count = read.WriteDecimal(text, 2);

        Assert.AreEqual(expected, Encoding.ASCII.GetString(text, 2, count));
    }

    [TestMethod]
    public void CopyFrom_LoadedRead_CopiesEveryField()
    {
        byte[] reply = RawReply(Fc68Cn41551, format: 1);
        OsdpCardRead source = new OsdpCardRead();
        source.Load(reply, 0, reply.Length, 77);
        OsdpCardRead copy = new OsdpCardRead();

        copy.CopyFrom(source);

        Assert.AreEqual(source.CredentialNumber, copy.CredentialNumber);
        Assert.AreEqual(26, copy.BitCount);
        Assert.AreEqual(1, copy.Format);
        Assert.AreEqual(77L, copy.ReadAtMs);
        Assert.AreEqual(Convert.ToHexString(source.Bits, 0, 4), Convert.ToHexString(copy.Bits, 0, 4));
    }

    /// <summary>osdp_RAW data for reader 0: format, bit count, bits packed first-bit-in-MSB.</summary>
    internal static byte[] RawReply(string bits, int format)
    {
        byte[] data = new byte[4 + ((bits.Length + 7) / 8)];
        data[1] = (byte)format;
        data[2] = (byte)bits.Length;
        data[3] = (byte)(bits.Length >> 8);
        for (int i = 0; i < bits.Length; i++)
        {
            if (bits[i] == '1')
            {
                data[4 + (i / 8)] |= (byte)(0x80 >> (i % 8));
            }
        }

        return data;
    }

    // The common 34-bit layout: even parity over the first 16 data bits, 32 data bits, odd parity over the last 16.
    private static string Encode34(uint value)
    {
        string data = Convert.ToString(value, 2).PadLeft(32, '0');
        int firstOnes = data.Substring(0, 16).Split('1').Length - 1;
        int lastOnes = data.Substring(16).Split('1').Length - 1;
        char even = firstOnes % 2 == 0 ? '0' : '1';
        char odd = lastOnes % 2 == 0 ? '1' : '0';
        return even + data + odd;
    }
}
