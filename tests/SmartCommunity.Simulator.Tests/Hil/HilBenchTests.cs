namespace SmartCommunity.Simulator.Tests.Hil;

using System;
using System.Device.Gpio;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Hil;

[TestClass]
public sealed class HilBenchTests
{
    [TestMethod]
    public void Open_Door_PresentsFireAndClosedDoorInOneRequestEach()
    {
        var driver = new JumperedGpioDriver();
        using var controller = new GpioController(driver);

        using HilBench bench = HilBench.Open(Door(), controller);

        CollectionAssert.Contains(driver.Calls, "mode 17 Output High", "fire present: high");
        CollectionAssert.Contains(driver.Calls, "mode 27 Output Low", "door closed: low (active-low contact)");
        Assert.IsFalse(driver.Calls.Any(c => c.StartsWith("write 17", StringComparison.Ordinal)), "no second write that could glitch");
        CollectionAssert.Contains(driver.Calls, "mode 22 Input");
    }

    [TestMethod]
    public void Drive_FireClearedAndDoorOpened_LinesFollowTheMeaning()
    {
        var driver = new JumperedGpioDriver();
        using var controller = new GpioController(driver);
        using HilBench bench = HilBench.Open(Door(), controller);

        bench.Drive("fire", false);
        bench.Drive("doorClosed", false);

        Assert.AreEqual(PinValue.Low, driver.Driven(17));
        Assert.AreEqual(PinValue.High, driver.Driven(27));
    }

    [TestMethod]
    public void Read_LockDrivenByDeviceUnderTest_ReadsItsMeaning()
    {
        var driver = new JumperedGpioDriver();
        using var controller = new GpioController(driver);
        using HilBench bench = HilBench.Open(Door(), controller);

        driver.DriveFromOutside(22, PinValue.High);
        Assert.IsTrue(bench.Read("lock"));

        driver.DriveFromOutside(22, PinValue.Low);
        Assert.IsFalse(bench.Read("lock"));
        Assert.AreEqual(0, bench.ReadErrors);
    }

    [TestMethod]
    public void Read_BenchWiredToAVirtualDoor_FireReleasesTheLock()
    {
        // The "device under test" here is two wires: its lock output simply follows the inverse of fire through a
        // second line, driven by the test, to show the bench reads what the DUT drives.
        var driver = new JumperedGpioDriver();
        using var controller = new GpioController(driver);
        using HilBench bench = HilBench.Open(Door(), controller);

        bench.Drive("fire", false);
        driver.DriveFromOutside(22, driver.Driven(17) == PinValue.Low ? PinValue.High : PinValue.Low);
        Assert.IsTrue(bench.Read("lock"));

        bench.Drive("fire", true);
        driver.DriveFromOutside(22, driver.Driven(17) == PinValue.Low ? PinValue.High : PinValue.Low);
        Assert.IsFalse(bench.Read("lock"));
    }

    [TestMethod]
    public void Drive_PinTheBenchReads_ThrowsNamingTheDrivablePins()
    {
        using var controller = new GpioController(new JumperedGpioDriver());
        using HilBench bench = HilBench.Open(Door(), controller);

        var ex = Assert.ThrowsExactly<ArgumentException>(() => bench.Drive("lock", true));

        StringAssert.Contains(ex.Message, "fire");
        StringAssert.Contains(ex.Message, "doorClosed");
        Assert.ThrowsExactly<ArgumentException>(() => bench.Read("fire"));
    }

    [TestMethod]
    public void Dispose_ReturnsInputsToStartLevelsAndClosesLines()
    {
        var driver = new JumperedGpioDriver();
        using var controller = new GpioController(driver);
        HilBench bench = HilBench.Open(Door(), controller);
        bench.Drive("fire", false);

        bench.Dispose();
        bench.Dispose();

        Assert.AreEqual(PinValue.High, driver.Driven(17), "fire present again before the line is let go");
        Assert.AreEqual(0, driver.OpenLines.Count);
        Assert.ThrowsExactly<ObjectDisposedException>(() => bench.Drive("fire", true));
    }

    [TestMethod]
    public void Open_LineBusy_ClosesWhatItOpenedAndThrows()
    {
        var driver = new JumperedGpioDriver().Busy(22);
        using var controller = new GpioController(driver);

        Assert.ThrowsExactly<System.IO.IOException>(() => HilBench.Open(Door(), controller));

        Assert.AreEqual(0, driver.OpenLines.Count);
    }

    private static HilDevice Door() => HilPinMapLoader.Parse(HilTestFiles.BenchMap, "bench.yaml").Devices.Single();
}
