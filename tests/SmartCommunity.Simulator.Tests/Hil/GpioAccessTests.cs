namespace SmartCommunity.Simulator.Tests.Hil;

using System;
using System.Device.Gpio;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Hil;

[TestClass]
public sealed class GpioAccessTests
{
    [TestMethod]
    public void Chips_DeviceFolder_ListsChipNumbersInOrder()
    {
        using var files = new HilTestFiles();
        files.AddChip(4);
        files.AddChip(0);
        File.WriteAllText(Path.Combine(files.DeviceDirectory, "gpiochipX"), string.Empty);

        CollectionAssert.AreEqual(new[] { 0, 4 }, files.Access(new JumperedGpioDriver()).Chips());
    }

    [TestMethod]
    public void Open_NoDeviceFolder_NoGpio()
    {
        var access = new GpioAccess("/nonexistent-dev", _ => new JumperedGpioDriver());

        var ex = Assert.ThrowsExactly<GpioUnavailableException>(() => access.Open(0));

        StringAssert.Contains(ex.Message, "this machine has no GPIO");
    }

    [TestMethod]
    public void Open_LibgpiodMissing_SaysWhatToInstall()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        var access = new GpioAccess(files.DeviceDirectory, _ => throw new PlatformNotSupportedException("Libgpiod driver not installed."));

        var ex = Assert.ThrowsExactly<GpioUnavailableException>(() => access.Open(0));

        StringAssert.Contains(ex.Message, "libgpiod is not installed");
    }

    [TestMethod]
    public void Open_PermissionDenied_PointsAtTheGpioGroup()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        var access = new GpioAccess(files.DeviceDirectory, _ => throw new IOException("Permission denied"));

        var ex = Assert.ThrowsExactly<GpioUnavailableException>(() => access.Open(0));

        StringAssert.Contains(ex.Message, "Permission denied");
        StringAssert.Contains(ex.Message, "gpio");
    }

    [TestMethod]
    public void Open_ChipPresent_ControllerOverTheDriver()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        var driver = new JumperedGpioDriver().Wire(1, 2);

        using GpioController controller = files.Access(driver).Open(0);
        controller.OpenPin(1, PinMode.Output, PinValue.High);
        controller.OpenPin(2, PinMode.Input);

        Assert.AreEqual(PinValue.High, controller.Read(2));
    }
}
