namespace SmartCommunity.Bindings.Tests;

using System;
using System.Device.Gpio;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Bindings.Linux;
using SmartCommunity.Bindings.Tests.Fakes;

[TestClass]
public sealed class GpioDigitalOutputTests
{
    [TestMethod]
    public void Constructor_ActiveHigh_RequestsOutputAtLowInOneCall()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);

        using var output = new GpioDigitalOutput(controller, 23);

        CollectionAssert.AreEqual(new[] { "open 23", "mode 23 Output Low" }, driver.Calls);
        Assert.AreEqual(PinValue.Low, driver.Level(23));
        Assert.IsFalse(output.IsEnergised);
    }

    [TestMethod]
    public void Constructor_ActiveLow_RequestsOutputAtHighInOneCall()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);

        using var output = new GpioDigitalOutput(controller, 5, activeLow: true);

        CollectionAssert.AreEqual(new[] { "open 5", "mode 5 Output High" }, driver.Calls);
        Assert.AreEqual(PinValue.High, driver.Level(5));
    }

    [TestMethod]
    public void Write_ActiveHigh_EnergisedIsHigh()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);
        using var output = new GpioDigitalOutput(controller, 23);

        output.Write(true);
        Assert.AreEqual(PinValue.High, driver.Level(23));
        Assert.IsTrue(output.IsEnergised);

        output.Write(false);
        Assert.AreEqual(PinValue.Low, driver.Level(23));
        Assert.IsFalse(output.IsEnergised);
    }

    [TestMethod]
    public void Write_ActiveLow_EnergisedIsLow()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);
        using var output = new GpioDigitalOutput(controller, 5, activeLow: true);

        output.Write(true);

        Assert.AreEqual(PinValue.Low, driver.Level(5));
    }

    [TestMethod]
    public void Dispose_Energised_DrivesReleasedThenClosesPinAndKeepsController()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);
        var output = new GpioDigitalOutput(controller, 23);
        output.Write(true);
        driver.Calls.Clear();

        output.Dispose();
        output.Dispose();

        CollectionAssert.AreEqual(new[] { "write 23 Low", "close 23" }, driver.Calls);
        Assert.IsFalse(controller.IsPinOpen(23));
        Assert.IsFalse(driver.Disposed, "the controller belongs to the caller");
    }

    [TestMethod]
    public void Write_AfterDispose_Throws()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);
        var output = new GpioDigitalOutput(controller, 23);
        output.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => output.Write(true));
    }
}
