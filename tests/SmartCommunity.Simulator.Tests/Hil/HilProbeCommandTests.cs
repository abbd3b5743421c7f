namespace SmartCommunity.Simulator.Tests.Hil;

using System.Device.Gpio;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Hil;

[TestClass]
public sealed class HilProbeCommandTests
{
    [TestMethod]
    public void Run_FireCleared_DeviceEnergisesLock_ChangePrinted()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        var driver = new JumperedGpioDriver();
        int polls = 0;

        // Plays the device under test: a few polls after its fire input reads clear (line 17 low), it energises the lock.
        var command = new HilProbeCommand
        {
            Gpio = files.Access(driver),
            Wait = _ =>
            {
                if (++polls == 3 && driver.Driven(17) == PinValue.Low)
                {
                    driver.DriveFromOutside(22, PinValue.High);
                }
            },
        };
        var console = new RecordingConsole();

        int exit = command.Run(Settings(files, ["fire=inactive"]), console.Console);

        Assert.AreEqual(HilExitCodes.Ok, exit, console.Text);
        StringAssert.Contains(console.Text, "start levels fire=active, doorClosed=active");
        StringAssert.Contains(console.Text, "fire set inactive");
        StringAssert.Contains(console.Text, "lock released");
        StringAssert.Contains(console.Text, "lock energised");
        Assert.AreEqual(10, polls, "1 s at 100 ms");
        Assert.AreEqual(PinValue.High, driver.Driven(17), "fire presented again when the probe ends");
        Assert.AreEqual(0, driver.OpenLines.Count);
    }

    [TestMethod]
    public void Run_SetOnPinTheBenchReads_ExitTwo()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        var console = new RecordingConsole();

        int exit = new HilProbeCommand { Gpio = files.Access(new JumperedGpioDriver()), Wait = _ => { } }
            .Run(Settings(files, ["lock=active"]), console.Console);

        Assert.AreEqual(HilExitCodes.CannotRun, exit);
        StringAssert.Contains(console.Text, "a pin the bench drives (fire, doorClosed)");
    }

    [TestMethod]
    public void Run_UnknownDevice_ExitTwoListingTheMapsDevices()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        var console = new RecordingConsole();
        var settings = new HilProbeCommand.Settings { Pins = files.Write("bench.yaml", HilTestFiles.BenchMap), Device = "b9-door" };

        int exit = new HilProbeCommand { Gpio = files.Access(new JumperedGpioDriver()) }.Run(settings, console.Console);

        Assert.AreEqual(HilExitCodes.CannotRun, exit);
        StringAssert.Contains(console.Text, "no device 'b9-door'; it lists b1-lobby-entrance");
    }

    [TestMethod]
    public void Run_LineBusy_ExitTwoWithoutStackTrace()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        var console = new RecordingConsole();

        int exit = new HilProbeCommand { Gpio = files.Access(new JumperedGpioDriver().Busy(22)), Wait = _ => { } }
            .Run(Settings(files, []), console.Console);

        Assert.AreEqual(HilExitCodes.CannotRun, exit);
        StringAssert.Contains(console.Text, "GPIO error:");
        StringAssert.Contains(console.Text, "busy");
        Assert.IsFalse(console.Text.Contains("   at ", System.StringComparison.Ordinal), console.Text);
    }

    [TestMethod]
    public void Run_NoGpio_ExitTwo()
    {
        using var files = new HilTestFiles();
        var console = new RecordingConsole();

        int exit = new HilProbeCommand { Gpio = files.Access(new JumperedGpioDriver()) }.Run(Settings(files, []), console.Console);

        Assert.AreEqual(HilExitCodes.CannotRun, exit);
        StringAssert.Contains(console.Text, "this machine has no GPIO");
    }

    private static HilProbeCommand.Settings Settings(HilTestFiles files, string[] sets) => new()
    {
        Pins = files.Write("bench.yaml", HilTestFiles.BenchMap),
        Set = sets,
        Seconds = 1,
        PollMs = 100,
    };
}
