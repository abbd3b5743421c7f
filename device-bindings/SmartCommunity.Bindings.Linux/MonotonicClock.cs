namespace SmartCommunity.Bindings.Linux;

using System;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// <see cref="IClock"/> for a Linux controller: milliseconds since this clock was created (the start of the device
/// logic, its "boot"), from the monotonic timestamp of <see cref="TimeProvider"/> (<see cref="System.Diagnostics.Stopwatch"/>,
/// CLOCK_MONOTONIC on Linux). Wall-clock time is never used: NTP and the RTC can step it, which would break every
/// timeout compared as <c>now - since &gt;= timeout</c>.
/// </summary>
public sealed class MonotonicClock : IClock
{
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly long _frequency;

    public MonotonicClock()
        : this(TimeProvider.System)
    {
    }

    /// <param name="time">Source of monotonic timestamps; tests pass one they control.</param>
    public MonotonicClock(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _frequency = time.TimestampFrequency;
        _start = time.GetTimestamp();
    }

    public long UptimeMs
    {
        get
        {
            // Whole seconds and the remainder apart: ticks * 1000 would overflow after about 106 days at the
            // nanosecond frequency Linux uses.
            long elapsed = _time.GetTimestamp() - _start;
            return (elapsed / _frequency * 1000) + (elapsed % _frequency * 1000 / _frequency);
        }
    }
}
