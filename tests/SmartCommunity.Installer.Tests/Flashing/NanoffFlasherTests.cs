namespace SmartCommunity.Installer.Tests.Flashing;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Installer.Flashing;
using SmartCommunity.Installer.Provisioning;
using SmartCommunity.Installer.Tests.TestSupport;

/// <summary>
/// nanoff is not installed here: a stand-in script named nanoff, on a PATH of the test's own, records the
/// arguments of each run, so the exact argument lists are checked; a PATH without it shows the not-installed path.
/// </summary>
[TestClass]
public sealed class NanoffFlasherTests
{
    [TestMethod]
    public async Task FlashAsync_UpdateImageAndBundle_RunsNanoffThreeTimesWithTheDocumentedOptions()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Inconclusive("the stand-in nanoff is a shell script");
        }

        using var folder = new TempFolder();
        string bundle = WriteBundle(folder);
        string port = Port(folder);
        string image = folder.File("SmartCommunity.DoorNode.bin");
        File.WriteAllBytes(image, [1, 2, 3]);
        string path = StandInNanoff(folder, exitCode: 0);

        var request = new FlashRequest(bundle, port, "ESP32_REV3", UpdateFirmware: true, image, Address: "0x190000");
        IReadOnlyList<NanoffStep> steps = await NanoffFlasher.FlashAsync(request, path, _ => { });

        List<string[]> runs = Recorded(folder);
        Assert.HasCount(3, runs);
        CollectionAssert.AreEqual(new[] { "--target", "ESP32_REV3", "--serialport", port, "--update" }, runs[0]);
        CollectionAssert.AreEqual(new[] { "--target", "ESP32_REV3", "--serialport", port, "--deploy", "--image", image, "--address", "0x190000" }, runs[1]);
        string deployJson = folder.File("b1-lobby-entrance.deploy-config.json");
        CollectionAssert.AreEqual(new[] { "--filedeployment", deployJson }, runs[2]);
        Assert.HasCount(3, steps);

        using JsonDocument deployment = JsonDocument.Parse(File.ReadAllText(deployJson));
        Assert.AreEqual(port, deployment.RootElement.GetProperty("SerialPort").GetString());
        JsonElement file = deployment.RootElement.GetProperty("Files").EnumerateArray().Single();
        Assert.AreEqual("I:\\config", file.GetProperty("DestinationFilePath").GetString());
        Assert.AreEqual(bundle, file.GetProperty("SourceFilePath").GetString());
    }

    [TestMethod]
    public async Task FlashAsync_BundleOnly_OneFileDeploymentRunWithTheDefaultTargetUnused()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Inconclusive("the stand-in nanoff is a shell script");
        }

        using var folder = new TempFolder();
        string bundle = WriteBundle(folder);
        string path = StandInNanoff(folder, exitCode: 0);

        await NanoffFlasher.FlashAsync(new FlashRequest(bundle, Port(folder), NanoffFlasher.DefaultTarget, false, null, null), path, _ => { });

        List<string[]> runs = Recorded(folder);
        Assert.HasCount(1, runs);
        CollectionAssert.AreEqual(new[] { "--filedeployment", folder.File("b1-lobby-entrance.deploy-config.json") }, runs[0]);
    }

    [TestMethod]
    public async Task FlashAsync_NanoffNotOnPath_NanoffMissingSayingWhatToInstall()
    {
        using var folder = new TempFolder();
        string bundle = WriteBundle(folder);
        Directory.CreateDirectory(folder.File("empty-bin"));

        InstallerProblem problem = await Assert.ThrowsExactlyAsync<InstallerProblem>(() => NanoffFlasher.FlashAsync(
            new FlashRequest(bundle, Port(folder), NanoffFlasher.DefaultTarget, true, null, null), folder.File("empty-bin"), _ => { }));

        Assert.AreEqual(InstallerExit.NanoffMissing, problem.ExitCode);
        StringAssert.Contains(problem.What, "nanoff");
        StringAssert.Contains(problem.Fix, "dotnet tool install -g nanoff");
    }

    [TestMethod]
    public async Task FlashAsync_NanoffFails_StopsAtThatStepWithNanoffFailed()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Inconclusive("the stand-in nanoff is a shell script");
        }

        using var folder = new TempFolder();
        string bundle = WriteBundle(folder);
        string path = StandInNanoff(folder, exitCode: 3);

        InstallerProblem problem = await Assert.ThrowsExactlyAsync<InstallerProblem>(() => NanoffFlasher.FlashAsync(
            new FlashRequest(bundle, Port(folder), NanoffFlasher.DefaultTarget, true, null, null), path, _ => { }));

        Assert.AreEqual(InstallerExit.NanoffFailed, problem.ExitCode);
        StringAssert.Contains(problem.What, "exit code 3");
        Assert.HasCount(1, Recorded(folder), "the bundle is not written after a failed firmware update");
    }

    [TestMethod]
    [DataRow("esp32_rev3")]
    [DataRow("ESP32 REV3")]
    public void Plan_BadTarget_BadInput(string target)
    {
        using var folder = new TempFolder();

        InstallerProblem problem = Assert.ThrowsExactly<InstallerProblem>(
            () => NanoffFlasher.Plan(new FlashRequest(WriteBundle(folder), Port(folder), target, false, null, null)));

        Assert.AreEqual(InstallerExit.BadInput, problem.ExitCode);
        StringAssert.Contains(problem.Fix, "nanoff --listtargets");
    }

    [TestMethod]
    public void Plan_MissingSerialDevice_BadInputSayingToPlugIn()
    {
        using var folder = new TempFolder();

        InstallerProblem problem = Assert.ThrowsExactly<InstallerProblem>(
            () => NanoffFlasher.Plan(new FlashRequest(WriteBundle(folder), "/dev/ttyUSB-not-here", NanoffFlasher.DefaultTarget, false, null, null)));

        StringAssert.Contains(problem.What, "/dev/ttyUSB-not-here");
        StringAssert.Contains(problem.Fix, "USB cable");
    }

    [TestMethod]
    public void Plan_BundleTheDeviceWouldRefuse_BadInput()
    {
        using var folder = new TempFolder();
        string bundle = folder.File("bad.bundle.json");
        File.WriteAllText(bundle, "{\"v\":1,\"site\":\"riverside\"}");

        InstallerProblem problem = Assert.ThrowsExactly<InstallerProblem>(
            () => NanoffFlasher.Plan(new FlashRequest(bundle, Port(folder), NanoffFlasher.DefaultTarget, false, null, null)));

        Assert.AreEqual(InstallerExit.BadInput, problem.ExitCode);
        StringAssert.Contains(problem.What, "would be refused by the device");
    }

    private static string WriteBundle(TempFolder folder)
    {
        DeviceDefinition door = LayoutLoader.Load(InstallerRig.LayoutPath).DevicesById[InstallerRig.Door];
        string path = folder.File(Provisioner.BundleFileName(door.Id));
        SecretFile.Write(path, DeviceBundle.Build(door, "192.168.10.2", 8883, new string('p', 32), new byte[32]));
        return path;
    }

    // A stand-in for the serial device: flash checks that a /dev/ path exists, other names (COM3) are nanoff's business.
    private static string Port(TempFolder folder) => folder.File("ttyUSB0");

    /// <summary>A script named nanoff in its own folder (returned as the PATH) that records each run's arguments, one per line.</summary>
    private static string StandInNanoff(TempFolder folder, int exitCode)
    {
        string bin = folder.File("bin");
        Directory.CreateDirectory(bin);
        string script = Path.Combine(bin, "nanoff");
        File.WriteAllText(script,
            "#!/bin/sh\n"
            + $"{{ echo '--- run'; for a in \"$@\"; do echo \"$a\"; done; }} >> '{folder.File("nanoff-runs.txt")}'\n"
            + $"exit {exitCode}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return bin;
    }

    private static List<string[]> Recorded(TempFolder folder)
    {
        var runs = new List<string[]>();
        List<string>? current = null;
        foreach (string line in File.ReadAllLines(folder.File("nanoff-runs.txt")))
        {
            if (line == "--- run")
            {
                current = [];
                runs.Add([]);
            }
            else
            {
                current!.Add(line);
            }

            runs[^1] = current!.ToArray();
        }

        return runs;
    }
}
