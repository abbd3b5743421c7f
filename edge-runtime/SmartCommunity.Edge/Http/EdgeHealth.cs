namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Storage;

/// <summary>
/// Whether the edge can do its job right now: the MQTT server runs, the event log commits what it is given, and
/// the process is not shutting down. Serves /health/ready and decides whether systemd's watchdog is fed
/// (<see cref="SystemdWatchdog"/>): an edge whose log stopped committing gets restarted instead of acknowledging
/// nothing for hours.
/// <para>
/// The log is judged by progress, sampled at each check: it is failing when writes wait and nothing has been
/// committed for <see cref="StallAfter"/>, or when commit failures were seen after the last commit.
/// </para>
/// </summary>
public sealed class EdgeHealth
{
    /// <summary>Long enough for a slow SD card's fsync under load; well inside a 30 s watchdog.</summary>
    public static readonly TimeSpan DefaultStallAfter = TimeSpan.FromSeconds(10);

    private readonly Func<bool> _brokerStarted;
    private readonly Func<(long Committed, long Pending)> _log;
    private readonly Func<long> _commitFailures;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private int _stopping;
    private long _lastCommitted = -1;
    private long _lastFailures;
    private DateTimeOffset _lastProgressAt;

    // Which check saw the last commit and the last failure: a failure seen after the last commit means the log is failing.
    private long _checks;
    private long _lastProgressCheck;
    private long _lastFailureCheck;

    public EdgeHealth(Func<bool> brokerStarted, Func<(long Committed, long Pending)> log, Func<long> commitFailures, TimeProvider time, TimeSpan? stallAfter = null)
    {
        _brokerStarted = brokerStarted;
        _log = log;
        _commitFailures = commitFailures;
        _time = time;
        StallAfter = stallAfter ?? DefaultStallAfter;
        _lastProgressAt = time.GetUtcNow();
        _lastFailures = commitFailures();
    }

    public TimeSpan StallAfter { get; }

    public bool Stopping => Volatile.Read(ref _stopping) != 0;

    public static EdgeHealth For(EmbeddedBroker broker, EventLog log, EdgeCounters counters, TimeProvider time) =>
        new(() => broker.IsStarted, () => (log.Committed, log.Pending), () => counters.CommitFailures, time);

    /// <summary>From here on the edge reports not ready and the watchdog is no longer fed: it is going away.</summary>
    public void MarkStopping() => Volatile.Write(ref _stopping, 1);

    public HealthReport Check()
    {
        DateTimeOffset now = _time.GetUtcNow();
        (long committed, long pending) = _log();
        long failures = _commitFailures();
        HealthCheck logCheck;
        lock (_gate)
        {
            _checks++;
            if (committed != _lastCommitted)
            {
                _lastCommitted = committed;
                _lastProgressAt = now;
                _lastProgressCheck = _checks;
            }

            if (failures != _lastFailures)
            {
                _lastFailures = failures;
                _lastFailureCheck = _checks;
            }

            TimeSpan waiting = now - _lastProgressAt;
            logCheck = _lastFailureCheck > _lastProgressCheck
                ? new HealthCheck("event-log", false,
                    $"the event log's last writes failed ({failures} commit failures since start) and nothing has been committed since; check free disk space and the journal")
                : pending > 0 && waiting > StallAfter
                    ? new HealthCheck("event-log", false,
                        $"{pending} writes have waited {waiting.TotalSeconds:F0} s without a commit; the disk may be failing or full")
                    : new HealthCheck("event-log", true, $"{committed} records committed, {pending} waiting");
        }

        bool stopping = Stopping;
        var checks = new List<HealthCheck>
        {
            _brokerStarted()
                ? new HealthCheck("mqtt", true, "the MQTT server is running")
                : new HealthCheck("mqtt", false, "the MQTT server is not running (starting, or stopped)"),
            logCheck,
            stopping
                ? new HealthCheck("lifecycle", false, "the edge is shutting down")
                : new HealthCheck("lifecycle", true, "running"),
        };
        return new HealthReport(checks.All(c => c.Ok), checks);
    }
}

public sealed record HealthCheck(string Name, bool Ok, string Detail);

public sealed record HealthReport(bool Ready, IReadOnlyList<HealthCheck> Checks)
{
    /// <summary>What is wrong, in one line; empty when ready.</summary>
    public string Problems => string.Join("; ", Checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}"));
}
