namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed class AllowListTests
{
    private readonly CommandDecoder _decoder = new CommandDecoder();
    private readonly Command _command = new Command();

    [TestMethod]
    public void Apply_FullListOutOfOrder_KeptSortedAndFound()
    {
        AllowList list = new AllowList(10, null);

        Assert.AreEqual(CommandRejection.None, Apply(list, Full(3, "30:0:0;10:5:0;20:0:9;40:1:2")));

        Assert.AreEqual(4, list.Count);
        Assert.AreEqual(3L, list.Version);
        Assert.IsTrue(list.TryFind(10, out uint from, out uint to));
        Assert.AreEqual((5u, 0u), (from, to));
        Assert.IsTrue(list.TryFind(20, out from, out to));
        Assert.AreEqual((0u, 9u), (from, to));
        Assert.IsTrue(list.TryFind(40, out _, out _));
        Assert.IsFalse(list.TryFind(25, out from, out to));
        Assert.AreEqual((0u, 0u), (from, to));
    }

    [TestMethod]
    public void Apply_SameCardTwiceInOneAdd_TheLaterEntryWins()
    {
        AllowList list = new AllowList(10, null);

        Apply(list, Full(1, "7:1:2;7:3:4"));

        Assert.AreEqual(1, list.Count);
        Assert.IsTrue(list.TryFind(7, out uint from, out uint to));
        Assert.AreEqual((3u, 4u), (from, to));
    }

    [TestMethod]
    public void Apply_DeltaRemovingAndAddingTheSameCard_RemovesFirstThenAdds()
    {
        AllowList list = new AllowList(10, null);
        Apply(list, Full(1, "7:1:2;8:0:0"));

        Assert.AreEqual(CommandRejection.None, Apply(list, Delta(1, 2, "7:5:6", "7;8;99")));

        Assert.AreEqual(1, list.Count);
        Assert.IsTrue(list.TryFind(7, out uint from, out _));
        Assert.AreEqual(5u, from);
        Assert.IsFalse(list.TryFind(8, out _, out _));
    }

    [TestMethod]
    public void Apply_EmptyItemsBetweenSeparators_Skipped()
    {
        AllowList list = new AllowList(10, null);

        Assert.AreEqual(CommandRejection.None, Apply(list, Full(1, ";1:0:0;;2:0:0;")));

        Assert.AreEqual(2, list.Count);
    }

    [TestMethod]
    public void Apply_ExactlyTheCapacity_FitsWithoutListFull()
    {
        AllowList list = new AllowList(3, null);

        Assert.AreEqual(CommandRejection.None, Apply(list, Full(1, "1:0:0;2:0:0;3:0:0")));

        Assert.IsFalse(list.IsFull);
        Assert.AreEqual(3, list.Count);
    }

    [TestMethod]
    public void Apply_FullListOverflowingInItsFirstPart_LaterPartsAcceptedAndVersionSetAtTheEnd()
    {
        AllowList list = new AllowList(2, null);

        Assert.AreEqual(CommandRejection.ListFull, Apply(list, Part(4, 1, 2, "1:0:0;2:0:0;3:0:0")));
        Assert.AreEqual(0L, list.Version);
        Assert.AreEqual(CommandRejection.ListFull, Apply(list, Part(4, 2, 2, "4:0:0")));

        Assert.AreEqual(4L, list.Version);
        Assert.IsTrue(list.IsFull);
        Assert.IsTrue(list.TryFind(1, out _, out _));
        Assert.IsTrue(list.TryFind(2, out _, out _));
        Assert.IsFalse(list.TryFind(3, out _, out _));
    }

    [TestMethod]
    public void Apply_DeltaBeforeAnyList_RejectedVersionMismatch()
    {
        AllowList list = new AllowList(10, null);

        Assert.AreEqual(CommandRejection.VersionMismatch, Apply(list, Delta(0, 1, "1:0:0", "")));
        Assert.AreEqual(0, list.Count);
    }

    [TestMethod]
    public void Apply_DeltaAfterRefusedDelta_StillAppliesOnTheRightBase()
    {
        AllowList list = new AllowList(10, null);
        Apply(list, Full(1, "1:0:0"));
        Apply(list, Delta(5, 6, "2:0:0", ""));

        Assert.AreEqual(CommandRejection.None, Apply(list, Delta(1, 2, "3:0:0", "")));

        Assert.AreEqual(2, list.Count);
        Assert.AreEqual(2L, list.Version);
    }

    [TestMethod]
    public void Load_AfterSyncs_RestoresEntriesVersionAndListFull()
    {
        MemoryStore store = new MemoryStore();
        AllowList list = new AllowList(3, store);
        Apply(list, Full(1, "5:1:2;6:0:0"));
        Assert.AreEqual(CommandRejection.ListFull, Apply(list, Delta(1, 2, "7:0:0;8:0:0;9:0:0", "6")));
        Assert.AreEqual(2L, list.Saves);

        AllowList restored = new AllowList(3, store);
        restored.Load();

        Assert.AreEqual(2L, restored.Version);
        Assert.AreEqual(3, restored.Count);
        Assert.IsTrue(restored.IsFull);
        Assert.IsFalse(restored.LoadRefused);
        Assert.IsTrue(restored.TryFind(5, out uint from, out uint to));
        Assert.AreEqual((1u, 2u), (from, to));
        Assert.IsFalse(restored.TryFind(6, out _, out _));
    }

    [TestMethod]
    public void Apply_PartsBeforeTheLast_NotSaved()
    {
        MemoryStore store = new MemoryStore();
        AllowList list = new AllowList(10, store);

        Apply(list, Part(1, 1, 3, "1:0:0"));
        Apply(list, Part(1, 2, 3, "2:0:0"));
        Assert.AreEqual(0, store.Writes);
        Apply(list, Part(1, 3, 3, "3:0:0"));

        Assert.AreEqual(1, store.Writes);
    }

    [TestMethod]
    [DataRow(0, DisplayName = "unknown format")]
    [DataRow(1, DisplayName = "length does not match the count")]
    [DataRow(2, DisplayName = "cards out of order")]
    [DataRow(3, DisplayName = "more entries than this capacity")]
    public void Load_UnusableRecord_StartsEmptyAndSaysSo(int damage)
    {
        MemoryStore store = new MemoryStore();
        AllowList list = new AllowList(4, store);
        Apply(list, Full(9, "1:0:0;2:0:0;3:0:0"));
        byte[] record = new byte[AllowList.HeaderBytes + (4 * AllowList.EntryBytes)];
        int length = store.Read(AllowList.StoreKey, record);
        switch (damage)
        {
            case 0: record[0] = 77; break;
            case 1: length -= 1; break;
            case 2: record[AllowList.HeaderBytes] = 200; break;
        }

        store.Write(AllowList.StoreKey, record, length);

        AllowList restored = new AllowList(damage == 3 ? 2 : 4, store);
        restored.Load();

        Assert.AreEqual(0, restored.Count);
        Assert.AreEqual(0L, restored.Version);
        Assert.AreEqual(damage != 3, restored.LoadRefused, "a record too large for the buffer reads as absent");
    }

    [TestMethod]
    public void Load_NoStoreOrNoRecord_Empty()
    {
        AllowList none = new AllowList(4, null);
        none.Load();
        AllowList absent = new AllowList(4, new MemoryStore());
        absent.Load();

        Assert.AreEqual(0, none.Count);
        Assert.AreEqual(0L, absent.Version);
        Assert.IsFalse(absent.LoadRefused);
    }

    [TestMethod]
    public void Constructor_CapacityBelowOne_HoldsOne()
    {
        Assert.AreEqual(1, new AllowList(0, null).Capacity);
    }

    [TestMethod]
    [DataRow("0", true, 0UL)]
    [DataRow("18446744073709551615", true, ulong.MaxValue)]
    [DataRow("18446744073709551616", false, 0UL)]
    [DataRow("000000000000000000001", false, 0UL)]
    [DataRow("", false, 0UL)]
    [DataRow("12a", false, 0UL)]
    [DataRow("-1", false, 0UL)]
    public void TryParseCard_Text_ParsedOnlyWhenAValid64BitNumber(string text, bool valid, ulong expected)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);

        bool parsed = AllowList.TryParseCard(bytes, 0, bytes.Length, out ulong value);

        Assert.AreEqual(valid, parsed);
        if (valid)
        {
            Assert.AreEqual(expected, value);
        }
    }

    private static string Full(long version, string add) => Part(version, 1, 1, add);

    private static string Part(long version, int part, int parts, string add) =>
        "\"op\":\"full\",\"ver\":" + version + ",\"part\":" + part + ",\"parts\":" + parts + ",\"now\":5,\"add\":\"" + add + "\"";

    private static string Delta(long baseVersion, long version, string add, string remove) =>
        "\"op\":\"delta\",\"ver\":" + version + ",\"base\":" + baseVersion + ",\"now\":5,\"add\":\"" + add + "\",\"remove\":\"" + remove + "\"";

    private CommandRejection Apply(AllowList list, string fields)
    {
        byte[] payload = Encoding.ASCII.GetBytes("{\"v\":1,\"id\":\"x\",\"cmd\":\"allow-list\"," + fields + "}");
        Assert.AreEqual(CommandRejection.None, _decoder.Decode(payload, payload.Length, _command));
        return list.Apply(_command);
    }
}
