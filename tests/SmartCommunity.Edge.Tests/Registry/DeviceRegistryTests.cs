namespace SmartCommunity.Edge.Tests.Registry;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Registry;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Edge.Twins;

[TestClass]
public sealed class DeviceRegistryTests
{
    private const string Layout = """
        schema: 1
        site: { id: s1 }
        buildings:
          - id: b1
            floors:
              - id: f0
                zones:
                  - id: lobby
                    devices:
                      - { id: door-1, kind: door, role: egress-lock, pins: { lock: 23 } }
                      - { id: smoke-1, kind: smoke }
        """;

    [TestMethod]
    public async Task Open_FirstStart_ImportsTheLayoutsDevices()
    {
        using var data = new TempFolder();
        await using var rig = await Rig.OpenAsync(data, Layout);

        CollectionAssert.AreEquivalent(new[] { "door-1", "smoke-1" }, rig.Registry.List().Select(d => d.Definition.Id).ToArray());
        Assert.IsTrue(rig.Registry.List().All(d => d.Origin == DeviceRegistry.OriginLayout));
        Assert.AreEqual(23, rig.Layout.DevicesById["door-1"].Pins["lock"]);
    }

    [TestMethod]
    public async Task SaveAsync_NewDevice_KnownToTheEdgeAtOnceAndAfterARestart()
    {
        using var data = new TempFolder();
        await using (var rig = await Rig.OpenAsync(data, Layout))
        {
            IReadOnlyList<string> problems = await rig.Registry.SaveAsync(Door(rig.Layout, "door-2", "hold-open"), "alice");

            Assert.IsEmpty(problems);
            Assert.IsTrue(rig.Layout.DevicesById.ContainsKey("door-2"));
            Assert.IsNotNull(new TwinRegistry(rig.Layout).Find("door-2"), "a twin on first use");
            Assert.IsTrue(rig.Log.ReadRecent(10, "door-2").Any(e => e.Name == "device-saved" && e.Payload.Contains("alice", StringComparison.Ordinal)));
        }

        await using var again = await Rig.OpenAsync(data, Layout);
        Assert.AreEqual("hold-open", again.Layout.DevicesById["door-2"].Role);
        Assert.AreEqual(DeviceRegistry.OriginApi, again.Registry.Find("door-2")!.Origin);
    }

    [TestMethod]
    public async Task Open_ApiChangedALayoutDevice_TheChangeSurvivesARestartWithTheSameFile()
    {
        using var data = new TempFolder();
        await using (var rig = await Rig.OpenAsync(data, Layout))
        {
            await rig.Registry.SaveAsync(Door(rig.Layout, "door-1", "hold-open"), "alice");
        }

        await using var again = await Rig.OpenAsync(data, Layout);

        Assert.AreEqual("hold-open", again.Layout.DevicesById["door-1"].Role);
    }

    [TestMethod]
    public async Task Open_LayoutEntryChangedSinceLastStart_TheFileWins()
    {
        using var data = new TempFolder();
        await using (var rig = await Rig.OpenAsync(data, Layout))
        {
            await rig.Registry.SaveAsync(Door(rig.Layout, "door-1", "hold-open"), "alice");
        }

        await using var again = await Rig.OpenAsync(data, Layout.Replace("pins: { lock: 23 }", "pins: { lock: 25 }", StringComparison.Ordinal));

        DeviceDefinition door = again.Layout.DevicesById["door-1"];
        Assert.AreEqual("egress-lock", door.Role);
        Assert.AreEqual(25, door.Pins["lock"]);
    }

    [TestMethod]
    public async Task Open_DeviceRemovedFromTheFile_Retired()
    {
        using var data = new TempFolder();
        await using (await Rig.OpenAsync(data, Layout))
        {
        }

        await using var again = await Rig.OpenAsync(data, Layout.Replace("- { id: smoke-1, kind: smoke }", "", StringComparison.Ordinal));

        Assert.IsFalse(again.Layout.DevicesById.ContainsKey("smoke-1"));
        Assert.IsTrue(again.Registry.Find("smoke-1")!.Retired, "kept for the record");
    }

    [TestMethod]
    public async Task RetireAsync_Device_NoLongerAcceptedEvenAfterARestart()
    {
        using var data = new TempFolder();
        await using (var rig = await Rig.OpenAsync(data, Layout))
        {
            Assert.IsTrue(await rig.Registry.RetireAsync("door-1", "alice"));
            Assert.IsFalse(rig.Layout.DevicesById.ContainsKey("door-1"));
            Assert.IsFalse(await rig.Registry.RetireAsync("door-1", "alice"), "already retired");
        }

        await using var again = await Rig.OpenAsync(data, Layout);
        Assert.IsFalse(again.Layout.DevicesById.ContainsKey("door-1"), "an unchanged file does not bring it back");
    }

    [TestMethod]
    public async Task SaveAsync_InvalidDevice_ProblemsAndNothingSaved()
    {
        using var data = new TempFolder();
        await using var rig = await Rig.OpenAsync(data, Layout);
        DeviceDefinition bad = Door(rig.Layout, "Door 9", "detector") with { Building = "b7", Pins = new Dictionary<string, int> { ["lock"] = 300 } };

        IReadOnlyList<string> problems = await rig.Registry.SaveAsync(bad, "alice");

        Assert.HasCount(4, problems, string.Join("\n", problems));
        Assert.IsTrue(problems.Any(p => p.Contains("building 'b7'", StringComparison.Ordinal)));
        Assert.IsTrue(problems.Any(p => p.Contains("role 'detector'", StringComparison.Ordinal)));
        Assert.IsNull(rig.Registry.Find("Door 9"));
    }

    [TestMethod]
    public async Task VerifyPassword_Reconnects_HashRunsOnceAndNewCredentialsAreCheckedAgain()
    {
        using var data = new TempFolder();
        await using var rig = await Rig.OpenAsync(data, Layout);
        DeviceSecrets first = (await rig.Registry.IssueCredentialsAsync("door-1", "installer"))!;

        Assert.IsTrue(rig.Registry.VerifyPassword("door-1", first.MqttPassword));
        long afterFirst = rig.Registry.PasswordHashChecks;
        for (int i = 0; i < 5; i++)
        {
            Assert.IsTrue(rig.Registry.VerifyPassword("door-1", first.MqttPassword));
        }

        Assert.AreEqual(afterFirst, rig.Registry.PasswordHashChecks, "a remembered password costs no hash on reconnect");
        Assert.IsFalse(rig.Registry.VerifyPassword("door-1", first.MqttPassword + "x"));
        Assert.AreEqual(afterFirst + 1, rig.Registry.PasswordHashChecks, "a wrong password always pays the hash");

        DeviceSecrets second = (await rig.Registry.IssueCredentialsAsync("door-1", "installer"))!;

        Assert.IsFalse(rig.Registry.VerifyPassword("door-1", first.MqttPassword), "the old password is not remembered past new credentials");
        Assert.IsTrue(rig.Registry.VerifyPassword("door-1", second.MqttPassword));
    }

    [TestMethod]
    public async Task IssueCredentialsAsync_Device_PasswordVerifiesAndNothingSecretIsStoredInTheClear()
    {
        using var data = new TempFolder();
        DeviceSecrets secrets;
        await using (var rig = await Rig.OpenAsync(data, Layout))
        {
            secrets = (await rig.Registry.IssueCredentialsAsync("door-1", "installer"))!;

            Assert.IsTrue(rig.Registry.VerifyPassword("door-1", secrets.MqttPassword));
            Assert.IsFalse(rig.Registry.VerifyPassword("door-1", secrets.MqttPassword + "x"));
            Assert.IsFalse(rig.Registry.VerifyPassword("smoke-1", secrets.MqttPassword));
            CollectionAssert.AreEqual(secrets.SigningKey, rig.Registry.SigningKey("door-1"));
            Assert.IsTrue(rig.Registry.Find("door-1")!.HasCredentials);
        }

        byte[] database = File.ReadAllBytes(data.File("edge.db"));
        Assert.IsFalse(Contains(database, Encoding.UTF8.GetBytes(secrets.MqttPassword)), "the password is stored hashed");
        Assert.IsFalse(Contains(database, secrets.SigningKey), "the signing key is stored sealed");
    }

    [TestMethod]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Open_FirstStart_BuildingKeyFileIsOwnerOnly()
    {
        using var data = new TempFolder();
        await using var rig = await Rig.OpenAsync(data, Layout);

        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(data.File(BuildingKey.FileName)));
    }

    [TestMethod]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void LoadOrCreate_KeyFileReadableByOthers_RefusedWithTheFix()
    {
        using var data = new TempFolder();
        string path = data.File(BuildingKey.FileName);
        BuildingKey.LoadOrCreate(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => BuildingKey.LoadOrCreate(path));

        Assert.Contains("chmod 600", error.Message);
    }

    [TestMethod]
    public void Open_SealedKeyOfAnotherDevice_DoesNotOpen()
    {
        using var data = new TempFolder();
        BuildingKey key = BuildingKey.LoadOrCreate(data.File(BuildingKey.FileName));
        byte[] sealedForDoor = key.Seal(new byte[] { 1, 2, 3 }, "door-1");

        Assert.Throws<System.Security.Cryptography.AuthenticationTagMismatchException>(() => key.Open(sealedForDoor, "door-2"));
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, key.Open(sealedForDoor, "door-1"));
    }

    [TestMethod]
    public async Task RecordSeen_TwinFlushed_FirstAndLastSeenAndFirmwareKept()
    {
        using var data = new TempFolder();
        await using var rig = await Rig.OpenAsync(data, Layout);
        var twins = new TwinRegistry(rig.Layout);
        DeviceDefinition door = rig.Layout.DevicesById["door-1"];
        var first = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        twins.Apply(twins.Find("door-1")!, Messages.Online(door, 1), first);
        rig.Registry.RecordSeen(twins.TakeChanged());
        twins.Apply(twins.Find("door-1")!, Messages.Event(door, 2, "door-opened"), first.AddHours(1));

        rig.Registry.RecordSeen(twins.TakeChanged());

        RegisteredDevice stored = rig.Registry.Find("door-1")!;
        Assert.AreEqual(first, stored.FirstSeen);
        Assert.AreEqual(first.AddHours(1), stored.LastSeen);
        Assert.AreEqual("test-1", stored.Firmware);
    }

    private static DeviceDefinition Door(BuildingLayout layout, string id, string role) =>
        new(id, DeviceKinds.Door, role, layout.Site, "b1", "f0", "lobby", new Dictionary<string, int> { ["lock"] = 23 }, new Dictionary<string, long>());

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private sealed class Rig : IAsyncDisposable
    {
        private Rig(BuildingLayout layout, EventLog log, DeviceRegistry registry)
        {
            Layout = layout;
            Log = log;
            Registry = registry;
        }

        public BuildingLayout Layout { get; }

        public EventLog Log { get; }

        public DeviceRegistry Registry { get; }

        public static Task<Rig> OpenAsync(TempFolder data, string yaml)
        {
            BuildingLayout layout = LayoutLoader.Parse(yaml, "layout.yaml");
            EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
            BuildingKey key = BuildingKey.LoadOrCreate(data.File(BuildingKey.FileName));
            var registry = DeviceRegistry.Open(data.File("edge.db"), key, layout, log, new FakeTimeProvider(EdgeParts.Start), NullLogger.Instance);
            return Task.FromResult(new Rig(layout, log, registry));
        }

        public async ValueTask DisposeAsync() => await Log.DisposeAsync();
    }
}
