namespace SmartCommunity.Edge.Tests.Http;

using System;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Http;

[TestClass]
public sealed class EdgeHealthTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private bool _brokerStarted = true;
    private long _committed;
    private long _pending;
    private long _failures;

    [TestMethod]
    public void Check_AllWell_Ready()
    {
        HealthReport report = Health().Check();

        Assert.IsTrue(report.Ready, report.Problems);
        Assert.AreEqual("", report.Problems);
    }

    [TestMethod]
    public void Check_WritesWaitingWithoutACommitPastTheStallTime_NotReadyUntilTheLogMovesAgain()
    {
        EdgeHealth health = Health();
        health.Check();
        _pending = 40;

        _time.Advance(health.StallAfter);
        Assert.IsTrue(health.Check().Ready, "waiting exactly the stall time is still fine");
        _time.Advance(TimeSpan.FromSeconds(1));
        HealthReport stalled = health.Check();
        _committed = 40;
        _pending = 0;
        HealthReport moving = health.Check();

        Assert.IsFalse(stalled.Ready);
        StringAssert.Contains(stalled.Problems, "40 writes have waited");
        Assert.IsTrue(moving.Ready, moving.Problems);
    }

    [TestMethod]
    public void Check_BusyLogThatKeepsCommitting_Ready()
    {
        EdgeHealth health = Health();
        for (int i = 0; i < 5; i++)
        {
            _pending = 500;
            _committed += 1000;
            _time.Advance(health.StallAfter);
            Assert.IsTrue(health.Check().Ready);
        }
    }

    [TestMethod]
    public void Check_CommitFailuresAfterTheLastCommit_NotReadyUntilACommitSucceeds()
    {
        EdgeHealth health = Health();
        health.Check();

        _failures = 3;
        HealthReport failing = health.Check();
        _committed = 1;
        HealthReport recovered = health.Check();

        Assert.IsFalse(failing.Ready);
        StringAssert.Contains(failing.Problems, "disk");
        Assert.IsTrue(recovered.Ready, recovered.Problems);
    }

    [TestMethod]
    public void Check_BrokerNotStarted_NotReady()
    {
        _brokerStarted = false;

        HealthReport report = Health().Check();

        Assert.IsFalse(report.Ready);
        StringAssert.Contains(report.Problems, "mqtt");
    }

    [TestMethod]
    public void Check_Stopping_NotReady()
    {
        EdgeHealth health = Health();

        health.MarkStopping();

        Assert.IsTrue(health.Stopping);
        StringAssert.Contains(health.Check().Problems, "shutting down");
    }

    private EdgeHealth Health() => new(() => _brokerStarted, () => (_committed, _pending), () => _failures, _time);
}
