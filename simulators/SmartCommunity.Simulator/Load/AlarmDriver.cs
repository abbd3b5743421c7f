namespace SmartCommunity.Simulator.Load;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HdrHistogram;
using SmartCommunity.Firmware.Devices.SmokeDetector;

/// <summary>
/// Raises a smoke alarm every <c>every</c> during the load, in the next building of the rotation: smoke at the
/// building's alarm detector (its firmware confirms it and sends the <c>alarm</c> event), a bounded wait until every
/// door of the building has its release (<see cref="AlarmProbe"/>), clean air again, and, once the detector has
/// restored and the edge has its <c>alarm-cleared</c> and state, the operator's reset through the HTTP API: a reset
/// while the detector's state still says <c>alarm</c> would be followed by that state latching the building again
/// (the fire rule latches on an alarm state too), and the next round's alarm would find it latched. One round at a
/// time; a round that overruns delays the next. A building whose detector has not restored yet is skipped.
/// </summary>
public sealed class AlarmDriver(
    IReadOnlyList<AlarmBuilding> buildings,
    IReadOnlyDictionary<string, FirmwareNode> nodes,
    AlarmProbe probe,
    EdgeApi api,
    TimeSpan every,
    TimeSpan duration)
{
    /// <summary>How long a round waits for the last release before it counts the alarm as missed.</summary>
    public static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a round waits for the detector to restore before it resets anyway.</summary>
    public static readonly TimeSpan RestoreTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The longest a round can take: the release, the restore and the reset request, each bounded.</summary>
    public static readonly TimeSpan RoundTimeout = ReleaseTimeout + RestoreTimeout + EdgeApi.RequestTimeout + TimeSpan.FromSeconds(5);

    private readonly LongHistogram _toLastDoor = LatencyFigures.NewHistogram();
    private readonly LongHistogram _toFirstDoor = LatencyFigures.NewHistogram();
    private readonly List<string> _problems = new();
    private int _raised;
    private int _released;
    private int _missed;
    private int _skipped;
    private int _resets;
    private int _resetFailures;
    private long _lastMicroseconds;

    public int Raised => Volatile.Read(ref _raised);

    public int Released => Volatile.Read(ref _released);

    public double? LastLatencyMs => Interlocked.Read(ref _lastMicroseconds) is > 0 and var us ? us / 1000.0 : null;

    /// <summary>What went wrong in missed rounds and failed resets, first ones first (at most 10).</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return _problems.ToArray();
            }
        }
    }

    public AlarmFigures Figures()
    {
        lock (_toLastDoor)
        {
            return new AlarmFigures(Raised, Released, Volatile.Read(ref _missed), Volatile.Read(ref _skipped), Volatile.Read(ref _resets),
                Volatile.Read(ref _resetFailures), LatencyFigures.From(_toLastDoor), LatencyFigures.From(_toFirstDoor));
        }
    }

    /// <summary>p99 so far, for the progress line.</summary>
    public double? P99Ms()
    {
        lock (_toLastDoor)
        {
            return _toLastDoor.TotalCount == 0 ? null : _toLastDoor.GetValueAtPercentile(99) / 1000.0;
        }
    }

    public async Task RunAsync(CancellationToken cancel)
    {
        if (every <= TimeSpan.Zero || buildings.Count == 0)
        {
            return;
        }

        long start = Stopwatch.GetTimestamp();
        for (int round = 0; ; round++)
        {
            TimeSpan due = every * round;
            if (due >= duration || cancel.IsCancellationRequested)
            {
                return;
            }

            TimeSpan wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancel);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            await RoundAsync(buildings[round % buildings.Count], cancel);
        }
    }

    /// <summary>
    /// One round before the measured load, in the last building of the rotation, not counted: the edge's fire path
    /// and the doors' release path run once, so the first measured alarm does not carry their first-call JIT cost.
    /// Returns false when that round did not release every door or its reset failed.
    /// </summary>
    public async Task<bool> WarmUpAsync(CancellationToken cancel)
    {
        if (every <= TimeSpan.Zero || buildings.Count == 0)
        {
            return true;
        }

        int problems = Problems.Count;
        await RoundAsync(buildings[^1], cancel, record: false);
        return Problems.Count == problems;
    }

    private async Task RoundAsync(AlarmBuilding building, CancellationToken cancel, bool record = true)
    {
        FirmwareNode detector = nodes[building.Detector.Id];
        if (detector.Detector is not { State: SmokeState.Normal } || !detector.Transport.IsConnected)
        {
            if (record)
            {
                Interlocked.Increment(ref _skipped);
            }
            else
            {
                Problem($"warm-up alarm in {building.Building}: the detector is not connected and normal");
            }

            return;
        }

        AlarmRound round = probe.Arm(building);
        detector.SmokeHead!.Value = FirmwareNode.SmokeLevel;
        if (record)
        {
            Interlocked.Increment(ref _raised);
        }

        try
        {
            await round.AllReleased.WaitAsync(ReleaseTimeout, cancel);
            if (record)
            {
                lock (_toLastDoor)
                {
                    long last = LatencyFigures.ClampMicroseconds(round.ToLastDoor!.Value);
                    _toLastDoor.RecordValue(last);
                    _toFirstDoor.RecordValue(LatencyFigures.ClampMicroseconds(round.ToFirstDoor!.Value));
                    Interlocked.Exchange(ref _lastMicroseconds, last);
                }

                Interlocked.Increment(ref _released);
            }
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            if (record)
            {
                Interlocked.Increment(ref _missed);
            }

            Problem((record ? "" : "warm-up ") + (round.AlarmAt == 0
                ? $"alarm in {building.Building}: the detector's alarm event never left within {ReleaseTimeout.TotalSeconds:F0} s"
                : $"alarm in {building.Building}: {round.DoorsReleased} of {building.Doors.Count} doors got their release within {ReleaseTimeout.TotalSeconds:F0} s"));
        }
        finally
        {
            probe.Disarm();
            detector.SmokeHead!.Value = FirmwareNode.CleanAirLevel;
        }

        if (!await RestoredAsync(detector))
        {
            Problem($"alarm in {building.Building}: the detector did not restore and report it within {RestoreTimeout.TotalSeconds:F0} s; reset anyway");
        }

        HttpStatusCode? reset = await api.ResetFireAsync(building.Building, CancellationToken.None);
        if (reset == HttpStatusCode.OK)
        {
            if (record)
            {
                Interlocked.Increment(ref _resets);
            }
        }
        else
        {
            if (record)
            {
                Interlocked.Increment(ref _resetFailures);
            }

            Problem($"reset of {building.Building} through the API answered {(reset is { } code ? ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture) : "nothing")}");
        }
    }

    private static async Task<bool> RestoredAsync(FirmwareNode detector)
    {
        var waited = Stopwatch.StartNew();
        while (detector.Detector!.State != SmokeState.Normal || detector.Transport.Pending > 0)
        {
            if (waited.Elapsed > RestoreTimeout)
            {
                return false;
            }

            await Task.Delay(10, CancellationToken.None);
        }

        return true;
    }

    private void Problem(string text)
    {
        lock (_problems)
        {
            if (_problems.Count < 10)
            {
                _problems.Add(text);
            }
        }
    }
}
