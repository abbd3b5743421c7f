namespace SmartCommunity.Bindings.Tests;

using System;
using System.Device.Gpio;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Bindings.Linux;
using SmartCommunity.Bindings.Tests.Fakes;

[TestClass]
public sealed class GpioDigitalInputTests
{
    [TestMethod]
    public void Constructor_Defaults_OpensPlainInput()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);

        using var input = new GpioDigitalInput(controller, 34);

        CollectionAssert.AreEqual(new[] { "open 34", "mode 34 Input" }, driver.Calls);
    }

    [TestMethod]
    public void Constructor_PullUpMode_PassedToDriver()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);

        using var input = new GpioDigitalInput(controller, 35, new GpioDigitalInputSettings { Mode = PinMode.InputPullUp });

        Assert.AreEqual(PinMode.InputPullUp, driver.Mode(35));
    }

    [TestMethod]
    public void Constructor_OutputMode_Throws()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);

        Assert.ThrowsExactly<ArgumentException>(() => new GpioDigitalInput(controller, 35, new GpioDigitalInputSettings { Mode = PinMode.Output }));
    }

    [TestMethod]
    public void IsActive_ActiveHigh_FollowsLevel()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);
        using var input = new GpioDigitalInput(controller, 34);

        driver.SetInputLevel(34, PinValue.High);
        Assert.IsTrue(input.IsActive());

        driver.SetInputLevel(34, PinValue.Low);
        Assert.IsFalse(input.IsActive());
    }

    [TestMethod]
    public void IsActive_ActiveLow_LowIsActive()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);
        using var input = new GpioDigitalInput(controller, 35, new GpioDigitalInputSettings { ActiveLow = true });

        driver.SetInputLevel(35, PinValue.Low);
        Assert.IsTrue(input.IsActive());

        driver.SetInputLevel(35, PinValue.High);
        Assert.IsFalse(input.IsActive());
    }

    [TestMethod]
    public void IsActive_ReadFails_ReturnsActiveByDefaultAndCounts()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);
        using var input = new GpioDigitalInput(controller, 34);
        driver.FailReads(34);

        Assert.IsTrue(input.IsActive());
        Assert.IsTrue(input.IsActive());
        Assert.AreEqual(2, input.ReadErrors);
    }

    [TestMethod]
    public void IsActive_ReadFailsWithInactiveAsSafe_ReturnsInactive()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);
        using var input = new GpioDigitalInput(controller, 34, new GpioDigitalInputSettings { ActiveOnReadError = false });
        driver.FailReads(34);

        Assert.IsFalse(input.IsActive());
        Assert.AreEqual(1, input.ReadErrors);
    }

    [TestMethod]
    public void Dispose_ClosesPinOnlyOnce()
    {
        var driver = new RecordingGpioDriver();
        using var controller = new GpioController(driver);
        var input = new GpioDigitalInput(controller, 34);
        driver.Calls.Clear();

        input.Dispose();
        input.Dispose();

        CollectionAssert.AreEqual(new[] { "close 34" }, driver.Calls);
        Assert.IsFalse(driver.Disposed);
    }
}
