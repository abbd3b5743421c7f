namespace SmartCommunity.Firmware.Messaging;

/// <summary>A repeating deadline on the monotonic clock (heartbeats, telemetry); wrap-safe comparison.</summary>
public sealed class Cadence
{
    private readonly long _periodMs;
    private long _lastMs;

    public Cadence(long periodMs, long startMs)
    {
        _periodMs = periodMs;
        _lastMs = startMs;
    }

    public bool IsDue(long nowMs)
    {
        if (nowMs - _lastMs < _periodMs)
        {
            return false;
        }

        _lastMs = nowMs;
        return true;
    }

    public void Restart(long nowMs)
    {
        _lastMs = nowMs;
    }
}
