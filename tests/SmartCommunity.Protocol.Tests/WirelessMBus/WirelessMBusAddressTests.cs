namespace SmartCommunity.Protocol.Tests.WirelessMBus;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.WirelessMBus;

[TestClass]
public sealed class WirelessMBusAddressTests
{
    [TestMethod]
    public void ManufacturerText_AmberCode_GivesAmb()
    {
        // Amber AMB8426-M manual v2.4 §7.13.1: "Manufacturer: AMB (0x05A2)".
        Assert.AreEqual("AMB", WirelessMBusAddress.ManufacturerText(0x05A2));
    }

    [TestMethod]
    [DataRow("AMB", 0x05A2)]
    [DataRow("amb", 0x05A2)]
    [DataRow("AAA", 0x0421)]
    [DataRow("ZZZ", 0x6B5A)]
    public void TryParseManufacturer_ThreeLetters_GivesFlagCode(string text, int expected)
    {
        Assert.IsTrue(WirelessMBusAddress.TryParseManufacturer(text, out int code));
        Assert.AreEqual(expected, code);
        Assert.AreEqual(text.ToUpperInvariant(), WirelessMBusAddress.ManufacturerText(code));
    }

    [TestMethod]
    [DataRow("AM")]
    [DataRow("AMBX")]
    [DataRow("A1B")]
    [DataRow(null)]
    public void TryParseManufacturer_NotThreeLetters_Refused(string text)
    {
        Assert.IsFalse(WirelessMBusAddress.TryParseManufacturer(text, out _));
    }

    [TestMethod]
    public void TryParseId_EightDigits_GivesBcdNumberAndPrintsBack()
    {
        Assert.IsTrue(WirelessMBusAddress.TryParseId("12345678", out uint id));
        Assert.AreEqual(0x12345678u, id);
        Assert.AreEqual("12345678", WirelessMBusAddress.IdText(id));
        Assert.AreEqual("00000042", WirelessMBusAddress.IdText(0x42));
    }

    [TestMethod]
    [DataRow("1234567")]
    [DataRow("123456789")]
    [DataRow("1234567A")]
    [DataRow(null)]
    public void TryParseId_NotEightDigits_Refused(string text)
    {
        Assert.IsFalse(WirelessMBusAddress.TryParseId(text, out _));
    }
}
