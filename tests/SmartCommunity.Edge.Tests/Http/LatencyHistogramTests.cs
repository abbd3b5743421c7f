namespace SmartCommunity.Edge.Tests.Http;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Http;

[TestClass]
public sealed class LatencyHistogramTests
{
    [TestMethod]
    public void Record_ValuesOnAndBetweenBounds_CountedInTheFirstBucketTheyFitUnder()
    {
        var histogram = new LatencyHistogram([0.01, 0.1, 1]);

        histogram.Record(TimeSpan.FromMilliseconds(10)); // on a bound: le is "less than or equal"
        histogram.Record(TimeSpan.FromMilliseconds(50));
        histogram.Record(TimeSpan.FromMilliseconds(100));
        histogram.Record(TimeSpan.FromSeconds(5)); // above every bound: only +Inf

        (long[] cumulative, double sum) = histogram.Snapshot();
        CollectionAssert.AreEqual(new long[] { 1, 3, 3, 4 }, cumulative);
        Assert.AreEqual(5.16, sum, 1e-6);
    }

    [TestMethod]
    public void Record_NegativeLatencyFromAClockStep_CountsAsZero()
    {
        var histogram = new LatencyHistogram(LatencyHistogram.CommandBounds);

        histogram.Record(TimeSpan.FromMilliseconds(-20));

        (long[] cumulative, double sum) = histogram.Snapshot();
        Assert.AreEqual(1, cumulative[0]);
        Assert.AreEqual(0, sum);
    }
}
