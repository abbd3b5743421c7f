namespace SmartCommunity.Firmware.Tests.Boot;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Simulation.Hardware;

[TestClass]
public sealed class BootCounterTests
{
    [TestMethod]
    public void Advance_EmptyStore_ReturnsOneAndStoresIt()
    {
        MemoryStore store = new MemoryStore();

        Assert.AreEqual(1L, BootCounter.Advance(store));

        byte[] record = new byte[16];
        Assert.AreEqual(8, store.Read(BootCounter.StoreKey, record));
        Assert.AreEqual(1L, System.BitConverter.ToInt64(record, 0));
    }

    [TestMethod]
    public void Advance_EachBoot_IncrementsByOne()
    {
        MemoryStore store = new MemoryStore();

        for (long expected = 1; expected <= 300; expected++)
        {
            Assert.AreEqual(expected, BootCounter.Advance(store));
        }

        Assert.AreEqual(300, store.Writes);
    }

    [TestMethod]
    public void Advance_StoreKeptAcrossReboot_ContinuesFromStoredCount()
    {
        MemoryStore store = new MemoryStore();
        store.Write(BootCounter.StoreKey, System.BitConverter.GetBytes(0x0102030405L), 8);

        Assert.AreEqual(0x0102030406L, BootCounter.Advance(store));
    }

    [TestMethod]
    public void Advance_CorruptRecord_StartsAgainAtOne()
    {
        MemoryStore shortRecord = new MemoryStore();
        shortRecord.Write(BootCounter.StoreKey, new byte[] { 9, 9, 9 }, 3);
        MemoryStore negative = new MemoryStore();
        negative.Write(BootCounter.StoreKey, System.BitConverter.GetBytes(-5L), 8);

        Assert.AreEqual(1L, BootCounter.Advance(shortRecord));
        Assert.AreEqual(1L, BootCounter.Advance(negative));
        Assert.AreEqual(2L, BootCounter.Advance(negative));
    }
}
