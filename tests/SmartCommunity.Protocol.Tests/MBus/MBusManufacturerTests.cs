namespace SmartCommunity.Protocol.Tests.MBus;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.MBus;

[TestClass]
public sealed class MBusManufacturerTests
{
    [TestMethod]
    [DataRow("KAM", 0x2C2D)]
    [DataRow("ABB", 0x0442)]
    [DataRow("zzz", 0x6B5A)]
    public void Encode_ThreeLetters_GivesTheFlagCodeAndDecodesBack(string letters, int code)
    {
        Assert.AreEqual(code, MBusManufacturer.Encode(letters));
        Assert.AreEqual(letters.ToUpperInvariant(), MBusManufacturer.Decode(code));
    }

    [TestMethod]
    [DataRow("AB")]
    [DataRow("A1B")]
    public void Encode_NotThreeLetters_GivesMinusOne(string letters)
    {
        Assert.AreEqual(-1, MBusManufacturer.Encode(letters));
    }
}
