namespace SmartCommunity.Simulator.Tests.Hil;

using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Hil;
using Spectre.Console.Cli;

[TestClass]
public sealed class HilCheckCommandTests
{
    [TestMethod]
    public void Run_GoodWiring_ExitZeroWithEveryJumperOk()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        var console = new RecordingConsole();

        int exit = Command(files, HilTestFiles.GoodBench()).Run(Settings(files), console.Console);

        Assert.AreEqual(HilExitCodes.Ok, exit, console.Text);
        StringAssert.Contains(console.Text, "hil check: PASS (3 jumper(s) ok)");
        Assert.AreEqual(3, CountOf(console.Text, "│ ok "), console.Text);
    }

    [TestMethod]
    public void Run_BrokenJumper_ExitOneAndOnlyThatJumperReported()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        var console = new RecordingConsole();

        int exit = Command(files, HilTestFiles.GoodBench().Cut(27, 23)).Run(Settings(files), console.Console);

        Assert.AreEqual(HilExitCodes.WiringFault, exit, console.Text);
        StringAssert.Contains(console.Text, "hil check: FAIL (1 of 3 jumper(s) faulty: 27->23 stuck low)");
        Assert.AreEqual(1, CountOf(console.Text, "stuck low │"), console.Text);
        Assert.AreEqual(2, CountOf(console.Text, "│ ok "), console.Text);
    }

    [TestMethod]
    public void Run_TwoCrossedLines_ExitOneAndExactlyThoseTwoReported()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        var console = new RecordingConsole();

        int exit = Command(files, new JumperedGpioDriver().Wire(17, 23).Wire(27, 22).Wire(5, 6)).Run(Settings(files), console.Console);

        Assert.AreEqual(HilExitCodes.WiringFault, exit, console.Text);
        StringAssert.Contains(console.Text, "hil check: FAIL (2 of 3 jumper(s) faulty: 17->22 crossed, 27->23 crossed)");
    }

    [TestMethod]
    public void Run_NoGpioOnMachine_ExitTwoWithClearMessage()
    {
        using var files = new HilTestFiles();
        var console = new RecordingConsole();

        int exit = Command(files, HilTestFiles.GoodBench()).Run(Settings(files), console.Console);

        Assert.AreEqual(HilExitCodes.CannotRun, exit);
        StringAssert.Contains(console.Text, "cannot use GPIO:");
        StringAssert.Contains(console.Text, "this machine has no GPIO");
        StringAssert.Contains(console.Text, "hil check: NOT RUN");
        Assert.IsFalse(console.Text.Contains("   at ", StringComparison.Ordinal), "no stack trace: " + console.Text);
    }

    [TestMethod]
    public void Run_ChipOptionOverridesMap_OpensThatChip()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        files.AddChip(4);
        int opened = -1;
        var command = new HilCheckCommand { Gpio = files.Access(HilTestFiles.GoodBench(), chip => opened = chip), Wait = _ => { } };

        int exit = command.Run(Settings(files, chip: 4), new RecordingConsole().Console);

        Assert.AreEqual(HilExitCodes.Ok, exit);
        Assert.AreEqual(4, opened);
    }

    [TestMethod]
    public void Run_ChipMissing_ExitTwoListingTheChipsThereAre()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        files.AddChip(1);
        var console = new RecordingConsole();

        int exit = Command(files, HilTestFiles.GoodBench()).Run(Settings(files, chip: 4), console.Console);

        Assert.AreEqual(HilExitCodes.CannotRun, exit);
        StringAssert.Contains(console.Text, "there is no GPIO chip 4");
        StringAssert.Contains(console.Text, "gpiochip0, gpiochip1");
    }

    [TestMethod]
    public void Run_BadPinMap_ExitTwoWithFileAndLine()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        string pins = files.Write("bad.yaml", "schema: 1\nloopback:\n  - { drive: 3, raed: 4 }\n");
        var console = new RecordingConsole();

        int exit = Command(files, HilTestFiles.GoodBench()).Run(new HilCheckCommand.Settings { Pins = pins }, console.Console);

        Assert.AreEqual(HilExitCodes.CannotRun, exit);
        StringAssert.Contains(console.Text, "bad.yaml:3:");
        StringAssert.Contains(console.Text, "unknown key 'raed'");
    }

    [TestMethod]
    public void Run_MapWithoutJumpers_ExitTwo()
    {
        using var files = new HilTestFiles();
        files.AddChip(0);
        string pins = files.Write("nojumpers.yaml", "schema: 1\ndevices:\n  - { id: d1, kind: door, pins: { lock: 1, fire: 2 } }\n");
        var console = new RecordingConsole();

        int exit = Command(files, HilTestFiles.GoodBench()).Run(new HilCheckCommand.Settings { Pins = pins }, console.Console);

        Assert.AreEqual(HilExitCodes.CannotRun, exit);
        StringAssert.Contains(console.Text, "no loopback jumpers");
    }

    [TestMethod]
    public void Run_WithoutPinsOption_ExitTwo()
    {
        using var files = new HilTestFiles();
        var console = new RecordingConsole();

        int exit = Command(files, HilTestFiles.GoodBench()).Run(new HilCheckCommand.Settings(), console.Console);

        Assert.AreEqual(HilExitCodes.CannotRun, exit);
        StringAssert.Contains(console.Text, "--pins FILE is required");
    }

    [TestMethod]
    public async Task CommandLine_HilCheckOnThisMachine_NoStackTraceAndExitTwoWithoutGpio()
    {
        if (Directory.Exists("/dev") && Directory.EnumerateFileSystemEntries("/dev", "gpiochip*").Any())
        {
            Assert.Inconclusive("this machine has GPIO chips; the no-GPIO path is covered by Run_NoGpioOnMachine_ExitTwoWithClearMessage");
        }

        using var files = new HilTestFiles();
        string pins = files.Write("bench.yaml", HilTestFiles.BenchMap);
        var app = new CommandApp();
        app.Configure(config => config.AddBranch("hil", HilCommands.Configure));

        int exit = await app.RunAsync(["hil", "check", "--pins", pins]);

        Assert.AreEqual(HilExitCodes.CannotRun, exit);
    }

    private static HilCheckCommand Command(HilTestFiles files, JumperedGpioDriver driver) => new() { Gpio = files.Access(driver), Wait = _ => { } };

    private static HilCheckCommand.Settings Settings(HilTestFiles files, int? chip = null) =>
        new() { Pins = files.Write("bench.yaml", HilTestFiles.BenchMap), Chip = chip };

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
