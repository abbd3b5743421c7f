namespace SmartCommunity.Installer.Tests.Provisioning;

using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Installer.Provisioning;
using SmartCommunity.Installer.Tests.TestSupport;

[TestClass]
public sealed class DeviceBundleTests
{
    [TestMethod]
    public void Build_EveryDemoDevice_FitsAndParsesBackAsItself()
    {
        foreach (DeviceDefinition device in LayoutLoader.Load(InstallerRig.LayoutPath).Devices)
        {
            byte[] bundle = DeviceBundle.Build(device, "192.168.10.2", 8883, new string('p', 32), new byte[32]);

            Assert.IsNull(DeviceBundle.WhyRefused(bundle, device), device.Id);
        }
    }

    [TestMethod]
    public void WhyRefused_TooManyParameters_SaysTheSizeAndHowToShrink()
    {
        var parameters = Enumerable.Range(0, 60).ToDictionary(i => "someLongParameterName" + i, i => (long)i);
        var device = new DeviceDefinition("b1-door", "door", "egress-lock", "riverside", "b1", "ground", "lobby",
            new Dictionary<string, int> { ["lock"] = 23, ["fire"] = 34 }, parameters);

        byte[] bundle = DeviceBundle.Build(device, "192.168.10.2", 8883, new string('p', 32), new byte[32]);

        Assert.IsGreaterThan(DeviceConfig.MaxBytes, bundle.Length);
        StringAssert.Contains(DeviceBundle.WhyRefused(bundle, device), $"a device reads at most {DeviceConfig.MaxBytes}");
    }
}
