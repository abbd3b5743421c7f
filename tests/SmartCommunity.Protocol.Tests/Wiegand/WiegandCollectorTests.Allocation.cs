namespace SmartCommunity.Protocol.Tests.Wiegand;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Wiegand;

/// <summary>Bit and Poll run in the firmware's steady-state loop and must not allocate (STYLE.md §6).</summary>
public sealed partial class WiegandCollectorTests
{
    [TestMethod]
    public void BitAndPoll_CardsAndEveryKindOfBadFrame_AllocateNothing()
    {
        Traffic traffic = new Traffic();
        traffic.Run(2);
        long accepted = traffic.Collector.Accepted;
        long rejected = traffic.Collector.Rejected;

        long before = GC.GetAllocatedBytesForCurrentThread();
        traffic.Run(50);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(0L, allocated, "bytes allocated by 50 rounds of Wiegand traffic");
        Assert.AreEqual(accepted + 50 * 3, traffic.Collector.Accepted);
        Assert.AreEqual(rejected + 50 * 5, traffic.Collector.Rejected);
        Assert.AreEqual(52L * 1, traffic.Collector.RejectedFor(WiegandRejection.Overflow));
        Assert.AreEqual(52L, traffic.Collector.RejectedFor(WiegandRejection.Timeout));
        Assert.AreEqual(52L * 2, traffic.Collector.RejectedFor(WiegandRejection.Length));
        Assert.AreEqual(52L, traffic.Collector.RejectedFor(WiegandRejection.Parity));
        Assert.AreEqual(52L * 3, traffic.Matched, "every card read back with the expected text");
    }

    /// <summary>
    /// One round: a 26-bit card, a 34-bit card, a parity error, a 25-bit frame, a frame cut by a pause, an
    /// overflowing burst, a slow burst that times out, and another card; the loop polls every millisecond.
    /// </summary>
    private sealed class Traffic
    {
        private readonly long[] _bits;
        private readonly int[] _counts;
        private readonly int[] _spacings;
        private readonly WiegandFrame _frame = new WiegandFrame();
        private long _now;

        public Traffic()
        {
            Collector = new WiegandCollector(new WiegandSettings { MaxFrameMs = 400 });
            _bits = new[]
            {
                WiegandEncoder.Encode26(90, 324),
                WiegandEncoder.Encode34(4660, 43981),
                WiegandEncoder.Encode26(68, 41551) ^ 1,
                WiegandEncoder.Encode26(1, 1) >> 1,
                WiegandEncoder.Encode26(2, 2) >> 13,
                -1L,
                0L,
                WiegandEncoder.Encode26(68, 41551),
            };
            _counts = new[] { 26, 34, 26, 25, 13, 64, 30, 26 };
            _spacings = new[] { 2, 1, 2, 2, 2, 1, 20, 2 };
        }

        public WiegandCollector Collector { get; }

        public long Matched { get; private set; }

        public void Run(int rounds)
        {
            for (int round = 0; round < rounds; round++)
            {
                for (int f = 0; f < _bits.Length; f++)
                {
                    int count = _counts[f];
                    int sent = f == 5 ? count + 6 : count;
                    for (int i = 0; i < sent; i++)
                    {
                        int bit = i < count ? WiegandEncoder.BitAt(_bits[f], count, i) : 1;
                        Collector.Bit(bit, _now);
                        for (int t = 0; t < _spacings[f]; t++)
                        {
                            Step();
                        }
                    }

                    for (int t = 0; t < 40; t++)
                    {
                        Step();
                    }
                }
            }
        }

        private void Step()
        {
            _now++;
            if (Collector.Poll(_now, _frame) && _frame.IsValid)
            {
                if (_frame.TextEquals("5898564") || _frame.TextEquals("305441741") || _frame.TextEquals("4497999"))
                {
                    Matched++;
                }
            }
        }
    }
}
