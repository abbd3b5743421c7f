namespace SmartCommunity.Simulator.Load;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

/// <summary>
/// Sends telemetry at a fixed total rate, open loop: each of a few pacer tasks owns a share of the sources and, about
/// every millisecond, sends as many messages as its share of the rate says should have gone out since the start,
/// round robin over its sources. A slow edge does not slow the schedule down; its backlog shows as PUBACK latency, as
/// throttled messages (a device's window full) and as an achieved rate below the one asked for.
/// </summary>
public sealed class TelemetryPacer(IReadOnlyList<TelemetrySource> sources, double rate, TimeSpan duration)
{
    /// <summary>Enough pacers that one stalled on a full socket does not hold back the others; few enough to stay cheap.</summary>
    public static int PacerCount(int sources) => Math.Clamp(Environment.ProcessorCount * 2, 1, Math.Max(1, sources));

    public long Due { get; private set; }

    /// <summary>Runs until <paramref name="duration"/> has passed (or <paramref name="cancel"/>); every due message is sent or throttled.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        if (sources.Count == 0)
        {
            return;
        }

        int pacers = PacerCount(sources.Count);
        long start = Stopwatch.GetTimestamp();
        var shares = Enumerable.Range(0, pacers).Select(p => sources.Where((_, i) => i % pacers == p).ToArray()).ToArray();
        long[] issued = await Task.WhenAll(shares.Select(share => Task.Run(() => PaceAsync(share, rate * share.Length / sources.Count, start, cancel))));
        Due = issued.Sum();
    }

    private async Task<long> PaceAsync(TelemetrySource[] share, double shareRate, long start, CancellationToken cancel)
    {
        long issued = 0;
        int next = 0;
        while (true)
        {
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            bool last = elapsed >= duration || cancel.IsCancellationRequested;
            double seconds = Math.Min(elapsed.TotalSeconds, duration.TotalSeconds);
            long due = (long)(shareRate * seconds) - issued;
            for (long i = 0; i < due; i++)
            {
                share[next].TryPublish();
                next = (next + 1) % share.Length;
                issued++;
            }

            if (last)
            {
                return issued;
            }

            try
            {
                await Task.Delay(1, cancel);
            }
            catch (OperationCanceledException)
            {
                // One more pass sends what was due up to now, then the loop ends.
            }
        }
    }
}
