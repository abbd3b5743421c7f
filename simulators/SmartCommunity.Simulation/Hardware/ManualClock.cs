namespace SmartCommunity.Simulation.Hardware;

using System.Threading;
using SmartCommunity.Firmware.Hal;

/// <summary>A device clock that moves only when told to: unit tests and virtual-time scenarios.</summary>
public sealed class ManualClock : IClock
{
    private long _uptimeMs;

    public ManualClock(long startMs = 0)
    {
        _uptimeMs = startMs;
    }

    public long UptimeMs => Interlocked.Read(ref _uptimeMs);

    public long Advance(long ms) => Interlocked.Add(ref _uptimeMs, ms);
}
