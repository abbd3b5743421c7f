namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Simulation.Hardware;

/// <summary>Syncing the allow-list (hardware-docs/door-controller.md, "Syncing the list") and keeping it across restarts.</summary>
public sealed partial class DoorControllerTests
{
    [TestMethod]
    public void HandleMessage_FullListInParts_IncompleteUntilTheLastPartThenItsVersion()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();

        rig.AllowList("p1", Part(5, 1, 3, "1:0:0;2:0:0"));
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual(0L, rig.Controller.AllowList.Version);
        rig.Present(1);
        AssertAccess(rig.LastAccess(), 1, "granted", "allow-list", offline: true);
        rig.Present(5);
        AssertAccess(rig.LastAccess(), 5, "denied", "list-incomplete", offline: true);

        rig.AllowList("p2", Part(5, 2, 3, "3:0:0;4:0:0"));
        rig.AllowList("p3", Part(5, 3, 3, "5:0:0"));

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        JsonElement state = rig.FreshState();
        Assert.AreEqual(5, state.GetProperty("listVersion").GetInt32());
        Assert.AreEqual(5, state.GetProperty("listCount").GetInt32());
        Assert.IsFalse(state.GetProperty("listFull").GetBoolean());
        rig.Step(rig.Settings.UnlockMs);
        rig.Present(5);
        AssertAccess(rig.LastAccess(), 5, "granted", "allow-list", offline: true);
        rig.Present(6);
        AssertAccess(rig.LastAccess(), 6, "denied", "unknown-card", offline: true);
    }

    [TestMethod]
    public void HandleMessage_NewFullList_ReplacesTheOldOne()
    {
        DoorRig rig = ReadyWithList();

        rig.SyncFull("s2", 2, "42:0:0");

        Assert.AreEqual(2L, rig.Controller.AllowList.Version);
        Assert.AreEqual(1, rig.Controller.AllowList.Count);
        rig.Present(Plain);
        AssertAccess(rig.LastAccess(), Plain, "denied", "unknown-card", offline: true);
    }

    [TestMethod]
    [DataRow(3, DisplayName = "part 3 after part 1")]
    [DataRow(1, DisplayName = "part 2 of another version")]
    public void HandleMessage_PartOutOfOrder_RejectedVersionMismatch(int variant)
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.AllowList("p1", Part(5, 1, 3, "1:0:0"));

        rig.AllowList("px", variant == 3 ? Part(5, 3, 3, "3:0:0") : Part(6, 2, 3, "3:0:0"));

        Assert.AreEqual("rejected", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual("version-mismatch", rig.LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(1, rig.Controller.AllowList.Count);
        Assert.AreEqual(0L, rig.Controller.AllowList.Version);
    }

    [TestMethod]
    public void HandleMessage_DeltaOnTheDevicesVersion_AddsRemovesAndTakesTheNewVersion()
    {
        DoorRig rig = ReadyWithList();

        rig.AllowList("d1", Delta(1, 2, "2001:0:0", Plain.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual(2L, rig.Controller.AllowList.Version);
        rig.Present(2001);
        AssertAccess(rig.LastAccess(), 2001, "granted", "allow-list", offline: true);
        rig.Step(rig.Settings.UnlockMs);
        rig.Present(Plain);
        AssertAccess(rig.LastAccess(), Plain, "denied", "unknown-card", offline: true);
    }

    [TestMethod]
    [DataRow(0L, DisplayName = "base 0")]
    [DataRow(2L, DisplayName = "base ahead")]
    public void HandleMessage_DeltaWithWrongBase_RejectedVersionMismatchAndNothingChanges(long baseVersion)
    {
        DoorRig rig = ReadyWithList();

        rig.AllowList("d1", Delta(baseVersion, 3, "2001:0:0", "1001"));

        Assert.AreEqual("version-mismatch", rig.LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(1L, rig.Controller.AllowList.Version);
        Assert.AreEqual(4, rig.Controller.AllowList.Count);
        rig.Present(Plain);
        AssertAccess(rig.LastAccess(), Plain, "granted", "allow-list", offline: true);
    }

    [TestMethod]
    public void HandleMessage_DeltaWhileAFullListIsArriving_RejectedVersionMismatch()
    {
        DoorRig rig = ReadyWithList();
        rig.AllowList("p1", Part(2, 1, 2, "1:0:0"));

        rig.AllowList("d1", Delta(1, 3, "7:0:0", ""));

        Assert.AreEqual("version-mismatch", rig.LastAck().GetProperty("reason").GetString());
    }

    [TestMethod]
    public void HandleMessage_TableFull_StoresWhatFitsKeepsWhatItHadAndRejectsListFull()
    {
        DoorRig rig = new DoorRig(new DoorSettings { AllowListCapacity = 3 });
        rig.MakeReady();
        rig.SyncFull("s1", 1, "10:0:0;20:0:0");

        rig.AllowList("d1", Delta(1, 2, "5:0:0;30:0:0;40:0:0;20:0:" + (DoorRig.EdgeNow + 99), ""));

        Assert.AreEqual("rejected", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual("list-full", rig.LastAck().GetProperty("reason").GetString());
        AllowList list = rig.Controller.AllowList;
        Assert.AreEqual(3, list.Count);
        Assert.IsTrue(list.TryFind(10, out _, out _), "kept");
        Assert.IsTrue(list.TryFind(5, out _, out _), "fitted");
        Assert.IsFalse(list.TryFind(30, out _, out _));
        Assert.IsFalse(list.TryFind(40, out _, out _));
        Assert.IsTrue(list.TryFind(20, out _, out uint to), "an update of a card it has needs no room");
        Assert.AreEqual((uint)(DoorRig.EdgeNow + 99), to);
        Assert.AreEqual(2L, list.Version, "the version advances so the edge does not resend the same list forever");
        JsonElement state = rig.FreshState();
        Assert.IsTrue(state.GetProperty("listFull").GetBoolean());
        Assert.AreEqual(3, state.GetProperty("listCount").GetInt32());
        rig.Present(30);
        AssertAccess(rig.LastAccess(), 30, "denied", "unknown-card", offline: true);
    }

    [TestMethod]
    public void HandleMessage_FullListThatFitsAfterListFull_ClearsListFull()
    {
        DoorRig rig = new DoorRig(new DoorSettings { AllowListCapacity = 2 });
        rig.MakeReady();
        rig.SyncFull("s1", 1, "1:0:0;2:0:0;3:0:0");
        Assert.AreEqual("list-full", rig.LastAck().GetProperty("reason").GetString());
        Assert.IsTrue(rig.Controller.AllowList.IsFull);

        rig.SyncFull("s2", 2, "1:0:0;2:0:0");

        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        Assert.IsFalse(rig.Controller.AllowList.IsFull);
        Assert.IsFalse(rig.FreshState().GetProperty("listFull").GetBoolean());
    }

    [TestMethod]
    [DataRow("1001:0", DisplayName = "missing to")]
    [DataRow("abc:0:0", DisplayName = "card not a number")]
    [DataRow("18446744073709551616:0:0", DisplayName = "card beyond 64 bits")]
    [DataRow("1:4294967296:0", DisplayName = "from beyond 32 bits")]
    [DataRow("1:200:100", DisplayName = "window ends before it starts")]
    [DataRow("1:0:0;2::0", DisplayName = "empty from")]
    public void HandleMessage_MalformedEntry_RejectedBadArgumentAndNothingApplied(string add)
    {
        DoorRig rig = ReadyWithList();

        rig.AllowList("d1", Delta(1, 2, add, ""));

        Assert.AreEqual("bad-argument", rig.LastAck().GetProperty("reason").GetString());
        Assert.AreEqual(1L, rig.Controller.AllowList.Version);
        Assert.AreEqual(4, rig.Controller.AllowList.Count);
        Assert.IsFalse(rig.Controller.AllowList.TryFind(1, out _, out _));
    }

    [TestMethod]
    public void Reboot_AfterSync_KeepsTheListItsVersionAndGrantsWithoutTheEdge()
    {
        DoorRig rig = ReadyWithList();
        rig.Reboot();
        rig.Transport.Disconnect();
        rig.Step();
        rig.Step(rig.Settings.FireInputClearMs);

        rig.Present(InWindow);
        rig.Step(rig.Settings.UnlockMs);
        rig.Present(Expired);

        Assert.AreEqual(1L, rig.Controller.AllowList.Version);
        Assert.AreEqual(4, rig.Controller.AllowList.Count);
        Assert.AreEqual(2, rig.Controller.BufferedAccessEvents);
        rig.Transport.Reconnect();
        rig.Step(10);
        AssertAccess(rig.Accesses()[^2], InWindow, "granted", "allow-list", offline: true);
        AssertAccess(rig.Accesses()[^1], Expired, "denied", "expired", offline: true);
        Assert.AreEqual(1, rig.LastState().GetProperty("listVersion").GetInt32());
    }

    [TestMethod]
    public void Reboot_InTheMiddleOfAFullList_ComesBackWithTheLastCompleteList()
    {
        DoorRig rig = ReadyWithList();
        rig.AllowList("p1", Part(2, 1, 2, "1:0:0"));
        Assert.AreEqual(1, rig.Controller.AllowList.Count);

        rig.Reboot();

        Assert.AreEqual(1L, rig.Controller.AllowList.Version);
        Assert.AreEqual(4, rig.Controller.AllowList.Count);
        Assert.IsFalse(rig.Controller.AllowList.TryFind(1, out _, out _));
    }

    [TestMethod]
    public void Reboot_WithoutTheEdge_TimeIsAtLeastTheLastSavedTime()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.SyncFull("s1", 1, "1:0:" + (DoorRig.EdgeNow + 1800) + ";2:0:" + (DoorRig.EdgeNow + 7200));
        rig.Step(rig.Settings.TimeSaveMs);

        rig.Reboot();
        rig.MakeReady();

        Assert.IsTrue(rig.Controller.WallClock.IsKnown);
        Assert.IsFalse(rig.Controller.WallClock.IsFromEdge);
        rig.Present(1);
        AssertAccess(rig.LastAccess(), 1, "denied", "expired", offline: true);
        rig.Present(2);
        AssertAccess(rig.LastAccess(), 2, "granted", "allow-list", offline: true);
    }

    [TestMethod]
    public void Reboot_WithTheSavedTimeOnly_CountsOnFromThatTimeWithUptime()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.SyncFull("s1", 1, "1:0:" + (DoorRig.EdgeNow + 10));

        rig.Reboot();
        rig.MakeReady();
        rig.Present(1);
        AssertAccess(rig.LastAccess(), 1, "granted", "allow-list", offline: true);
        rig.Step(10000);
        rig.Present(1);

        AssertAccess(rig.LastAccess(), 1, "denied", "expired", offline: true);
    }

    [TestMethod]
    public void HandleMessage_RejectedSync_StillTakesTheEdgesTime()
    {
        DoorRig rig = ReadyWithList();

        rig.AllowList("d1", ",\"op\":\"delta\",\"ver\":9,\"base\":7,\"now\":" + (DoorRig.EdgeNow + 7200));

        Assert.AreEqual("version-mismatch", rig.LastAck().GetProperty("reason").GetString());
        rig.Present(InWindow);
        AssertAccess(rig.LastAccess(), InWindow, "denied", "expired", offline: true);
    }

    private static string Part(long version, int part, int parts, string add) =>
        ",\"op\":\"full\",\"ver\":" + version + ",\"part\":" + part + ",\"parts\":" + parts + ",\"now\":" + DoorRig.EdgeNow + ",\"add\":\"" + add + "\"";

    private static string Delta(long baseVersion, long version, string add, string remove) =>
        ",\"op\":\"delta\",\"ver\":" + version + ",\"base\":" + baseVersion + ",\"now\":" + DoorRig.EdgeNow
        + ",\"add\":\"" + add + "\",\"remove\":\"" + remove + "\"";
}
