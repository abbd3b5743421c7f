namespace SmartCommunity.Protocol.Tests.Osdp;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Osdp;
using SmartCommunity.Protocol.Tests.Crypto;

[TestClass]
public sealed class OsdpCheckTests
{
    // SIA OSDP Annex E examples, as collected in ../shared/notes/domain.md §A2.
    private const string CrcExample1 = "537F0D00046E0080250000";
    private const string CrcExample2 = "53000900046100";
    private const string ChecksumExample1 = "537F0C00006E0080250000";
    private const string ChecksumExample2 = "53000800006100";

    [TestMethod]
    [DataRow(CrcExample1, "6E38")]
    [DataRow(CrcExample2, "C066")]
    public void Crc16_AnnexEExamples_GivesCheckBytesLeastSignificantFirst(string message, string checkBytes)
    {
        byte[] data = Hex.Bytes(message);

        int crc = OsdpCheck.Crc16(data, 0, data.Length);

        Assert.AreEqual(checkBytes, Hex.Of(new[] { (byte)(crc & 0xFF), (byte)(crc >> 8) }));
    }

    [TestMethod]
    public void Crc16_AnnexEExample1_IsNotCrc16Kermit()
    {
        // The trap: CRC-16/KERMIT, as one published description has it, gives EC 0B for this message.
        byte[] data = Hex.Bytes(CrcExample1);
        ushort kermit = OsdpOracle.Kermit(data);

        int crc = OsdpCheck.Crc16(data, 0, data.Length);

        Assert.AreEqual("EC0B", Hex.Of(new[] { (byte)kermit, (byte)(kermit >> 8) }));
        Assert.AreNotEqual(kermit, crc);
        Assert.AreEqual(0x386E, crc);
    }

    [TestMethod]
    [DataRow(ChecksumExample1, 0x0F)]
    [DataRow(ChecksumExample2, 0x44)]
    public void Checksum_AnnexEExamples_GivesTwosComplementOfSum(string message, int expected)
    {
        byte[] data = Hex.Bytes(message);

        Assert.AreEqual(expected, OsdpCheck.Checksum(data, 0, data.Length));
    }

    [TestMethod]
    public void Crc16_RandomMessagesAtOffsets_MatchesTableDrivenOracle()
    {
        Random random = new Random(0x1D0F);
        for (int round = 0; round < 500; round++)
        {
            byte[] data = new byte[1 + random.Next(300)];
            random.NextBytes(data);
            int offset = random.Next(data.Length);
            int length = random.Next(data.Length - offset + 1);

            Assert.AreEqual(OsdpOracle.Crc(data.AsSpan(offset, length)), OsdpCheck.Crc16(data, offset, length), "round " + round);
            Assert.AreEqual(OsdpOracle.Checksum(data.AsSpan(offset, length)), OsdpCheck.Checksum(data, offset, length), "round " + round);
        }
    }
}
