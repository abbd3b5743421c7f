namespace SmartCommunity.Protocol.Tests.WirelessMBus;

using System;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.WirelessMBus;

[TestClass]
public sealed class WirelessMBusCrcTests
{
    // The CRC RevEng catalogue entry CRC-16/EN-13757: poly 0x3d65, init 0, refin/refout false, xorout 0xffff, check 0xc2b7.
    private static readonly byte[] CheckInput = Encoding.ASCII.GetBytes("123456789");

    [TestMethod]
    public void Compute_CatalogueCheckString_GivesPublishedCheckValue()
    {
        Assert.AreEqual(0xC2B7, WirelessMBusCrc.Compute(CheckInput, 0, CheckInput.Length));
        Assert.AreEqual(WirelessMBusCrc.CheckValue, WirelessMBusCrc.Compute(CheckInput, 0, CheckInput.Length));
    }

    [TestMethod]
    public void ReferenceCrc_CatalogueCheckString_GivesPublishedCheckValue()
    {
        // The test project's own long-division CRC is only an oracle if it meets the catalogue too.
        Assert.AreEqual(0xC2B7, ReferenceWirelessMBus.Crc(CheckInput));
    }

    [TestMethod]
    public void Compute_RandomMessages_MatchesLongDivision()
    {
        var random = new Random(13757);
        for (int n = 0; n < 300; n++)
        {
            byte[] message = new byte[random.Next(0, 130)];
            random.NextBytes(message);

            Assert.AreEqual(ReferenceWirelessMBus.Crc(message), WirelessMBusCrc.Compute(message, 0, message.Length), "length " + message.Length);
        }
    }

    [TestMethod]
    public void Compute_OffsetRange_CoversOnlyThatRange()
    {
        byte[] padded = new byte[CheckInput.Length + 4];
        padded[0] = 0xAA;
        padded[1] = 0x55;
        Array.Copy(CheckInput, 0, padded, 2, CheckInput.Length);
        padded[^1] = 0xFF;

        Assert.AreEqual(0xC2B7, WirelessMBusCrc.Compute(padded, 2, CheckInput.Length));
    }

    [TestMethod]
    public void Write_ThenMatches_HighByteFirst()
    {
        byte[] frame = new byte[CheckInput.Length + 2];
        Array.Copy(CheckInput, frame, CheckInput.Length);

        WirelessMBusCrc.Write(frame, 0, CheckInput.Length, frame, CheckInput.Length);

        Assert.AreEqual(0xC2, frame[^2]);
        Assert.AreEqual(0xB7, frame[^1]);
        Assert.IsTrue(WirelessMBusCrc.Matches(frame, 0, CheckInput.Length, frame, CheckInput.Length));
    }
}
