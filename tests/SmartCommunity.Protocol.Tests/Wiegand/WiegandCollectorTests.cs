namespace SmartCommunity.Protocol.Tests.Wiegand;

using System;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Wiegand;

[TestClass]
public sealed partial class WiegandCollectorTests
{
    private const string Fc90Cn324 = "00101101000000001010001000";
    private const string Fc68Cn41551 = "00100010010100010010011111";

    [TestMethod]
    public void Poll_NoBitsYet_ReturnsFalse()
    {
        Rig rig = new Rig();

        Assert.IsFalse(rig.Poll(0));
        Assert.IsFalse(rig.Poll(100000));
        Assert.AreEqual(0L, rig.Collector.Accepted);
        Assert.AreEqual(0L, rig.Collector.Rejected);
    }

    [TestMethod]
    public void Poll_BeforeGapHasPassed_KeepsFrameOpen()
    {
        Rig rig = new Rig();
        long last = rig.Send(Fc90Cn324, 1000, 2);

        Assert.IsFalse(rig.Poll(last));
        Assert.IsFalse(rig.Poll(last + 24));
    }

    [TestMethod]
    public void Poll_GapHasPassed_ReturnsDecodedCard()
    {
        Rig rig = new Rig();
        long last = rig.Send(Fc90Cn324, 1000, 2);

        Assert.IsTrue(rig.Poll(last + 25));

        Assert.IsTrue(rig.Frame.IsValid);
        Assert.AreEqual(WiegandFormat.H10301, rig.Frame.Format);
        Assert.AreEqual(90, rig.Frame.FacilityCode);
        Assert.AreEqual(324, rig.Frame.CardNumber);
        Assert.IsTrue(rig.Frame.TextEquals("5898564"));
        Assert.AreEqual(last, rig.Frame.EndedAtMs);
        Assert.AreEqual(1L, rig.Collector.Accepted);
        Assert.AreEqual(0L, rig.Collector.Rejected);
        Assert.AreEqual(26L, rig.Collector.BitsReceived);
        Assert.IsFalse(rig.Poll(last + 26), "a frame is handed out once");
    }

    [TestMethod]
    public void Poll_34BitFrameAtSlowest20MsSpacing_ReturnsDecodedCard()
    {
        Rig rig = new Rig();
        string vector = ReferenceWiegand.Frame34(4660, 43981);
        long last = rig.Send(vector, 0, 20);

        Assert.IsFalse(rig.Poll(last + 24));
        Assert.IsTrue(rig.Poll(last + 25));

        Assert.IsTrue(rig.Frame.IsValid);
        Assert.AreEqual(WiegandFormat.H10306, rig.Frame.Format);
        Assert.AreEqual(4660, rig.Frame.FacilityCode);
        Assert.AreEqual(43981, rig.Frame.CardNumber);
        Assert.AreEqual(4660L * 65536 + 43981, rig.Frame.Credential);
    }

    [TestMethod]
    public void Poll_FramePolledEveryMillisecondWhileArriving_ReturnsItOnceAfterGap()
    {
        Rig rig = new Rig();
        int delivered = 0;
        long now = 0;
        for (int i = 0; i < Fc68Cn41551.Length; i++, now += 2)
        {
            rig.Collector.Bit(Fc68Cn41551[i] - '0', now);
            delivered += rig.Poll(now) ? 1 : 0;
            delivered += rig.Poll(now + 1) ? 1 : 0;
        }

        for (long t = now; t < now + 100; t++)
        {
            delivered += rig.Poll(t) ? 1 : 0;
        }

        Assert.AreEqual(1, delivered);
        Assert.AreEqual(41551, rig.Frame.CardNumber);
    }

    [TestMethod]
    public void Bit_TwoFramesBackToBackWithoutPoll_ReturnsBothInOrder()
    {
        Rig rig = new Rig();
        long last = rig.Send(Fc90Cn324, 0, 2);
        last = rig.Send(Fc68Cn41551, last + 25, 2);

        Assert.IsTrue(rig.Poll(last), "the first frame was closed by the second one's first bit");
        Assert.AreEqual(324, rig.Frame.CardNumber);
        Assert.IsFalse(rig.Poll(last + 24), "the second frame is still open");
        Assert.IsTrue(rig.Poll(last + 25));
        Assert.AreEqual(41551, rig.Frame.CardNumber);
        Assert.AreEqual(2L, rig.Collector.Accepted);
    }

    [TestMethod]
    public void Bit_SecondFrameStartsInsideGap_MergesAndRejectsForLength()
    {
        // Two frames 24 ms apart are one 52-bit burst to a 25 ms gap: refused, never split by guessing.
        Rig rig = new Rig();
        long last = rig.Send(Fc90Cn324, 0, 2);
        last = rig.Send(Fc68Cn41551, last + 24, 2);

        Assert.IsTrue(rig.Poll(last + 25));

        Assert.AreEqual(WiegandRejection.Length, rig.Frame.Rejection);
        Assert.AreEqual(52, rig.Frame.BitCount);
        Assert.IsFalse(rig.Poll(last + 100));
        Assert.AreEqual(1L, rig.Collector.RejectedFor(WiegandRejection.Length));
    }

    [TestMethod]
    public void Poll_FrameCutShortByGap_RejectsBothPartsForLength()
    {
        // A pause mid-frame (a card pulled away, a loose wire) ends the frame: both halves are refused.
        Rig rig = new Rig();
        long last = rig.Send(Fc90Cn324.Substring(0, 13), 0, 2);
        Assert.IsFalse(rig.Poll(last + 24));
        Assert.IsTrue(rig.Poll(last + 25));
        Assert.AreEqual(WiegandRejection.Length, rig.Frame.Rejection);
        Assert.AreEqual(13, rig.Frame.BitCount);

        last = rig.Send(Fc90Cn324.Substring(13), last + 30, 2);
        Assert.IsTrue(rig.Poll(last + 25));
        Assert.AreEqual(WiegandRejection.Length, rig.Frame.Rejection);

        Assert.AreEqual(0L, rig.Collector.Accepted);
        Assert.AreEqual(2L, rig.Collector.Rejected);
        Assert.AreEqual(2L, rig.Collector.RejectedFor(WiegandRejection.Length));
    }

    [TestMethod]
    [DataRow("0010110100000000101000100")]
    [DataRow("001011010000000010100010001")]
    [DataRow("00101101000000001010001000" + "0001")]
    [DataRow("0")]
    public void Poll_WrongLength_RejectsForLengthAndCounts(string bits)
    {
        Rig rig = new Rig();
        long last = rig.Send(bits, 0, 2);

        Assert.IsTrue(rig.Poll(last + 25));

        Assert.AreEqual(WiegandRejection.Length, rig.Frame.Rejection);
        Assert.AreEqual(bits.Length, rig.Frame.BitCount);
        Assert.AreEqual(ReferenceWiegand.ToBits(bits), rig.Frame.Bits);
        Assert.AreEqual(0, rig.Frame.TextLength);
        Assert.AreEqual(1L, rig.Collector.Rejected);
        Assert.AreEqual(1L, rig.Collector.RejectedFor(WiegandRejection.Length));
        Assert.AreEqual(0L, rig.Collector.Accepted);
    }

    [TestMethod]
    public void Poll_ParityBitFlipped_RejectsForParityAndCounts()
    {
        Rig rig = new Rig();
        long last = rig.Send(ReferenceWiegand.Flip(Fc90Cn324, 25), 0, 2);
        last = rig.Send(ReferenceWiegand.Flip(ReferenceWiegand.Frame34(1, 2), 0), last + 50, 2);
        last = rig.Send(Fc68Cn41551, last + 50, 2);

        Assert.IsTrue(rig.Poll(last + 25));
        Assert.AreEqual(WiegandRejection.Parity, rig.Frame.Rejection);
        Assert.AreEqual(26, rig.Frame.BitCount);
        Assert.IsTrue(rig.Poll(last + 25));
        Assert.AreEqual(WiegandRejection.Parity, rig.Frame.Rejection);
        Assert.AreEqual(34, rig.Frame.BitCount);
        Assert.IsTrue(rig.Poll(last + 25));
        Assert.IsTrue(rig.Frame.IsValid, "a good card after bad frames still reads");

        Assert.AreEqual(2L, rig.Collector.RejectedFor(WiegandRejection.Parity));
        Assert.AreEqual(2L, rig.Collector.Rejected);
        Assert.AreEqual(1L, rig.Collector.Accepted);
    }

    [TestMethod]
    public void Bit_MoreThanMaxBits_RejectsForOverflowAtOnceAndDiscardsBurst()
    {
        Rig rig = new Rig();
        long now = rig.Send(new string('1', 64), 0, 1);
        Assert.IsFalse(rig.Poll(now), "64 bits are still a frame in progress");

        rig.Collector.Bit(0, ++now);

        Assert.IsTrue(rig.Poll(now), "refused without waiting for the gap");
        Assert.AreEqual(WiegandRejection.Overflow, rig.Frame.Rejection);
        Assert.AreEqual(64, rig.Frame.BitCount);
        Assert.AreEqual(-1L, rig.Frame.Bits);
        Assert.AreEqual(1L, rig.Collector.RejectedFor(WiegandRejection.Overflow));

        // The rest of the burst, which here looks like a perfect card, must not be read as one.
        now = rig.Send(Fc90Cn324, now + 1, 1);
        Assert.IsFalse(rig.Poll(now + 25));
        Assert.AreEqual(0L, rig.Collector.Accepted);
        Assert.AreEqual(1L, rig.Collector.Rejected);

        now = rig.Send(Fc90Cn324, now + 25, 1);
        Assert.IsTrue(rig.Poll(now + 25));
        Assert.IsTrue(rig.Frame.IsValid, "after a quiet gap the next card reads");
    }

    [TestMethod]
    public void Bit_BurstLongerThanMaxFrameMs_RejectsForTimeoutAndDiscardsRest()
    {
        Rig rig = new Rig(new WiegandSettings { MaxFrameMs = 300 });

        // One bit every 20 ms: the bit at 300 ms is the 16th and comes too late.
        long now = rig.Send(new string('0', 15), 0, 20);
        Assert.AreEqual(280L, now);
        Assert.IsFalse(rig.Poll(now));
        rig.Collector.Bit(1, 300);

        Assert.IsTrue(rig.Poll(300));
        Assert.AreEqual(WiegandRejection.Timeout, rig.Frame.Rejection);
        Assert.AreEqual(15, rig.Frame.BitCount);
        Assert.AreEqual(300L, rig.Frame.EndedAtMs);

        now = rig.Send(Fc90Cn324, 320, 2);
        Assert.IsFalse(rig.Poll(now + 25), "bits inside the same burst are discarded");
        Assert.AreEqual(1L, rig.Collector.RejectedFor(WiegandRejection.Timeout));
        Assert.AreEqual(1L, rig.Collector.Rejected);
        Assert.AreEqual(0L, rig.Collector.Accepted);
    }

    [TestMethod]
    public void Poll_AtMaxFrameMsWhileBurstContinues_RejectsForTimeout()
    {
        Rig rig = new Rig(new WiegandSettings { MaxFrameMs = 300 });
        long now = rig.Send(new string('1', 20), 0, 15);
        Assert.AreEqual(285L, now);

        Assert.IsFalse(rig.Poll(299));
        Assert.IsTrue(rig.Poll(300));

        Assert.AreEqual(WiegandRejection.Timeout, rig.Frame.Rejection);
        Assert.AreEqual(20, rig.Frame.BitCount);
        Assert.AreEqual(285L, rig.Frame.EndedAtMs);
        rig.Collector.Bit(0, 301);
        Assert.IsFalse(rig.Poll(400), "the tail of the burst is discarded");
        Assert.AreEqual(1L, rig.Collector.Rejected);
    }

    [TestMethod]
    public void Poll_GapReachedAfterMaxFrameMs_ClosesNormallyWhenLastBitWasInTime()
    {
        // The frame ended (quietly) before its time limit; a late Poll must not call it a timeout.
        Rig rig = new Rig(new WiegandSettings { MaxFrameMs = 100 });
        long last = rig.Send(Fc90Cn324, 0, 2);

        Assert.IsTrue(rig.Poll(last + 5000));

        Assert.IsTrue(rig.Frame.IsValid);
    }

    [TestMethod]
    public void Bit_QueueFullWhenLoopDoesNotPoll_DropsNewestAndCounts()
    {
        Rig rig = new Rig(new WiegandSettings { QueueLength = 1 });
        long last = rig.Send(Fc90Cn324, 0, 2);
        last = rig.Send(Fc68Cn41551, last + 30, 2);
        last = rig.Send(ReferenceWiegand.Frame26(1, 2), last + 30, 2);

        Assert.IsTrue(rig.Poll(last));
        Assert.AreEqual(324, rig.Frame.CardNumber, "the oldest frame is kept");
        Assert.AreEqual(1L, rig.Collector.RejectedFor(WiegandRejection.QueueFull));
        Assert.IsTrue(rig.Poll(last + 25));
        Assert.AreEqual(2, rig.Frame.CardNumber);
        Assert.IsFalse(rig.Poll(last + 50));
        Assert.AreEqual(2L, rig.Collector.Accepted);
        Assert.AreEqual(1L, rig.Collector.Rejected);
    }

    [TestMethod]
    public void Bit_RefusedFrameWhileQueueFull_CountsOnlyItsOwnReason()
    {
        Rig rig = new Rig(new WiegandSettings { QueueLength = 1 });
        long last = rig.Send(Fc90Cn324, 0, 2);
        last = rig.Send(new string('1', 65), last + 30, 1);

        Assert.AreEqual(1L, rig.Collector.RejectedFor(WiegandRejection.Overflow));
        Assert.AreEqual(0L, rig.Collector.RejectedFor(WiegandRejection.QueueFull));
        Assert.AreEqual(1L, rig.Collector.Rejected);
        Assert.IsTrue(rig.Poll(last + 25));
        Assert.IsTrue(rig.Frame.IsValid);
        Assert.IsFalse(rig.Poll(last + 50));
    }

    [TestMethod]
    public void Bit_ClockWrapsDuringFrame_DecodesNormally()
    {
        Rig rig = new Rig();
        long start = long.MaxValue - 20;
        long last = rig.Send(Fc68Cn41551, start, 2);
        Assert.IsLessThan(0L, last, "the millisecond counter wrapped");

        Assert.IsFalse(rig.Poll(last + 24));
        Assert.IsTrue(rig.Poll(last + 25));
        Assert.IsTrue(rig.Frame.IsValid);
        Assert.AreEqual(41551, rig.Frame.CardNumber);
    }

    [TestMethod]
    public void Poll_ClockEarlierThanLastBit_KeepsFrameOpen()
    {
        // The adapter may stamp a bit a moment after the loop read its own clock.
        Rig rig = new Rig();
        long last = rig.Send(Fc90Cn324, 100, 2);

        Assert.IsFalse(rig.Poll(last - 1));
        Assert.IsTrue(rig.Poll(last + 25));
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(-1)]
    public void Bit_NeitherZeroNorOne_Throws(int bit)
    {
        Rig rig = new Rig();

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => rig.Collector.Bit(bit, 0));
        Assert.AreEqual(0L, rig.Collector.BitsReceived);
    }

    [TestMethod]
    public void Constructor_NullSettingsOrPollWithoutFrame_Throws()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => new WiegandCollector(null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => new WiegandCollector(new WiegandSettings()).Poll(0, null!));
    }

    [TestMethod]
    public void Constructor_Defaults_Are25MsGap1SecondFrame64Bits4Slots()
    {
        WiegandCollector collector = new WiegandCollector(new WiegandSettings());

        Assert.AreEqual(25L, collector.FrameGapMs);
        Assert.AreEqual(1000L, collector.MaxFrameMs);
        Assert.AreEqual(64, collector.MaxBits);
        Assert.AreEqual(4, collector.QueueLength);
    }

    [TestMethod]
    public void Constructor_OutOfRangeSettings_ClampsThem()
    {
        WiegandCollector low = new WiegandCollector(new WiegandSettings { FrameGapMs = 0, MaxFrameMs = 0, MaxBits = 10, QueueLength = 0 });
        WiegandCollector high = new WiegandCollector(new WiegandSettings { FrameGapMs = 99999, MaxFrameMs = 99999, MaxBits = 100, QueueLength = 1000 });

        Assert.AreEqual(1L, low.FrameGapMs);
        Assert.AreEqual(2L, low.MaxFrameMs);
        Assert.AreEqual(34, low.MaxBits);
        Assert.AreEqual(1, low.QueueLength);
        Assert.AreEqual(1000L, high.FrameGapMs);
        Assert.AreEqual(10000L, high.MaxFrameMs);
        Assert.AreEqual(64, high.MaxBits);
        Assert.AreEqual(16, high.QueueLength);
    }

    [TestMethod]
    public void RejectedFor_NoneOrUnknownReason_ReturnsZero()
    {
        Rig rig = new Rig();
        long last = rig.Send(Fc90Cn324, 0, 2);
        rig.Poll(last + 25);

        Assert.AreEqual(0L, rig.Collector.RejectedFor(WiegandRejection.None));
        Assert.AreEqual(0L, rig.Collector.RejectedFor((WiegandRejection)99));
    }

    [TestMethod]
    public void Bit_FromAnotherThreadWhileLoopPolls_DeliversEveryFrameInOrder()
    {
        // On the device Bit runs on the GPIO event thread and Poll on the loop. The sender keeps its own fake clock
        // and never runs more than a few frames ahead, so the queue cannot fill whatever the scheduler does.
        WiegandCollector collector = new WiegandCollector(new WiegandSettings { QueueLength = 16 });
        const int frames = 300;
        long clock = 0;
        int received = 0;
        Exception? senderFailure = null;
        Thread sender = new Thread(() =>
        {
            try
            {
                for (int f = 0; f < frames; f++)
                {
                    SpinWait.SpinUntil(() => f - Volatile.Read(ref received) < 8, TimeSpan.FromSeconds(10));
                    long frame = WiegandEncoder.Encode26(f % 256, f);
                    for (int i = 0; i < 26; i++)
                    {
                        collector.Bit(WiegandEncoder.BitAt(frame, 26, i), Interlocked.Read(ref clock));
                        Interlocked.Add(ref clock, 1);
                    }

                    Interlocked.Add(ref clock, 30);
                }
            }
            catch (Exception e)
            {
                senderFailure = e;
            }
        });

        WiegandFrame read = new WiegandFrame();
        sender.Start();
        while (sender.IsAlive)
        {
            // 40 ms behind the sender's clock: never late enough to close the frame it is still sending.
            if (collector.Poll(Interlocked.Read(ref clock) - 40, read))
            {
                Check(read, received);
                Volatile.Write(ref received, received + 1);
            }
        }

        sender.Join();
        while (collector.Poll(Interlocked.Read(ref clock) + 1000, read))
        {
            Check(read, received);
            received++;
        }

        Assert.IsNull(senderFailure);
        Assert.AreEqual(frames, received);
        Assert.AreEqual((long)frames, collector.Accepted);
        Assert.AreEqual(0L, collector.Rejected);

        static void Check(WiegandFrame frame, int expectedCard)
        {
            Assert.IsTrue(frame.IsValid, frame.Rejection.ToString());
            Assert.AreEqual(expectedCard, frame.CardNumber);
        }
    }

    private sealed class Rig
    {
        public Rig()
            : this(new WiegandSettings())
        {
        }

        public Rig(WiegandSettings settings)
        {
            Collector = new WiegandCollector(settings);
        }

        public WiegandCollector Collector { get; }

        public WiegandFrame Frame { get; } = new WiegandFrame();

        /// <summary>Feeds '0'/'1' characters as pulses from <paramref name="startMs"/>; returns the last pulse's time.</summary>
        public long Send(string bits, long startMs, long spacingMs)
        {
            long now = startMs;
            for (int i = 0; i < bits.Length; i++)
            {
                if (i > 0)
                {
                    now += spacingMs;
                }

                Collector.Bit(bits[i] - '0', now);
            }

            return now;
        }

        public bool Poll(long nowMs) => Collector.Poll(nowMs, Frame);
    }
}
