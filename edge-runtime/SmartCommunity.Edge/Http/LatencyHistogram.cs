namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Threading;

/// <summary>
/// A lock-free histogram over fixed upper bounds (seconds), exposed as a Prometheus histogram. Fixed buckets rather
/// than HdrHistogram: Prometheus computes quantiles from cumulative buckets anyway (histogram_quantile), and a
/// Prometheus histogram's buckets must stay the same for the life of the series.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>From a release on loopback (milliseconds) to a retried command to a rebooting door (tens of seconds).</summary>
    public static readonly IReadOnlyList<double> CommandBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly double[] _bounds;
    private readonly long[] _counts; // per bucket, not cumulative; the last is above every bound
    private long _sumMicroseconds;

    public LatencyHistogram(IReadOnlyList<double> upperBounds)
    {
        _bounds = [.. upperBounds];
        _counts = new long[_bounds.Length + 1];
    }

    public IReadOnlyList<double> UpperBounds => _bounds;

    public void Record(TimeSpan latency)
    {
        double seconds = Math.Max(0, latency.TotalSeconds);
        int bucket = 0;
        while (bucket < _bounds.Length && seconds > _bounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumMicroseconds, (long)(seconds * 1_000_000));
    }

    /// <summary>Cumulative counts per bound, then the total (the +Inf bucket), and the sum in seconds.</summary>
    public (long[] Cumulative, double SumSeconds) Snapshot()
    {
        var cumulative = new long[_counts.Length];
        long running = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            cumulative[i] = running;
        }

        return (cumulative, Interlocked.Read(ref _sumMicroseconds) / 1_000_000.0);
    }
}
