namespace SmartCommunity.Bindings.Tests;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Bindings.Linux;
using SmartCommunity.Bindings.Tests.Fakes;

[TestClass]
public sealed class MonotonicClockTests
{
    [TestMethod]
    public void UptimeMs_AtCreation_IsZero()
    {
        var time = new SteppedTimeProvider(1_000_000_000) { Timestamp = 123_456_789_000 };

        var clock = new MonotonicClock(time);

        Assert.AreEqual(0, clock.UptimeMs);
    }

    [TestMethod]
    public void UptimeMs_NanosecondTimestamps_CountsWholeMilliseconds()
    {
        var time = new SteppedTimeProvider(1_000_000_000) { Timestamp = 5_000 };
        var clock = new MonotonicClock(time);

        time.Timestamp += 1_999_999;
        Assert.AreEqual(1, clock.UptimeMs);

        time.Timestamp += 1;
        Assert.AreEqual(2, clock.UptimeMs);
    }

    [TestMethod]
    public void UptimeMs_TwoHundredDaysAtNanosecondFrequency_DoesNotOverflow()
    {
        const long days200Ms = 200L * 24 * 3600 * 1000;
        var time = new SteppedTimeProvider(1_000_000_000);
        var clock = new MonotonicClock(time);

        time.Timestamp = (days200Ms * 1_000_000) + 750_000;

        Assert.AreEqual(days200Ms, clock.UptimeMs);
    }

    [TestMethod]
    public void UptimeMs_SystemTime_NeverGoesBackwards()
    {
        var clock = new MonotonicClock();

        long first = clock.UptimeMs;
        long second = clock.UptimeMs;

        Assert.IsTrue(first >= 0);
        Assert.IsTrue(second >= first);
    }
}
