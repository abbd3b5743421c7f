namespace SmartCommunity.Edge.Tests.Operations;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Http;

[TestClass]
public sealed class SystemdWatchdogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly RecordingNotifier _notifier = new();
    private bool _ready = true;

    [TestMethod]
    public async System.Threading.Tasks.Task Tick_Healthy_PingsAtOnceThenEveryHalfInterval()
    {
        await using SystemdWatchdog watchdog = Start(TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(15));
        _time.Advance(TimeSpan.FromSeconds(14));
        long beforeThird = watchdog.Pings;
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.AreEqual(TimeSpan.FromSeconds(15), watchdog.Period);
        Assert.AreEqual(2, beforeThird);
        Assert.AreEqual(3, watchdog.Pings);
        Assert.IsTrue(_notifier.Sent.All(s => s == "WATCHDOG=1"), string.Join(" | ", _notifier.Sent));
    }

    [TestMethod]
    public async System.Threading.Tasks.Task Tick_Unhealthy_NoPingsAndStatusSaysWhyUntilHealthyAgain()
    {
        await using SystemdWatchdog watchdog = Start(TimeSpan.FromSeconds(30));

        _ready = false;
        _time.Advance(TimeSpan.FromSeconds(15));
        _time.Advance(TimeSpan.FromSeconds(15));
        long whileUnhealthy = watchdog.Pings;
        _ready = true;
        _time.Advance(TimeSpan.FromSeconds(15));

        Assert.AreEqual(1, whileUnhealthy, "only the ping at start");
        Assert.AreEqual(2, watchdog.Pings);
        CollectionAssert.AreEqual(
            new[] { "WATCHDOG=1", "STATUS=not ready: event-log: stuck", "WATCHDOG=1", "STATUS=ready" },
            _notifier.Sent.ToArray());
    }

    [TestMethod]
    public void TryNotify_SocketGone_FalseAndNothingThrown()
    {
        var broken = new RecordingNotifier { Throw = true };

        Assert.IsFalse(SystemdWatchdog.TryNotify(broken, ServiceState.Ready, NullLogger.Instance));
        Assert.IsFalse(SystemdWatchdog.TryNotify(new RecordingNotifier { IsEnabled = false }, ServiceState.Ready, NullLogger.Instance));
    }

    [TestMethod]
    [DataRow(null, null, null)]
    [DataRow("30000000", null, 30.0)]
    [DataRow("2000000", "4242", 2.0)]
    [DataRow("2000000", "17", null)]
    [DataRow("0", null, null)]
    [DataRow("-5", null, null)]
    [DataRow("thirty", null, null)]
    public void IntervalFromEnvironment_AsSdWatchdogEnabledReadsIt(string? usec, string? pid, double? expectedSeconds)
    {
        var environment = new Dictionary<string, string?> { ["WATCHDOG_USEC"] = usec, ["WATCHDOG_PID"] = pid };

        TimeSpan? interval = SystemdWatchdog.IntervalFromEnvironment(name => environment.GetValueOrDefault(name), processId: 4242);

        Assert.AreEqual(expectedSeconds, interval?.TotalSeconds);
    }

    private SystemdWatchdog Start(TimeSpan interval) =>
        new(_notifier, () => _ready
            ? new HealthReport(true, [new HealthCheck("event-log", true, "fine")])
            : new HealthReport(false, [new HealthCheck("event-log", false, "stuck")]), _time, interval, NullLogger.Instance);

    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private readonly ConcurrentQueue<string> _sent = new();

        public bool IsEnabled { get; init; } = true;

        public bool Throw { get; init; }

        public IReadOnlyList<string> Sent => _sent.ToArray();

        public void Notify(ServiceState state)
        {
            if (Throw)
            {
                throw new SocketException((int)SocketError.ConnectionRefused);
            }

            _sent.Enqueue(state.ToString());
        }
    }
}
