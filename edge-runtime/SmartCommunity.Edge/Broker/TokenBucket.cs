namespace SmartCommunity.Edge.Broker;

using System;

/// <summary>A token bucket: <c>capacity</c> at once, refilled at <c>perSecond</c>. Thread-safe; time from the caller.</summary>
internal sealed class TokenBucket
{
    private readonly object _gate = new();
    private readonly double _capacity;
    private readonly double _perSecond;
    private double _tokens;
    private long _lastTicks;

    public TokenBucket(double capacity, double perSecond, long startTicks)
    {
        _capacity = capacity;
        _perSecond = perSecond;
        _tokens = capacity;
        _lastTicks = startTicks;
    }

    public bool TryTake(long nowTicks)
    {
        lock (_gate)
        {
            double elapsed = Math.Max(0, nowTicks - _lastTicks) / (double)TimeSpan.TicksPerSecond;
            _lastTicks = Math.Max(_lastTicks, nowTicks);
            _tokens = Math.Min(_capacity, _tokens + (elapsed * _perSecond));
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }

    /// <summary>Full again: nothing to remember about this client.</summary>
    public bool IsFull(long nowTicks)
    {
        lock (_gate)
        {
            return _tokens + (Math.Max(0, nowTicks - _lastTicks) / (double)TimeSpan.TicksPerSecond * _perSecond) >= _capacity;
        }
    }
}
