namespace SmartCommunity.Simulator.Tests.Hil;

using System;
using System.Device.Gpio;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Hil;

[TestClass]
public sealed class LoopbackCheckTests
{
    [TestMethod]
    public void Run_AllJumpersGood_EveryJumperOk()
    {
        LoopbackReport report = Check(HilTestFiles.GoodBench());

        Assert.IsTrue(report.Passed);
        CollectionAssert.AreEqual(new[] { LineVerdict.Ok, LineVerdict.Ok, LineVerdict.Ok }, report.Results.Select(r => r.Verdict).ToArray());
        Assert.AreEqual(0, report.Uncovered.Count);
    }

    [TestMethod]
    public void Run_BrokenJumper_OnlyThatJumperStuckLow()
    {
        LoopbackReport report = Check(HilTestFiles.GoodBench().Cut(27, 23));

        Assert.IsFalse(report.Passed);
        CollectionAssert.AreEqual(new[] { LineVerdict.Ok, LineVerdict.StuckLow, LineVerdict.Ok }, report.Results.Select(r => r.Verdict).ToArray());
        StringAssert.Contains(report.Results[1].Detail, "broken or missing jumper");
    }

    [TestMethod]
    public void Run_TwoCrossedLines_BothReportedWithTheLineTheyFollow()
    {
        // The jumpers of 17 and 27 swapped their read ends: 17 -> 23, 27 -> 22.
        var driver = new JumperedGpioDriver().Wire(17, 23).Wire(27, 22).Wire(5, 6);

        LoopbackReport report = Check(driver);

        CollectionAssert.AreEqual(new[] { LineVerdict.Crossed, LineVerdict.Crossed, LineVerdict.Ok }, report.Results.Select(r => r.Verdict).ToArray());
        CollectionAssert.AreEqual(new[] { 27 }, report.Results[0].CrossedWith.ToArray());
        CollectionAssert.AreEqual(new[] { 17 }, report.Results[1].CrossedWith.ToArray());
        StringAssert.Contains(report.Results[0].Detail, "follows 27 (b1-lobby-entrance.doorClosed) instead of 17 (b1-lobby-entrance.fire)");
    }

    [TestMethod]
    public void Run_ReadLineBridgedToAnotherDriveLine_ReportsTheBridge()
    {
        LoopbackReport report = Check(HilTestFiles.GoodBench().Wire(17, 6));

        CollectionAssert.AreEqual(new[] { LineVerdict.Ok, LineVerdict.Ok, LineVerdict.Crossed }, report.Results.Select(r => r.Verdict).ToArray());
        CollectionAssert.AreEqual(new[] { 17 }, report.Results[2].CrossedWith.ToArray());
        StringAssert.Contains(report.Results[2].Detail, "bridged");
    }

    [TestMethod]
    public void Run_ReadLineShortedHigh_StuckHigh()
    {
        LoopbackReport report = Check(HilTestFiles.GoodBench().Stick(6, PinValue.High));

        CollectionAssert.AreEqual(new[] { LineVerdict.Ok, LineVerdict.Ok, LineVerdict.StuckHigh }, report.Results.Select(r => r.Verdict).ToArray());
    }

    [TestMethod]
    public void Run_SingleJumperBroken_StuckLowWithPullDown()
    {
        HilPinMap map = HilPinMapLoader.Parse("schema: 1\nloopback:\n  - { drive: 3, read: 4 }", "m.yaml");
        var driver = new JumperedGpioDriver { FloatingLevel = PinValue.High };
        using var controller = new GpioController(driver);

        LoopbackReport report = new LoopbackCheck(controller, TimeSpan.Zero).Run(map);

        Assert.AreEqual(LineVerdict.StuckLow, report.Results.Single().Verdict, "the read line is opened with a pull-down, so a missing jumper reads low");
        CollectionAssert.Contains(driver.Calls, "mode 4 InputPullDown");
    }

    [TestMethod]
    public void Run_BusyLine_ErrorForItsJumperOthersStillChecked()
    {
        LoopbackReport report = Check(HilTestFiles.GoodBench().Busy(23));

        CollectionAssert.AreEqual(new[] { LineVerdict.Ok, LineVerdict.Error, LineVerdict.Ok }, report.Results.Select(r => r.Verdict).ToArray());
        StringAssert.Contains(report.Results[1].Detail, "cannot open line 23");
        StringAssert.Contains(report.Results[1].Detail, "busy");
    }

    [TestMethod]
    public void Run_Finished_DriveLinesLowAndEveryLineClosed()
    {
        var driver = HilTestFiles.GoodBench();
        using var controller = new GpioController(driver);

        new LoopbackCheck(controller, TimeSpan.Zero).Run(HilPinMapLoader.Parse(HilTestFiles.BenchMap, "m.yaml"));

        Assert.AreEqual(0, driver.OpenLines.Count);
        Assert.AreEqual(PinValue.Low, driver.Driven(17));
        Assert.IsFalse(driver.Disposed, "the controller belongs to the caller");
        CollectionAssert.Contains(driver.Calls, "mode 17 Output Low", "drive lines start low, in one request");
    }

    [TestMethod]
    public void Run_MapLineWithoutJumper_ListedAsUncovered()
    {
        HilPinMap map = HilPinMapLoader.Parse(
            "schema: 1\ndevices:\n  - { id: d1, kind: door, pins: { lock: 22, fire: 17, doorClosed: 9 } }\nloopback:\n  - { drive: 17, read: 22 }",
            "m.yaml");
        using var controller = new GpioController(new JumperedGpioDriver().Wire(17, 22));

        LoopbackReport report = new LoopbackCheck(controller, TimeSpan.Zero).Run(map);

        Assert.IsTrue(report.Passed);
        CollectionAssert.AreEqual(new[] { 9 }, report.Uncovered.ToArray());
    }

    [TestMethod]
    public void Run_SettleTime_WaitsOncePerPattern()
    {
        int waits = 0;
        using var controller = new GpioController(HilTestFiles.GoodBench());

        new LoopbackCheck(controller, TimeSpan.FromMilliseconds(2), _ => waits++).Run(HilPinMapLoader.Parse(HilTestFiles.BenchMap, "m.yaml"));

        Assert.AreEqual((2 * 3) + 2, waits);
    }

    private static LoopbackReport Check(JumperedGpioDriver driver)
    {
        using var controller = new GpioController(driver);
        return new LoopbackCheck(controller, TimeSpan.Zero).Run(HilPinMapLoader.Parse(HilTestFiles.BenchMap, "bench.yaml"));
    }
}
