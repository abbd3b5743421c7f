namespace SmartCommunity.Protocol.Tests.Wiegand;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Wiegand;

[TestClass]
public sealed class WiegandEncoderTests
{
    [TestMethod]
    [DataRow(90, 324, "00101101000000001010001000")]
    [DataRow(68, 41551, "00100010010100010010011111")]
    public void Encode26_PublishedVector_ReturnsItsBits(int facility, int card, string expected)
    {
        Assert.AreEqual(ReferenceWiegand.ToBits(expected), WiegandEncoder.Encode26(facility, card));
    }

    [TestMethod]
    [DataRow(0, 0)]
    [DataRow(255, 65535)]
    [DataRow(1, 2)]
    [DataRow(170, 21845)]
    public void Encode26_AnyCard_MatchesReferenceEncoder(int facility, int card)
    {
        Assert.AreEqual(ReferenceWiegand.ToBits(ReferenceWiegand.Frame26(facility, card)), WiegandEncoder.Encode26(facility, card));
    }

    [TestMethod]
    [DataRow(0, 0)]
    [DataRow(65535, 65535)]
    [DataRow(4660, 43981)]
    [DataRow(32768, 1)]
    public void Encode34_AnyCard_MatchesReferenceEncoder(int facility, int card)
    {
        Assert.AreEqual(ReferenceWiegand.ToBits(ReferenceWiegand.Frame34(facility, card)), WiegandEncoder.Encode34(facility, card));
    }

    [TestMethod]
    public void Encode26_FacilityOrCardOutOfRange_Throws()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => WiegandEncoder.Encode26(256, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => WiegandEncoder.Encode26(-1, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => WiegandEncoder.Encode26(0, 65536));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => WiegandEncoder.Encode34(65536, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => WiegandEncoder.Encode34(0, -1));
    }

    [TestMethod]
    public void BitAt_EachIndex_ReturnsBitsInSendingOrder()
    {
        const string vector = "00100010010100010010011111";
        long bits = ReferenceWiegand.ToBits(vector);

        for (int i = 0; i < vector.Length; i++)
        {
            Assert.AreEqual(vector[i] - '0', WiegandEncoder.BitAt(bits, 26, i), "index " + i);
        }

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => WiegandEncoder.BitAt(bits, 26, 26));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => WiegandEncoder.BitAt(bits, 26, -1));
    }
}
