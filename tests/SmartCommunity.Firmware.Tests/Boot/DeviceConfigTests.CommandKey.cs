namespace SmartCommunity.Firmware.Tests.Boot;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>The bundle's command key fields, "commandKey" and "commandKeyId" (hardware-docs/protocol.md §7).</summary>
public sealed partial class DeviceConfigTests
{
    private const string KeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    [TestMethod]
    public void Parse_CommandKeyAndId_ReadAndConfigureTheKeyRing()
    {
        DeviceConfig config = Parse(WithKey("\"commandKey\":\"" + KeyHex.ToUpperInvariant() + "\",\"commandKeyId\":3"), out string? error)!;
        var keys = new CommandKeyRing();

        config.ConfigureCommandKeys(keys, new MemoryStore());

        Assert.IsNull(error);
        Assert.AreEqual(3L, config.CommandKeyId);
        CollectionAssert.AreEqual(System.Convert.FromHexString(KeyHex), config.CommandKey);
        Assert.IsTrue(keys.IsConfigured);
        Assert.AreEqual(3L, keys.CurrentKeyId);
    }

    [TestMethod]
    public void Parse_NoCommandKey_KeyRingStaysUnconfigured()
    {
        DeviceConfig config = Parse(Valid, out _)!;
        var keys = new CommandKeyRing();

        config.ConfigureCommandKeys(keys, null!);

        Assert.IsNull(config.CommandKey);
        Assert.IsFalse(keys.IsConfigured);
    }

    [TestMethod]
    [DataRow("\"commandKey\":\"0011\",\"commandKeyId\":1", "commandKey", DisplayName = "too short")]
    [DataRow("\"commandKey\":\"zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\",\"commandKeyId\":1", "commandKey", DisplayName = "not hex")]
    [DataRow("\"commandKey\":\"" + KeyHex + "\"", "commandKeyId", DisplayName = "no id")]
    [DataRow("\"commandKey\":\"" + KeyHex + "\",\"commandKeyId\":0", "commandKeyId", DisplayName = "id 0")]
    [DataRow("\"commandKeyId\":2", "commandKey", DisplayName = "id without key")]
    public void Parse_BadCommandKey_RefusedNamingTheField(string fields, string field)
    {
        DeviceConfig? config = Parse(WithKey(fields), out string? error);

        Assert.IsNull(config);
        Assert.IsNotNull(error);
        Assert.Contains("\"" + field + "\"", error);
    }

    private static string WithKey(string fields) => Valid.Replace("\"role\":", fields + ",\"role\":", System.StringComparison.Ordinal);
}
