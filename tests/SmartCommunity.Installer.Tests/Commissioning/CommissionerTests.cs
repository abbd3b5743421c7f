namespace SmartCommunity.Installer.Tests.Commissioning;

using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge;
using SmartCommunity.Installer.Commissioning;
using SmartCommunity.Installer.Tests.TestSupport;
using SmartCommunity.Simulation.Devices;

/// <summary>
/// Commissioning against a real edge on loopback, with a real virtual device (the firmware logic) connected to
/// the edge's broker: the self-test goes out as an operator command and its report comes back over MQTT.
/// </summary>
[TestClass]
public sealed class CommissionerTests
{
    private static readonly TimeSpan SelfTestWait = TimeSpan.FromSeconds(15);

    [TestMethod]
    public async Task Commission_DoorOnlineFireInputClear_PassesAndAppendsToTheBuildingsReport()
    {
        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        await using VirtualDevice door = await InstallerRig.StartDeviceAsync(edge, InstallerRig.Door);
        await InstallerRig.WaitUntilAsync(() => edge.Twins.Find(InstallerRig.Door)?.LastState?.Contains("\"fireInput\":false", StringComparison.Ordinal) == true,
            "the door reports its fire input clear");
        using EdgeApiClient client = InstallerRig.Client(edge, await InstallerRig.AdminTokenAsync(edge));

        CommissioningResult result = await new Commissioner(client, TimeProvider.System).CommissionAsync(Request(folder, InstallerRig.Door));

        Assert.IsTrue(result.Passed, string.Join("; ", result.Checks.Select(c => $"{c.Name}={c.Passed} ({c.Seen})")));
        CollectionAssert.AreEqual(new[] { "online at the edge", "self-test passed", "fire input not active" }, result.Checks.Select(c => c.Name).ToArray());
        Assert.AreEqual(VirtualDevice.FirmwareVersion, result.Firmware);
        Assert.AreEqual("riverside", result.Site);
        Assert.AreEqual("b1", result.Building);

        string markdown = File.ReadAllText(CommissioningReport.MarkdownPath(folder.File("reports"), "b1"));
        StringAssert.Contains(markdown, "## b1-lobby-entrance: PASS");
        StringAssert.Contains(markdown, "- by: ines");
        StringAssert.Contains(markdown, $"- firmware: {VirtualDevice.FirmwareVersion}");
        StringAssert.Contains(markdown, "| fire input not active | pass | fireInput=false |");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(CommissioningReport.JsonPath(folder.File("reports"), "b1")));
        JsonElement entry = json.RootElement.GetProperty("devices").EnumerateArray().Single();
        Assert.AreEqual("pass", entry.GetProperty("result").GetString());
        Assert.AreEqual(3, entry.GetProperty("checks").GetArrayLength());
    }

    [TestMethod]
    public async Task Commission_SmokeDetectorInCleanAir_ChamberReadingInRange()
    {
        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        await using VirtualDevice smoke = await InstallerRig.StartDeviceAsync(edge, InstallerRig.Smoke);
        await InstallerRig.WaitUntilAsync(() => edge.Twins.Find(InstallerRig.Smoke)?.LastState?.Contains("\"level\":", StringComparison.Ordinal) == true,
            "the detector reports a reading");
        using EdgeApiClient client = InstallerRig.Client(edge, await InstallerRig.AdminTokenAsync(edge));

        CommissioningResult result = await new Commissioner(client, TimeProvider.System).CommissionAsync(Request(folder, InstallerRig.Smoke));

        CommissioningCheck chamber = result.Checks.Single(c => c.Name == "chamber reading in range");
        Assert.IsTrue(chamber.Passed, chamber.Seen);
        Assert.AreEqual(VirtualDevice.CleanAirLevel.ToString(System.Globalization.CultureInfo.InvariantCulture), chamber.Seen);
        Assert.IsTrue(result.Passed, string.Join("; ", result.Checks.Select(c => $"{c.Name}={c.Passed} ({c.Seen})")));
    }

    [TestMethod]
    public async Task Commission_DoorWithFireInputActive_FailsThatCheckAndTheReportSaysFail()
    {
        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        await using VirtualDevice door = await InstallerRig.StartDeviceAsync(edge, InstallerRig.Door);
        door.FireInput!.Active = true;
        await InstallerRig.WaitUntilAsync(() => edge.Twins.Find(InstallerRig.Door)?.LastState?.Contains("\"fireInput\":true", StringComparison.Ordinal) == true,
            "the door reports its fire input active");
        using EdgeApiClient client = InstallerRig.Client(edge, await InstallerRig.AdminTokenAsync(edge));

        CommissioningResult result = await new Commissioner(client, TimeProvider.System).CommissionAsync(Request(folder, InstallerRig.Door));

        Assert.IsFalse(result.Passed);
        CommissioningCheck fire = result.Checks.Single(c => c.Name == "fire input not active");
        Assert.IsFalse(fire.Passed);
        Assert.AreEqual("fireInput=true", fire.Seen);
        Assert.IsTrue(result.Checks.Single(c => c.Name == "online at the edge").Passed);
        StringAssert.Contains(File.ReadAllText(CommissioningReport.MarkdownPath(folder.File("reports"), "b1")), "## b1-lobby-entrance: FAIL");
    }

    [TestMethod]
    public async Task Commission_DeviceNeverConnected_OfflineCheckFailsWithoutASelfTest()
    {
        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        using EdgeApiClient client = InstallerRig.Client(edge, await InstallerRig.AdminTokenAsync(edge));

        CommissioningResult result = await new Commissioner(client, TimeProvider.System).CommissionAsync(Request(folder, InstallerRig.StairDoor));

        Assert.IsFalse(result.Passed);
        CommissioningCheck online = result.Checks.Single();
        Assert.AreEqual("online at the edge", online.Name);
        StringAssert.StartsWith(online.Seen, "offline");
        Assert.IsEmpty(edge.Commands.Recent(50, InstallerRig.StairDoor), "no self-test is sent to a device that is not there");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(CommissioningReport.JsonPath(folder.File("reports"), "b1")));
        Assert.AreEqual("fail", json.RootElement.GetProperty("devices")[0].GetProperty("result").GetString());
    }

    [TestMethod]
    public async Task Commission_TwoDevices_BothAppendedToOneReport()
    {
        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        using EdgeApiClient client = InstallerRig.Client(edge, await InstallerRig.AdminTokenAsync(edge));
        var commissioner = new Commissioner(client, TimeProvider.System);

        await commissioner.CommissionAsync(Request(folder, InstallerRig.StairDoor));
        await commissioner.CommissionAsync(Request(folder, InstallerRig.Door));

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(CommissioningReport.JsonPath(folder.File("reports"), "b1")));
        CollectionAssert.AreEqual(new[] { InstallerRig.StairDoor, InstallerRig.Door },
            json.RootElement.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("device").GetString()).ToArray());
        string markdown = File.ReadAllText(CommissioningReport.MarkdownPath(folder.File("reports"), "b1"));
        Assert.AreEqual(1, markdown.Split("# Commissioning report").Length - 1, "one heading for the building");
    }

    [TestMethod]
    public async Task Commission_DeviceUnknownToTheEdge_BadInput()
    {
        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        using EdgeApiClient client = InstallerRig.Client(edge, await InstallerRig.AdminTokenAsync(edge));

        InstallerProblem problem = await Assert.ThrowsExactlyAsync<InstallerProblem>(
            () => new Commissioner(client, TimeProvider.System).CommissionAsync(Request(folder, "b9-nowhere")));

        Assert.AreEqual(InstallerExit.BadInput, problem.ExitCode);
        StringAssert.Contains(problem.What, "does not know device 'b9-nowhere'");
    }

    private static CommissionRequest Request(TempFolder folder, string device) => new(device, folder.File("reports"), "ines", SelfTestWait);
}
