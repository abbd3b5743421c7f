namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Devices.DoorController;

/// <summary>A door's settings as the board reads them from its configuration bundle (protocol.md §7).</summary>
[TestClass]
public sealed class DoorSettingsTests
{
    [TestMethod]
    public void Read_EntryLockBundle_TakesRoleLockModeAndParameters()
    {
        DeviceConfig config = Bundle("entry-lock", "\"failSecure\":1,\"egressCritical\":1,\"unlockMs\":3000,\"allowListCapacity\":200");

        DoorSettings settings = DoorSettings.Read(config.Role, config);

        Assert.AreEqual((DoorRole.EntryLock, LockMode.FailSecure, true), (settings.Role, settings.LockMode, settings.EgressCritical));
        Assert.AreEqual((3000L, 200), (settings.UnlockMs, settings.AllowListCapacity));
        Assert.AreEqual(new DoorSettings().HeldOpenMs, settings.HeldOpenMs, "a parameter not given keeps its default");
    }

    [TestMethod]
    public void Read_NoParameters_IsAFailSafePerimeterEgressLock()
    {
        DoorSettings settings = DoorSettings.Read(Bundle("egress-lock", "").Role, Bundle("egress-lock", ""));

        Assert.AreEqual((DoorRole.EgressLock, LockMode.FailSafe, false), (settings.Role, settings.LockMode, settings.EgressCritical));
    }

    private static DeviceConfig Bundle(string role, string parameters)
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"v\":1,\"site\":\"s\",\"building\":\"b\",\"kind\":\"door\",\"id\":\"d\",\"role\":\"" + role
            + "\",\"mqtt\":{\"host\":\"edge\",\"port\":1883},\"params\":{" + parameters + "}}");
        DeviceConfig? config = DeviceConfig.Parse(json, json.Length, out string? error);
        Assert.IsNotNull(config, error);
        return config;
    }
}
