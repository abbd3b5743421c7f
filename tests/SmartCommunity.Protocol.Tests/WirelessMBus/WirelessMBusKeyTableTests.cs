namespace SmartCommunity.Protocol.Tests.WirelessMBus;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Tests.Crypto;
using SmartCommunity.Protocol.WirelessMBus;

[TestClass]
public sealed class WirelessMBusKeyTableTests
{
    private const int Amb = 0x05A2;

    [TestMethod]
    public void TryGetKey_MeterListed_CopiesItsKey()
    {
        var table = new WirelessMBusKeyTable(4);
        table.Set(Amb, 0x12345678, Hex.Bytes("000102030405060708090A0B0C0D0E0F"), 0);
        table.Set(Amb, 0x12345679, Hex.Bytes("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"), 0);
        byte[] key = new byte[16];

        Assert.IsTrue(table.TryGetKey(Amb, 0x12345678, key, 0));
        Assert.AreEqual("000102030405060708090A0B0C0D0E0F", Hex.Of(key));
        Assert.IsFalse(table.TryGetKey(Amb + 1, 0x12345678, key, 0), "same id, other manufacturer");
        Assert.AreEqual(2, table.Count);
    }

    [TestMethod]
    public void Set_SameMeterAgain_ReplacesKey()
    {
        var table = new WirelessMBusKeyTable(1);
        table.Set(Amb, 1, new byte[16], 0);

        Assert.IsTrue(table.Set(Amb, 1, Hex.Bytes("11111111111111111111111111111111"), 0));

        byte[] key = new byte[16];
        table.TryGetKey(Amb, 1, key, 0);
        Assert.AreEqual("11111111111111111111111111111111", Hex.Of(key));
        Assert.AreEqual(1, table.Count);
    }

    [TestMethod]
    public void Set_TableFull_ReturnsFalse()
    {
        var table = new WirelessMBusKeyTable(1);
        table.Set(Amb, 1, new byte[16], 0);

        Assert.IsFalse(table.Set(Amb, 2, new byte[16], 0));
        Assert.AreEqual("key table full (1 meters)", table.Set("AMB", "00000002", "00000000000000000000000000000000"));
    }

    [TestMethod]
    public void Remove_ListedMeter_OthersStayFindable()
    {
        var table = new WirelessMBusKeyTable(3);
        table.Set(Amb, 1, Hex.Bytes("01010101010101010101010101010101"), 0);
        table.Set(Amb, 2, Hex.Bytes("02020202020202020202020202020202"), 0);
        table.Set(Amb, 3, Hex.Bytes("03030303030303030303030303030303"), 0);

        Assert.IsTrue(table.Remove(Amb, 1));
        Assert.IsFalse(table.Remove(Amb, 1));

        byte[] key = new byte[16];
        Assert.IsFalse(table.Contains(Amb, 1));
        Assert.IsTrue(table.TryGetKey(Amb, 3, key, 0));
        Assert.AreEqual("03030303030303030303030303030303", Hex.Of(key));
        Assert.AreEqual(2, table.Count);
    }

    [TestMethod]
    public void SetText_InstallerForm_AddsMeter()
    {
        var table = new WirelessMBusKeyTable(2);

        Assert.IsNull(table.Set("AMB", "12345678", "000102030405060708090a0b0c0d0e0f"));
        Assert.IsTrue(table.Contains(Amb, 0x12345678));
    }

    [TestMethod]
    [DataRow("AM", "12345678", "000102030405060708090A0B0C0D0E0F", "manufacturer")]
    [DataRow("AMB", "1234", "000102030405060708090A0B0C0D0E0F", "meter id")]
    [DataRow("AMB", "12345678", "000102030405060708090A0B0C0D0E", "key")]
    [DataRow("AMB", "12345678", "000102030405060708090A0B0C0D0EXX", "key")]
    public void SetText_BadEntry_NamesTheField(string manufacturer, string id, string key, string field)
    {
        var table = new WirelessMBusKeyTable(2);

        string error = table.Set(manufacturer, id, key);

        Assert.IsNotNull(error);
        StringAssert.StartsWith(error, field);
        Assert.AreEqual(0, table.Count);
    }
}
