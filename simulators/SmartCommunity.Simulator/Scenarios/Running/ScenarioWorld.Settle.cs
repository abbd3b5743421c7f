namespace SmartCommunity.Simulator.Scenarios.Running;

using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge;
using SmartCommunity.Simulation.Devices;

/// <summary>
/// One tick, and how the runner knows the system is quiet afterwards (simulators/README.md, "Virtual time and
/// quiescence"). Virtual time stands still while the runner waits; MQTT, SQLite and HTTP still run in real time on
/// real sockets and threads, so after every move of the clock the runner waits, with a bounded real-time wait, until
/// nothing is in flight:
/// <list type="number">
/// <item>device → edge: the runner sends every device's queued messages itself, one after the other, and awaits each
/// QoS 1 PUBACK, which the edge sends only after the message and everything the fire rule did about it are committed
/// (protocol.md §8); for QoS 0 it waits until the edge's handled count (accepted + refused + duplicates) has caught up;</item>
/// <item>inside the edge: work that a timer started on the clock's advance (command retries, the twin pass, rule
/// timers, relays) has no PUBACK to wait for, so the runner waits until the edge's counters, its commit queue, the
/// upstream receiver's requests in flight and the process's thread-pool work items all stay unchanged over several
/// polls;</item>
/// <item>edge → device: the runner publishes a probe through the edge's own broker to every connected device; the
/// broker delivers a session's messages in order, so when each device has its probe, every command and fire state
/// queued before it has arrived;</item>
/// <item>the devices then get what arrived, which may make them send again: the round repeats until one sends and
/// receives nothing.</item>
/// </list>
/// A wait that runs out (a device whose session died unnoticed, a backlog on a loaded machine) does not hang the run:
/// it is counted in <see cref="Statistics"/> and reported, because it may make the virtual times of that run differ.
/// </summary>
public sealed partial class ScenarioWorld
{
    /// <summary>How many consecutive polls must see nothing change (with <see cref="QuietPoll"/> between them).</summary>
    private const int QuietPolls = 3;

    /// <summary>A message storm (two parts answering each other forever) ends the run instead of hanging it.</summary>
    private const int MaxRounds = 500;

    private static readonly TimeSpan QuietPoll = TimeSpan.FromTicks(1000);

    private long _probe;
    private int _busyBaseline;
    private long _seenCommits = -1;
    private object? _seenEdge;

    public SettleStatistics Statistics { get; } = new();

    /// <summary>Moves virtual time forward (the edge's timers fire on this thread), then waits until what they started is done.</summary>
    public void AdvanceTo(TimeSpan target)
    {
        if (target > Now)
        {
            Time.Advance(target - Now);
        }

        Statistics.Ticks++;
        WaitQuiet();
    }

    /// <summary>Devices off the broker whose reconnect pause is over try once (none while the edge is stopped). Returns new sessions.</summary>
    public async Task<int> ConnectDueAsync(CancellationToken cancel)
    {
        if (Edge is null)
        {
            return 0;
        }

        int connected = 0;
        foreach (VirtualDevice device in _devices)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            bound.CancelAfter(Scenario.Timing.Settle);
            if (await device.ConnectIfDueAsync(bound.Token))
            {
                connected++;
            }
        }

        // The broker sends a new session its retained messages (the building's fire state) after the SUBACK; the probe
        // makes sure they are in the inbox before the device's first step, as they would be on a real board, every run.
        if (connected > 0)
        {
            await ProbeAsync();
        }

        return connected;
    }

    /// <summary>One main-loop iteration of every device at its own clock, in layout order. Returns messages handed over.</summary>
    public int StepDevices()
    {
        int delivered = 0;
        TimeSpan now = Now;
        foreach (VirtualDevice device in _devices)
        {
            delivered += device.Step(_observers[device.Definition.Id]);
            Recorder.TrackOutput(now, device);
        }

        return delivered;
    }

    /// <summary>Rounds of send, wait, probe, deliver until a round moves nothing. Returns how many messages moved.</summary>
    public async Task<int> SettleAsync(CancellationToken cancel)
    {
        int moved = 0;
        for (int round = 1; ; round++)
        {
            if (round > MaxRounds)
            {
                throw new ScenarioRunException($"the system did not settle at {ScenarioTime.Format(Now)}: messages kept flowing for {MaxRounds} rounds");
            }

            Statistics.Rounds++;
            long handled = Handled();
            int sent = 0;
            foreach (VirtualDevice device in _devices)
            {
                string id = device.Definition.Id;
                sent += await device.FlushAsync(m => Recorder.Sent(Now, id, m, raw: false), cancel);
            }

            if (sent > 0)
            {
                SpinUntil(() => Edge is null || Handled() >= handled + sent, "the edge handles what the devices sent");
            }

            WaitQuiet();
            await ProbeAsync();
            int delivered = 0;
            TimeSpan now = Now;
            foreach (VirtualDevice device in _devices)
            {
                delivered += device.DeliverInbox(_observers[device.Definition.Id]);
                Recorder.TrackOutput(now, device);
            }

            moved += sent + delivered;
            if (sent == 0 && delivered == 0)
            {
                return moved;
            }
        }
    }

    /// <summary>True when the edge's event log committed something since the last call (the runner keeps short ticks then).</summary>
    public bool TakeEdgeActivity()
    {
        if (Edge is not { } edge)
        {
            return false;
        }

        long commits = edge.EventLog.Committed;
        bool moved = !ReferenceEquals(edge, _seenEdge) || commits != _seenCommits;
        _seenEdge = edge;
        _seenCommits = commits;
        return moved;
    }

    // Every message a device publishes ends in exactly one of these counters of the edge that received it.
    private long Handled() => Edge is not { } edge ? 0 : edge.Counters.Accepted + edge.Counters.Refused + edge.Counters.Duplicates + edge.Counters.CommitFailures;

    private async Task ProbeAsync()
    {
        if (Edge is not { } edge)
        {
            return;
        }

        MqttDeviceTransport[] sessions = _devices.Select(d => d.Transport).Where(t => t.IsConnected).ToArray();
        if (sessions.Length == 0)
        {
            return;
        }

        long probe = ++_probe;
        await edge.Broker.PublishAsync(MqttDeviceTransport.ProbeTopic, Encoding.ASCII.GetBytes(probe.ToString(CultureInfo.InvariantCulture)), retain: false);
        SpinUntil(() => sessions.All(t => t.LastProbe >= probe || !t.IsConnected), "every device receives the probe");
    }

    private void WaitQuiet()
    {
        long started = Stopwatch.GetTimestamp();
        QuietSnapshot last = Snapshot();
        int stable = 0;
        while (stable < QuietPolls)
        {
            Pause(QuietPoll);
            QuietSnapshot now = Snapshot();
            stable = now == last && now.Idle ? stable + 1 : 0;
            last = now;
            if (Stopwatch.GetElapsedTime(started) > Scenario.Timing.Settle)
            {
                Statistics.TimedOut("the edge goes quiet", Now);
                return;
            }
        }
    }

    private QuietSnapshot Snapshot()
    {
        EdgeHost? edge = Edge;
        long received = 0;
        foreach (VirtualDevice device in _devices)
        {
            received += device.Transport.Received;
        }

        return new QuietSnapshot(
            Math.Max(0, BusyWorkers() - _busyBaseline),
            ThreadPool.CompletedWorkItemCount,
            ThreadPool.PendingWorkItemCount,
            edge is null ? 0 : Handled(),
            edge?.Counters.CommandsSent ?? 0,
            edge?.Counters.CommandRetries ?? 0,
            edge?.EventLog.Committed ?? 0,
            edge?.EventLog.Pending ?? 0,
            Upstream?.Requests ?? 0,
            Upstream?.InFlight ?? 0,
            received,
            edge?.MBus?.IsIdleAt(Time.GetUtcNow()) ?? true);
    }

    private void SpinUntil(Func<bool> condition, string what)
    {
        long started = Stopwatch.GetTimestamp();
        var spinner = new SpinWait();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Scenario.Timing.Settle)
            {
                Statistics.TimedOut(what, Now);
                return;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    // Yields the processor to the threads doing the work for about this long; never sleeps a whole millisecond.
    private static void Pause(TimeSpan span)
    {
        long started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < span)
        {
            Thread.Yield();
        }
    }

    // Workers that stay busy whatever the run does (a caller blocking a pool thread on the run, another component's
    // long-lived loop) are not work of the run: the least seen over a couple of milliseconds before it starts.
    private void CalibrateBusyWorkers()
    {
        int least = int.MaxValue;
        for (int i = 0; i < 20; i++)
        {
            least = Math.Min(least, BusyWorkers());
            Pause(QuietPoll);
        }

        _busyBaseline = Math.Max(0, least);
    }

    // Thread-pool threads running a work item now, other than this one: a single long work item (a synchronous SQLite
    // commit, a first request's JIT) moves no counter until it ends, but it holds a worker.
    private static int BusyWorkers()
    {
        ThreadPool.GetMaxThreads(out int max, out _);
        ThreadPool.GetAvailableThreads(out int available, out _);
        return max - available - (Thread.CurrentThread.IsThreadPoolThread ? 1 : 0);
    }

    private readonly record struct QuietSnapshot(
        int ExtraBusyWorkers,
        long WorkItems,
        long QueuedWorkItems,
        long Handled,
        long CommandsSent,
        long CommandRetries,
        long Committed,
        long CommitsPending,
        long UpstreamRequests,
        int UpstreamInFlight,
        long DeviceReceived,
        bool MBusIdle)
    {
        // An M-Bus poll waits on the serial line in real time (up to its reply timeouts) without holding a worker.
        public bool Idle => ExtraBusyWorkers == 0 && QueuedWorkItems == 0 && CommitsPending == 0 && UpstreamInFlight == 0 && MBusIdle;
    }
}

/// <summary>How the run's waits went; a timed-out wait may make the virtual times of the run differ from another run's.</summary>
public sealed class SettleStatistics
{
    private readonly System.Collections.Generic.List<string> _timeouts = [];

    public long Ticks { get; internal set; }

    public long Rounds { get; internal set; }

    public System.Collections.Generic.IReadOnlyList<string> Timeouts => _timeouts;

    internal void TimedOut(string what, TimeSpan at)
    {
        if (_timeouts.Count < 100)
        {
            _timeouts.Add($"at {ScenarioTime.Format(at)}: gave up waiting until {what}");
        }
    }
}

/// <summary>The run could not go on (the edge did not start, the system never settled); every open expectation fails with it.</summary>
public sealed class ScenarioRunException(string message, Exception? inner = null) : Exception(message, inner);
