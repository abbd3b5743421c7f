namespace SmartCommunity.Firmware.Devices.DoorController;

using SmartCommunity.Firmware.Hal;

/// <summary>
/// The door's idea of wall time, for allow-list validity windows (hardware-docs/door-controller.md, "Time").
/// The only reference is the "now" of the edge's last allow-list command; the device keeps now - uptime. The last
/// known time is saved, so after a restart without the edge the door knows the time is at least that (a lower bound).
/// </summary>
public sealed class WallClock
{
    public const string StoreKey = "door-time";

    private readonly INonVolatileStore _store;
    private readonly byte[] _record = new byte[8];
    private bool _known;
    private bool _fromEdge;
    private long _unixAtReferenceS;
    private long _uptimeAtReferenceMs;
    private long _lastSaveMs;
    private long _saves;

    /// <param name="store">Where the last known time is kept; null keeps nothing across restarts.</param>
    public WallClock(INonVolatileStore store)
    {
        _store = store;
    }

    /// <summary>Some reference exists: from the edge since this boot, or the saved lower bound.</summary>
    public bool IsKnown => _known;

    /// <summary>The reference came from the edge since this boot (not only the saved lower bound).</summary>
    public bool IsFromEdge => _fromEdge;

    public long Saves => _saves;

    /// <summary>Unix seconds now; meaningful only when <see cref="IsKnown"/>.</summary>
    public long UnixSeconds(long nowMs)
    {
        return _unixAtReferenceS + ((nowMs - _uptimeAtReferenceMs) / 1000);
    }

    /// <summary>Reads the saved time (boot only): time now is at least that, since the clock kept running while off.</summary>
    public void Load(long nowMs)
    {
        if (_store == null || _store.Read(StoreKey, _record) != 8)
        {
            return;
        }

        long saved = 0;
        for (int i = 7; i >= 0; i--)
        {
            saved = (saved << 8) | _record[i];
        }

        if (saved <= 0)
        {
            return;
        }

        _known = true;
        _unixAtReferenceS = saved;
        _uptimeAtReferenceMs = nowMs;
        _lastSaveMs = nowMs;
    }

    /// <summary>Takes the edge's clock as the reference and saves it.</summary>
    public void Set(long unixSeconds, long nowMs)
    {
        _known = true;
        _fromEdge = true;
        _unixAtReferenceS = unixSeconds;
        _uptimeAtReferenceMs = nowMs;
        Save(nowMs);
    }

    /// <summary>Saves the time every <paramref name="saveEveryMs"/> (0 = never), to keep the saved lower bound recent.</summary>
    public void Step(long nowMs, long saveEveryMs)
    {
        if (_known && saveEveryMs > 0 && nowMs - _lastSaveMs >= saveEveryMs)
        {
            Save(nowMs);
        }
    }

    private void Save(long nowMs)
    {
        _lastSaveMs = nowMs;
        if (_store == null)
        {
            return;
        }

        long value = UnixSeconds(nowMs);
        for (int i = 0; i < 8; i++)
        {
            _record[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        _store.Write(StoreKey, _record, 8);
        _saves++;
    }
}
