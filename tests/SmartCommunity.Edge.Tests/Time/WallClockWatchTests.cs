namespace SmartCommunity.Edge.Tests.Time;

using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Edge.Time;

[TestClass]
public sealed class WallClockWatchTests
{
    [TestMethod]
    public async Task CheckAsync_WallClockFollowsTheMonotonicClock_NoJump()
    {
        await using var edge = new EdgeParts();
        var clock = new JumpableClock(edge.Time);
        await using var watch = new WallClockWatch(clock, edge.Log, "riverside", NullLogger.Instance);

        edge.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.IsNull(await watch.CheckAsync());
        Assert.AreEqual(0L, watch.Jumps);
    }

    [TestMethod]
    public async Task CheckAsync_NtpSetsTheClockForward_JumpMeasuredAndLogged()
    {
        await using var edge = new EdgeParts();
        var clock = new JumpableClock(edge.Time);
        await using var watch = new WallClockWatch(clock, edge.Log, "riverside", NullLogger.Instance);
        edge.Time.Advance(TimeSpan.FromSeconds(10));

        clock.Jump(TimeSpan.FromDays(400));

        TimeSpan? jump = await watch.CheckAsync();
        Assert.AreEqual(TimeSpan.FromDays(400), jump);
        Assert.AreEqual(1L, watch.Jumps);
        Assert.IsTrue(edge.Log.ReadRecent(10, "edge").Any(e => e.Name == "clock-jump"));
        Assert.IsNull(await watch.CheckAsync(), "measured from the new time on");
    }

    [TestMethod]
    public async Task CheckAsync_ClockSetBackOneSecond_BelowTheThreshold()
    {
        await using var edge = new EdgeParts();
        var clock = new JumpableClock(edge.Time);
        await using var watch = new WallClockWatch(clock, edge.Log, "riverside", NullLogger.Instance);

        clock.Jump(TimeSpan.FromSeconds(-1));

        Assert.IsNull(await watch.CheckAsync());
    }

    /// <summary>Monotonic time from a fake clock, wall time from it plus an offset that a test can jump.</summary>
    private sealed class JumpableClock(FakeTimeProvider monotonic) : TimeProvider
    {
        private TimeSpan _offset;

        public void Jump(TimeSpan by) => _offset += by;

        public override DateTimeOffset GetUtcNow() => monotonic.GetUtcNow() + _offset;

        public override long GetTimestamp() => monotonic.GetTimestamp();

        public override long TimestampFrequency => monotonic.TimestampFrequency;
    }
}
