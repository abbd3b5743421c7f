namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Simulation.Hardware;

/// <summary>Card decisions from the local allow-list (hardware-docs/door-controller.md, "Decisions").</summary>
public sealed partial class DoorControllerTests
{
    private const ulong Plain = 1001;
    private const ulong InWindow = 1002;
    private const ulong Expired = 1003;
    private const ulong NotYet = 1004;
    private const ulong Unknown = 9999;

    /// <summary>Entries around <see cref="DoorRig.EdgeNow"/>: plain, valid now, expired a second ago, valid from in an hour.</summary>
    private static readonly string Entries =
        Plain + ":0:0;"
        + InWindow + ":" + (DoorRig.EdgeNow - 3600) + ":" + (DoorRig.EdgeNow + 3600) + ";"
        + Expired + ":0:" + (DoorRig.EdgeNow - 1) + ";"
        + NotYet + ":" + (DoorRig.EdgeNow + 3600) + ":0";

    [TestMethod]
    public void Step_CardInListWithoutWindow_GrantsAndUnlocksForTheUnlockTime()
    {
        DoorRig rig = ReadyWithList();
        long at = rig.Clock.UptimeMs + 10;

        rig.Present(Plain);

        AssertAccess(rig.LastAccess(), Plain, "granted", "allow-list", offline: true);
        Assert.AreEqual(at, rig.LastAccess().GetProperty("at").GetInt64());
        Assert.AreEqual(26, rig.LastAccess().GetProperty("bits").GetInt32());
        Assert.AreEqual("wiegand", rig.LastAccess().GetProperty("reader").GetString());
        Assert.IsFalse(rig.LastAccess().TryGetProperty("req", out _));
        Assert.IsFalse(rig.Output.Energised, "unlocked");
        Assert.AreEqual(ReleaseReasons.Access, rig.Controller.ReleaseReasonBits);

        rig.Step(rig.Settings.UnlockMs - 1);
        Assert.IsFalse(rig.Output.Energised);
        rig.Step(1);
        Assert.IsTrue(rig.Output.Energised, "locked again after the unlock time");
    }

    [TestMethod]
    public void Step_CardWithinItsWindow_Granted()
    {
        DoorRig rig = ReadyWithList();

        rig.Present(InWindow);

        AssertAccess(rig.LastAccess(), InWindow, "granted", "allow-list", offline: true);
        Assert.IsFalse(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_ExpiredCard_DeniedExpiredAndStaysLocked()
    {
        DoorRig rig = ReadyWithList();

        rig.Present(Expired);

        AssertAccess(rig.LastAccess(), Expired, "denied", "expired", offline: true);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_CardNotYetValid_DeniedNotYetValid()
    {
        DoorRig rig = ReadyWithList();

        rig.Present(NotYet);

        AssertAccess(rig.LastAccess(), NotYet, "denied", "not-yet-valid", offline: true);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_UnknownCard_DeniedUnknownCard()
    {
        DoorRig rig = ReadyWithList();

        rig.Present(Unknown);

        AssertAccess(rig.LastAccess(), Unknown, "denied", "unknown-card", offline: true);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_CardBeforeAnyListArrived_DeniedListIncomplete()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();

        rig.Present(Plain);

        AssertAccess(rig.LastAccess(), Plain, "denied", "list-incomplete", offline: true);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_WindowEndsWhileRunning_GrantedBeforeDeniedAfterByTheDevicesOwnClock()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.SyncFull("s1", 1, "77:0:" + (DoorRig.EdgeNow + 60));

        rig.Step(58000);
        rig.Present(77);
        Assert.AreEqual("granted", rig.LastAccess().GetProperty("decision").GetString());

        rig.Step(rig.Settings.UnlockMs);
        rig.Present(77);
        AssertAccess(rig.LastAccess(), 77, "denied", "expired", offline: true);
    }

    [TestMethod]
    public void Step_WindowedCardAndNoTimeEverKnown_DeniedNoTimeButPlainCardGranted()
    {
        // A list restored from the store without its time record (e.g. the time record was lost).
        MemoryStore first = new MemoryStore();
        DoorRig original = new DoorRig(store: first);
        original.MakeReady();
        original.SyncFull("s1", 1, Entries);
        byte[] record = new byte[64 * 1024];
        int length = first.Read(AllowList.StoreKey, record);
        MemoryStore onlyList = new MemoryStore();
        onlyList.Write(AllowList.StoreKey, record, length);

        DoorRig rig = new DoorRig(store: onlyList);
        rig.MakeReady();
        rig.Present(InWindow);
        AssertAccess(rig.LastAccess(), InWindow, "denied", "no-time", offline: true);

        rig.Present(Plain);
        AssertAccess(rig.LastAccess(), Plain, "granted", "allow-list", offline: true);
    }

    [TestMethod]
    public void Step_CardDuringFire_LoggedAsFireReleasedWithoutAnAccessWindow()
    {
        DoorRig rig = ReadyWithList();
        rig.FireInput.Active = true;
        rig.Step(10);

        rig.Present(Unknown);

        AssertAccess(rig.LastAccess(), Unknown, "granted", "fire-released", offline: true);
        Assert.AreEqual(0, rig.Controller.ReleaseReasonBits & ReleaseReasons.Access);
        Assert.IsFalse(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_CardDuringBuildingFireOnAskEdgeDoor_LoggedWithoutAskingTheEdge()
    {
        DoorRig rig = ReadyWithList(new DoorSettings { AskEdge = true });
        rig.FireState("alarm");

        rig.Present(Plain);

        Assert.IsEmpty(rig.EventsNamed("access-request"));
        AssertAccess(rig.LastAccess(), Plain, "granted", "fire-released", offline: true);
    }

    [TestMethod]
    public void Step_BadFrame_CountedReportedAndNeverDecided()
    {
        DoorRig rig = ReadyWithList();

        rig.Reader.PresentBadFrame(BadFrameReason.Parity);
        rig.Step(10);
        rig.Reader.PresentBadFrame(BadFrameReason.Crc, ReaderKind.Osdp);
        rig.Step(10);

        Assert.AreEqual(2L, rig.Controller.BadFrames);
        Assert.IsEmpty(rig.Accesses());
        JsonElement bad = rig.EventsNamed("bad-frame")[1];
        Assert.AreEqual("osdp", bad.GetProperty("reader").GetString());
        Assert.AreEqual("crc", bad.GetProperty("why").GetString());
        Assert.AreEqual("parity", rig.EventsNamed("bad-frame")[0].GetProperty("why").GetString());
        Assert.AreEqual(2, rig.FreshState().GetProperty("badFrames").GetInt32());
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    [DataRow(BadFrameReason.Parity, "parity")]
    [DataRow(BadFrameReason.Length, "length")]
    [DataRow(BadFrameReason.Timeout, "timeout")]
    [DataRow(BadFrameReason.Crc, "crc")]
    [DataRow(BadFrameReason.Checksum, "checksum")]
    [DataRow(BadFrameReason.QueueFull, "queue-full")]
    public void Step_BadFrame_ReportsItsReason(BadFrameReason reason, string why)
    {
        DoorRig rig = ReadyWithList();

        rig.Reader.PresentBadFrame(reason);
        rig.Step(10);

        Assert.AreEqual(why, rig.EventsNamed("bad-frame")[0].GetProperty("why").GetString());
    }

    [TestMethod]
    public void Step_BadFrameWhileOffline_CountedButNotBuffered()
    {
        DoorRig rig = ReadyWithList();
        rig.Transport.Disconnect();

        rig.Reader.PresentBadFrame(BadFrameReason.Length);
        rig.Step(10);
        rig.Transport.Reconnect();
        rig.Step(10);

        Assert.AreEqual(1L, rig.Controller.BadFrames);
        Assert.IsEmpty(rig.EventsNamed("bad-frame"));
        Assert.AreEqual(1, rig.LastState().GetProperty("badFrames").GetInt32());
    }

    [TestMethod]
    public void Step_OsdpRead_ReportsItsReaderAndBitCount()
    {
        DoorRig rig = ReadyWithList();

        rig.Present(Plain, bits: 0, reader: ReaderKind.Osdp);

        Assert.AreEqual("osdp", rig.LastAccess().GetProperty("reader").GetString());
        Assert.AreEqual(0, rig.LastAccess().GetProperty("bits").GetInt32());
    }

    [TestMethod]
    public void Step_LargestCardNumber_MatchedAndWrittenInFull()
    {
        DoorRig rig = new DoorRig();
        rig.MakeReady();
        rig.SyncFull("s1", 1, ulong.MaxValue + ":0:0");

        rig.Present(ulong.MaxValue, bits: 64);

        AssertAccess(rig.LastAccess(), ulong.MaxValue, "granted", "allow-list", offline: true);
        Assert.AreEqual("18446744073709551615", rig.LastAccess().GetProperty("card").GetString());
    }

    [TestMethod]
    public void Step_CardAtHoldOpenDoor_IgnoredAndDoorStaysHeldOpen()
    {
        DoorRig rig = new DoorRig(new DoorSettings { Role = DoorRole.HoldOpen });
        rig.MakeReady();
        rig.SyncFull("s1", 1, Entries);

        rig.Present(Plain);

        Assert.IsEmpty(rig.Accesses());
        Assert.AreEqual(1L, rig.Controller.IgnoredReads);
        Assert.IsTrue(rig.Output.Energised);
    }

    [TestMethod]
    public void Step_ManyReads_StoreWrittenOnlyBySyncs()
    {
        MemoryStore store = new MemoryStore();
        DoorRig rig = new DoorRig(store: store);
        rig.MakeReady();
        rig.SyncFull("s1", 1, Entries);
        int writes = store.Writes;

        for (int i = 0; i < 50; i++)
        {
            rig.Present(i % 2 == 0 ? Plain : Unknown);
            rig.Step(rig.Settings.UnlockMs);
        }

        Assert.AreEqual(writes, store.Writes);
        Assert.HasCount(50, rig.Accesses());
    }

    private static DoorRig ReadyWithList(DoorSettings? settings = null)
    {
        DoorRig rig = new DoorRig(settings);
        rig.MakeReady();
        rig.SyncFull("s1", 1, Entries);
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
        return rig;
    }

    private static void AssertAccess(JsonElement access, ulong card, string decision, string why, bool offline)
    {
        Assert.AreEqual("access", access.GetProperty("event").GetString());
        Assert.AreEqual(card.ToString(System.Globalization.CultureInfo.InvariantCulture), access.GetProperty("card").GetString());
        Assert.AreEqual(decision, access.GetProperty("decision").GetString(), access.ToString());
        Assert.AreEqual(why, access.GetProperty("why").GetString(), access.ToString());
        Assert.AreEqual(offline, access.GetProperty("offline").GetBoolean());
    }
}
