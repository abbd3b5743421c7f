namespace SmartCommunity.Installer.Tests.Provisioning;

using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Installer.Provisioning;
using SmartCommunity.Installer.Tests.TestSupport;

/// <summary>Provisioning against a real edge on loopback, with an admin's token.</summary>
[TestClass]
public sealed class ProvisionerTests
{
    private const string MqttHost = "192.168.10.2";

    [TestMethod]
    public async Task Provision_LayoutDoor_WritesBundleTheFirmwareAcceptsWithTheEdgesCredentials()
    {
        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        using EdgeApiClient client = InstallerRig.Client(edge, await InstallerRig.AdminTokenAsync(edge));

        ProvisionResult result = await new Provisioner(client).ProvisionAsync(Request(folder, InstallerRig.Door));

        Assert.AreEqual(folder.File("bundles/b1-lobby-entrance.bundle.json"), result.BundlePath);
        byte[] bytes = File.ReadAllBytes(result.BundlePath);
        Assert.IsLessThanOrEqualTo(DeviceConfig.MaxBytes, bytes.Length);
        DeviceConfig config = DeviceConfig.Parse(bytes, bytes.Length, out string error);
        Assert.IsNotNull(config, error);
        Assert.AreEqual("riverside", config.Site);
        Assert.AreEqual("b1", config.Building);
        Assert.AreEqual("door", config.Kind);
        Assert.AreEqual("egress-lock", config.Role);
        Assert.AreEqual(MqttHost, config.MqttHost);
        Assert.AreEqual(8883, config.MqttPort);
        Assert.IsTrue(config.MqttTls);
        Assert.AreEqual(InstallerRig.Door, config.MqttUser);
        Assert.IsTrue(edge.Registry.VerifyPassword(InstallerRig.Door, config.MqttPassword), "the bundle's password is the one the edge issued");
        foreach (var pin in edge.Layout.DevicesById[InstallerRig.Door].Pins)
        {
            Assert.AreEqual(pin.Value, config.Pin(pin.Key), pin.Key);
        }

        using JsonDocument json = JsonDocument.Parse(bytes);
        string commandKey = json.RootElement.GetProperty("commandKey").GetString()!;
        Assert.AreEqual(64, commandKey.Length);
        Assert.AreEqual(Convert.ToHexStringLower(edge.Registry.SigningKey(InstallerRig.Door)!), commandKey);
        Assert.AreEqual(1, json.RootElement.GetProperty("commandKeyId").GetInt32());
        Assert.IsFalse(result.Rotated);
    }

    [TestMethod]
    public async Task Provision_Bundle_IsReadableByItsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Inconclusive("Unix file modes only");
            return;
        }

        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        using EdgeApiClient client = InstallerRig.Client(edge, await InstallerRig.AdminTokenAsync(edge));

        ProvisionResult result = await new Provisioner(client).ProvisionAsync(Request(folder, InstallerRig.Smoke));

        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(result.BundlePath));
    }

    [TestMethod]
    public async Task Provision_AlreadyProvisioned_RefusedWithoutRotateAndOldCredentialsKeepWorking()
    {
        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        using EdgeApiClient client = InstallerRig.Client(edge, await InstallerRig.AdminTokenAsync(edge));
        var provisioner = new Provisioner(client);
        ProvisionResult first = await provisioner.ProvisionAsync(Request(folder, InstallerRig.Door));
        string firstPassword = PasswordOf(first.BundlePath);

        InstallerProblem problem = await Assert.ThrowsExactlyAsync<InstallerProblem>(() => provisioner.ProvisionAsync(Request(folder, InstallerRig.Door)));

        Assert.AreEqual(InstallerExit.AlreadyProvisioned, problem.ExitCode);
        StringAssert.Contains(problem.Fix, "--rotate");
        Assert.IsTrue(edge.Registry.VerifyPassword(InstallerRig.Door, firstPassword), "a refused provision changes nothing at the edge");
        Assert.AreEqual(firstPassword, PasswordOf(first.BundlePath), "nor the bundle on disk");
    }

    [TestMethod]
    public async Task Provision_Rotate_IssuesNewCredentialsAndTheOldPasswordStopsWorking()
    {
        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        using EdgeApiClient client = InstallerRig.Client(edge, await InstallerRig.AdminTokenAsync(edge));
        var provisioner = new Provisioner(client);
        string oldPassword = PasswordOf((await provisioner.ProvisionAsync(Request(folder, InstallerRig.Door))).BundlePath);

        ProvisionResult rotated = await provisioner.ProvisionAsync(Request(folder, InstallerRig.Door) with { Rotate = true });

        string newPassword = PasswordOf(rotated.BundlePath);
        Assert.IsTrue(rotated.Rotated);
        Assert.AreNotEqual(oldPassword, newPassword);
        Assert.IsFalse(edge.Registry.VerifyPassword(InstallerRig.Door, oldPassword));
        Assert.IsTrue(edge.Registry.VerifyPassword(InstallerRig.Door, newPassword));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(rotated.BundlePath));
        Assert.AreEqual(edge.Registry.SigningKeyFor(InstallerRig.Door)!.Id, json.RootElement.GetProperty("commandKeyId").GetInt32(), "the bundle names the key the edge now signs with");
        Assert.AreEqual(Convert.ToHexStringLower(edge.Registry.SigningKey(InstallerRig.Door)!), json.RootElement.GetProperty("commandKey").GetString());
    }

    [TestMethod]
    public async Task Provision_DeviceNotInLayout_BadInputNamingCloseIds()
    {
        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        using EdgeApiClient client = InstallerRig.Client(edge, await InstallerRig.AdminTokenAsync(edge));

        InstallerProblem problem = await Assert.ThrowsExactlyAsync<InstallerProblem>(
            () => new Provisioner(client).ProvisionAsync(Request(folder, "b1-lobby-entrence")));

        Assert.AreEqual(InstallerExit.BadInput, problem.ExitCode);
        StringAssert.Contains(problem.What, "'b1-lobby-entrence' is not in the layout");
        StringAssert.Contains(problem.Fix, "b1-lobby-entrance");
        Assert.IsNull(edge.Registry.Find("b1-lobby-entrence"));
    }

    [TestMethod]
    public async Task Provision_UnreachableEdge_EdgeUnreachableAndNoBundle()
    {
        using var folder = new TempFolder();
        using var client = new EdgeApiClient(InstallerRig.DeadEdge(), "sce_whatever");

        InstallerProblem problem = await Assert.ThrowsExactlyAsync<InstallerProblem>(
            () => new Provisioner(client).ProvisionAsync(Request(folder, InstallerRig.Door)));

        Assert.AreEqual(InstallerExit.EdgeUnreachable, problem.ExitCode);
        StringAssert.Contains(problem.What, "cannot reach the edge");
        StringAssert.Contains(problem.Fix, "systemctl status sc-edge");
        Assert.IsFalse(File.Exists(folder.File("bundles/b1-lobby-entrance.bundle.json")));
    }

    [TestMethod]
    public async Task Provision_UnknownToken_NotAuthorisedAndNothingRegistered()
    {
        using var folder = new TempFolder();
        await using EdgeHost edge = await InstallerRig.StartEdgeAsync(folder);
        using EdgeApiClient client = InstallerRig.Client(edge, "sce_not-a-token-anyone-was-given");

        InstallerProblem problem = await Assert.ThrowsExactlyAsync<InstallerProblem>(
            () => new Provisioner(client).ProvisionAsync(Request(folder, InstallerRig.Door)));

        Assert.AreEqual(InstallerExit.NotAuthorised, problem.ExitCode);
        StringAssert.Contains(problem.Fix, "sc-edge operator add");
        Assert.IsFalse(edge.Registry.Find(InstallerRig.Door)!.HasCredentials);
    }

    [TestMethod]
    [DataRow("localhost")]
    [DataRow("127.0.0.1")]
    [DataRow("not a host")]
    [DataRow("")]
    public void CheckBroker_HostTheDeviceCannotUse_BadInput(string host)
    {
        InstallerProblem problem = Assert.ThrowsExactly<InstallerProblem>(() => Provisioner.CheckBroker(host, 8883));

        Assert.AreEqual(InstallerExit.BadInput, problem.ExitCode);
        StringAssert.Contains(problem.What, "--mqtt-host");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(65536)]
    public void CheckBroker_PortOutOfRange_BadInput(int port)
    {
        InstallerProblem problem = Assert.ThrowsExactly<InstallerProblem>(() => Provisioner.CheckBroker("edge.local", port));

        StringAssert.Contains(problem.What, "--mqtt-port");
    }

    [TestMethod]
    public async Task Provision_BadLayout_BadInputWithFileLineAndColumn()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.yaml"), "schema: 1\nsite:\n  id: riverside\nbuildings:\n  - id: b1\n    flors: []\n");
        using var client = new EdgeApiClient(InstallerRig.DeadEdge(), "sce_whatever");

        InstallerProblem problem = await Assert.ThrowsExactlyAsync<InstallerProblem>(
            () => new Provisioner(client).ProvisionAsync(Request(folder, InstallerRig.Door) with { LayoutPath = folder.File("bad.yaml") }));

        Assert.AreEqual(InstallerExit.BadInput, problem.ExitCode);
        StringAssert.Contains(problem.What, "bad.yaml:6:");
    }

    private static ProvisionRequest Request(TempFolder folder, string device) =>
        new(InstallerRig.LayoutPath, device, MqttHost, Provisioner.DefaultMqttPort, folder.File("bundles"), Rotate: false);

    private static string PasswordOf(string bundlePath)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(bundlePath));
        return json.RootElement.GetProperty("mqtt").GetProperty("password").GetString()!;
    }
}
