namespace SmartCommunity.Firmware.Tests.Devices.PulseMeter;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.PulseMeter;

/// <summary>Edge timing straight into the input: widths, gaps, bounce, noise and a full ring (pulse-meter.md, "Counting").</summary>
[TestClass]
public sealed class S0PulseInputTests
{
    private const long MinOnMs = 30;
    private const long MinOffMs = 30;
    private const long BounceMs = 5;

    [TestMethod]
    [DataRow(30L)]
    [DataRow(31L)]
    [DataRow(120L)]
    [DataRow(500L)]
    public void Poll_PulseAtLeastMinimumWidth_CountsOne(long widthMs)
    {
        S0PulseInput input = Input();
        input.Edge(true, 1000);
        input.Edge(false, 1000 + widthMs);

        int counted = input.Poll(1000 + widthMs + 50);

        Assert.AreEqual(1, counted);
        Assert.AreEqual(1L, input.Pulses);
        Assert.AreEqual(0L, input.Rejected);
        Assert.AreEqual(1000 + widthMs, input.LastPulseAtMs, "a pulse is dated by its OFF edge");
    }

    [TestMethod]
    [DataRow(6L)]
    [DataRow(15L)]
    [DataRow(29L)]
    public void Poll_PulseShorterThanMinimumWidth_RejectedAsNoise(long widthMs)
    {
        S0PulseInput input = Input();
        input.Edge(true, 1000);
        input.Edge(false, 1000 + widthMs);

        Assert.AreEqual(0, input.Poll(2000));
        Assert.AreEqual(0L, input.Pulses);
        Assert.AreEqual(1L, input.Rejected);
    }

    [TestMethod]
    public void Poll_GlitchShorterThanBounceTime_NeitherCountedNorRejected()
    {
        S0PulseInput input = Input();
        input.Edge(true, 1000);
        input.Edge(false, 1003);

        Assert.AreEqual(0, input.Poll(2000));
        Assert.AreEqual(0L, input.Rejected);
        Assert.IsFalse(input.IsOn);
    }

    [TestMethod]
    public void Poll_ContactBouncesAtBothEndsOfA30MsPulse_CountsOnceWithItsFullWidth()
    {
        // A reed contact: the ON starts at 1000 with 3 ms of bounce, the OFF starts at 1030 with 4 ms of bounce.
        // Dating each change from its first edge keeps the width at 30 ms, so the pulse is not lost as too short.
        S0PulseInput input = Input();
        input.Edge(true, 1000);
        input.Edge(false, 1001);
        input.Edge(true, 1003);
        input.Edge(false, 1030);
        input.Edge(true, 1031);
        input.Edge(false, 1032);
        input.Edge(true, 1033);
        input.Edge(false, 1034);

        Assert.AreEqual(1, input.Poll(1100));
        Assert.AreEqual(0L, input.Rejected, "bounce is merged, not counted as noise");
    }

    [TestMethod]
    public void Poll_BounceInTheMiddleOfAPulse_DoesNotSplitIt()
    {
        S0PulseInput input = Input();
        input.Edge(true, 1000);
        input.Edge(false, 1040);
        input.Edge(true, 1042);
        input.Edge(false, 1080);

        Assert.AreEqual(1, input.Poll(1200));
        Assert.AreEqual(0L, input.Rejected);
    }

    [TestMethod]
    public void Poll_OffGapShorterThanMinimum_SecondPulseRejected()
    {
        S0PulseInput input = Input();
        input.Edge(true, 1000);
        input.Edge(false, 1040);
        input.Edge(true, 1060);
        input.Edge(false, 1100);
        input.Edge(true, 1140);
        input.Edge(false, 1180);

        Assert.AreEqual(2, input.Poll(1300), "first and third count; the second followed a 20 ms gap");
        Assert.AreEqual(1L, input.Rejected);
    }

    [TestMethod]
    public void Poll_PulseAlreadyOnAtBoot_NotCounted()
    {
        // Power came back in the middle of a pulse: its width cannot be checked, so it does not count. It was not
        // counted before the cut either, since a pulse counts at its end.
        S0PulseInput input = new S0PulseInput(MinOnMs, MinOffMs, BounceMs, 64, 1000);
        input.Edge(false, 1040);

        Assert.AreEqual(0, input.Poll(1200));
        Assert.AreEqual(0L, input.Pulses);
    }

    [TestMethod]
    public void Poll_PulseStartingRightAfterBoot_RejectedForItsShortOffGap()
    {
        S0PulseInput input = new S0PulseInput(MinOnMs, MinOffMs, BounceMs, 64, 1000);
        input.Edge(true, 1010);
        input.Edge(false, 1100);

        Assert.AreEqual(0, input.Poll(1200), "OFF for only 10 ms since boot: too short to trust");
        Assert.AreEqual(1L, input.Rejected);
    }

    [TestMethod]
    public void Poll_PulseEndsJustBeforePoll_CountedOnlyOnceItsOffHasSettled()
    {
        S0PulseInput input = Input();
        input.Edge(true, 1000);
        input.Edge(false, 1050);

        Assert.AreEqual(0, input.Poll(1050 + BounceMs - 1), "the OFF could still be bounce");
        Assert.IsTrue(input.IsOn);
        Assert.AreEqual(1, input.Poll(1050 + BounceMs));
        Assert.AreEqual(0, input.Poll(5000), "counted once");
    }

    [TestMethod]
    public void Poll_PulseLongerThanTheLoopStep_CountedAtItsEnd()
    {
        S0PulseInput input = Input();
        input.Edge(true, 1000);
        Assert.AreEqual(0, input.Poll(1050));
        Assert.AreEqual(0, input.Poll(1100));
        Assert.IsTrue(input.IsOn);
        input.Edge(false, 1120);

        Assert.AreEqual(1, input.Poll(1150));
    }

    [TestMethod]
    public void Poll_ManyPulsesBetweenTwoPolls_AllCounted()
    {
        S0PulseInput input = Input();
        for (int i = 0; i < 20; i++)
        {
            input.Edge(true, 1000 + (i * 60));
            input.Edge(false, 1030 + (i * 60));
        }

        Assert.AreEqual(20, input.Poll(3000));
        Assert.AreEqual(1000 + 30L, input.FirstNewPulseAtMs);
        Assert.AreEqual(1000 + (19 * 60) + 30L, input.LastPulseAtMs);
    }

    [TestMethod]
    public void Poll_RepeatedLevelFromAMissedEdge_Ignored()
    {
        S0PulseInput input = Input();
        input.Edge(true, 1000);
        input.Edge(true, 1010);
        input.Edge(false, 1040);
        input.Edge(false, 1050);

        Assert.AreEqual(1, input.Poll(1200));
        Assert.AreEqual(0L, input.Rejected);
    }

    [TestMethod]
    public void Poll_RingOverrun_CountsTheOverrunAndNeverMorePulsesThanHappened()
    {
        S0PulseInput input = new S0PulseInput(MinOnMs, MinOffMs, BounceMs, 8, 0);
        for (int i = 0; i < 10; i++)
        {
            input.Edge(true, 1000 + (i * 100));
            input.Edge(false, 1050 + (i * 100));
        }

        int counted = input.Poll(3000);

        Assert.AreEqual(1L, input.Overruns);
        Assert.AreEqual(4, counted, "the 4 pulses that fitted the ring count; the lost edges count nothing");
        input.Edge(true, 3100);
        input.Edge(false, 3150);
        Assert.AreEqual(1, input.Poll(3300), "counting goes on after the overrun");
    }

    [TestMethod]
    public void Poll_EdgeStampedBeforeTheLastPoll_TakenAtThatPollsTime()
    {
        S0PulseInput input = Input();
        input.Edge(true, 1000);
        Assert.AreEqual(0, input.Poll(1100));
        input.Edge(false, 1090);

        Assert.AreEqual(1, input.Poll(1200), "a late edge is taken at the last decided time, still a whole pulse");
    }

    private static S0PulseInput Input() => new S0PulseInput(MinOnMs, MinOffMs, BounceMs, 64, 0);
}
