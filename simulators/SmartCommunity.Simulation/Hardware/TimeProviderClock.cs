namespace SmartCommunity.Simulation.Hardware;

using System;
using SmartCommunity.Firmware.Hal;

/// <summary>A device clock over a <see cref="TimeProvider"/>: real time in sc-sim, fake time where a test injects one.</summary>
public sealed class TimeProviderClock : IClock
{
    private readonly TimeProvider _time;
    private readonly long _bootTimestamp;

    public TimeProviderClock(TimeProvider time)
    {
        _time = time;
        _bootTimestamp = time.GetTimestamp();
    }

    public long UptimeMs => (long)_time.GetElapsedTime(_bootTimestamp).TotalMilliseconds;
}
