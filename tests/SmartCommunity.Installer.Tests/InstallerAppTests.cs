namespace SmartCommunity.Installer.Tests;

using System.IO;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Installer.Tests.TestSupport;

/// <summary>The command line end to end: each kind of trouble ends with its own exit code (InstallerExit).</summary>
[TestClass]
public sealed class InstallerAppTests
{
    [TestMethod]
    public async Task Label_ValidDevice_ExitsZeroAndWritesThePng()
    {
        using var folder = new TempFolder();

        int exit = await InstallerApp.RunAsync(["label", "--layout", InstallerRig.LayoutPath, "--device", InstallerRig.Door, "--out", folder.File("door.png")]);

        Assert.AreEqual(InstallerExit.Ok, exit);
        Assert.IsTrue(File.Exists(folder.File("door.png")));
    }

    [TestMethod]
    public async Task Label_UnknownDevice_ExitsBadInput()
    {
        using var folder = new TempFolder();

        int exit = await InstallerApp.RunAsync(["label", "--layout", InstallerRig.LayoutPath, "--device", "b9-nowhere", "--out", folder.File("x.png")]);

        Assert.AreEqual(InstallerExit.BadInput, exit);
    }

    [TestMethod]
    public async Task Provision_EdgeNotRunning_ExitsEdgeUnreachable()
    {
        using var folder = new TempFolder();

        int exit = await InstallerApp.RunAsync(["provision", "--layout", InstallerRig.LayoutPath, "--device", InstallerRig.Door,
            "--edge", InstallerRig.DeadEdge().ToString(), "--token", "sce_whatever", "--mqtt-host", "192.168.10.2", "--out", folder.File("bundles")]);

        Assert.AreEqual(InstallerExit.EdgeUnreachable, exit);
    }

    [TestMethod]
    public async Task Commission_EdgeUrlNotHttp_ExitsBadInput()
    {
        int exit = await InstallerApp.RunAsync(["commission", "--edge", "192.168.10.2:8080", "--token", "sce_whatever", "--device", InstallerRig.Door]);

        Assert.AreEqual(InstallerExit.BadInput, exit);
    }
}
