namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;

[TestClass]
public sealed class AccessJournalTests
{
    [TestMethod]
    public void TryPeekOldest_RecordsAppended_ComeOutOldestFirst()
    {
        AccessJournal journal = new AccessJournal(4);
        Append(journal, 1);
        Append(journal, 2);
        Append(journal, 3);

        Assert.AreEqual(3, journal.Count);
        Assert.AreEqual(1L, TakeOldest(journal));
        Assert.AreEqual(2L, TakeOldest(journal));
        Assert.AreEqual(3L, TakeOldest(journal));
        Assert.AreEqual(0, journal.Count);
        Assert.AreEqual(0L, journal.Dropped);
    }

    [TestMethod]
    public void Append_BeyondCapacity_DropsTheOldestAndCountsIt()
    {
        AccessJournal journal = new AccessJournal(3);

        for (long at = 1; at <= 5; at++)
        {
            Append(journal, at);
        }

        Assert.AreEqual(2L, journal.Dropped);
        Assert.AreEqual(3, journal.Count);
        Assert.AreEqual(3L, TakeOldest(journal));
        Assert.AreEqual(4L, TakeOldest(journal));
        Assert.AreEqual(5L, TakeOldest(journal));
    }

    [TestMethod]
    public void Append_AfterManyWrapArounds_KeepsOrder()
    {
        AccessJournal journal = new AccessJournal(3);
        for (long at = 1; at <= 100; at++)
        {
            Append(journal, at);
            if (at % 2 == 0)
            {
                TakeOldest(journal);
            }
        }

        long previous = 0;
        while (journal.Count > 0)
        {
            long at = TakeOldest(journal);
            Assert.IsGreaterThan(previous, at);
            previous = at;
        }

        Assert.AreEqual(100L, previous);
    }

    [TestMethod]
    public void TryPeekOldest_Empty_FalseAndRemoveOldestDoesNothing()
    {
        AccessJournal journal = new AccessJournal(0);

        journal.RemoveOldest();

        Assert.IsFalse(journal.TryPeekOldest(new AccessRecord()));
        Assert.AreEqual(1, journal.Capacity);
    }

    [TestMethod]
    public void Append_CopiesTheRecord_LaterChangesToTheSourceDoNotLeakIn()
    {
        AccessJournal journal = new AccessJournal(2);
        AccessRecord record = new AccessRecord();
        record.Clear(AccessRecord.KindAccess, 10);
        record.Card = 42;
        record.Granted = true;
        record.Why = AccessWhy.Edge;
        record.Request = 3;
        journal.Append(record);

        record.Card = 43;
        AccessRecord peeked = new AccessRecord();
        journal.TryPeekOldest(peeked);

        Assert.AreEqual(42UL, peeked.Card);
        Assert.IsTrue(peeked.Granted);
        Assert.AreEqual(AccessWhy.Edge, peeked.Why);
        Assert.AreEqual(3L, peeked.Request);
    }

    private static void Append(AccessJournal journal, long at)
    {
        AccessRecord record = new AccessRecord();
        record.Clear(AccessRecord.KindRex, at);
        journal.Append(record);
    }

    private static long TakeOldest(AccessJournal journal)
    {
        AccessRecord record = new AccessRecord();
        Assert.IsTrue(journal.TryPeekOldest(record));
        journal.RemoveOldest();
        return record.AtMs;
    }
}
