namespace SmartCommunity.Firmware.Devices.PulseMeter;

/// <summary>
/// One S0 pulse input (EN 62053-31): the edges a GPIO interrupt captured, turned into counted pulses
/// (hardware-docs/pulse-meter.md, "Counting").
/// <para>
/// The board adapter calls <see cref="Edge"/> on every change of the input with the level it read and the uptime it
/// happened at; that may run on a GPIO event thread. The loop calls <see cref="Poll"/> every step. The loop step
/// (about 50 ms) is longer than a 30 ms pulse, so the level is never sampled: widths come from the edges' own times,
/// which wait in a small preallocated ring under one short lock. Nothing here allocates after construction.
/// </para>
/// <para>
/// Filtering, in this order: a level that does not hold for <c>bounceMs</c> is contact bounce and is merged into
/// the level around it, and a settled change is dated from the first edge of its bounce, so bounce neither splits
/// a pulse nor shortens it. A settled ON then counts when it ends, if it lasted at least <c>minOnMs</c> and the
/// OFF before it lasted at least <c>minOffMs</c>; anything else that settled is a rejected pulse. Counting at the
/// end means a pulse cut short by a power cut is never counted, so a restart can never count it twice.
/// </para>
/// </summary>
public sealed class S0PulseInput
{
    /// <summary>Edges the ring holds between two polls (a bouncing contact gives a few per transition).</summary>
    public const int DefaultCapacity = 64;

    private readonly object _gate = new object();
    private readonly long _minOnMs;
    private readonly long _minOffMs;
    private readonly long _bounceMs;

    // Written by Edge under the lock; read and emptied by Poll under the lock.
    private readonly long[] _ringTimes;
    private readonly bool[] _ringLevels;
    private int _ringHead;
    private int _ringCount;
    private bool _overrun;
    private bool _overrunLevel;
    private long _overrunFirstAtMs;
    private long _overrunAtMs;
    private long _edgesReceived;

    // Poll's private copy of the ring, so the lock is held only for the copy.
    private readonly long[] _batchTimes;
    private readonly bool[] _batchLevels;

    // The loop's view of the input; touched only by Poll.
    private long _lastTimeMs;
    private bool _raw;
    private long _rawSinceMs;
    private bool _settled;
    private bool _changing;
    private long _changeStartMs;
    private long _onSinceMs;
    private long _offSinceMs;
    private bool _gapBeforeOk;
    private long _pulses;
    private long _rejected;
    private long _overruns;
    private long _firstNewPulseAtMs;
    private long _lastPulseAtMs;
    private int _newPulses;

    /// <param name="startMs">Boot time: the input is taken as OFF since then, so a pulse already ON at boot is never counted.</param>
    public S0PulseInput(long minOnMs, long minOffMs, long bounceMs, int capacity, long startMs)
    {
        _minOnMs = minOnMs;
        _minOffMs = minOffMs;
        _bounceMs = bounceMs < 0 ? 0 : bounceMs;
        if (capacity < 2)
        {
            capacity = 2;
        }

        _ringTimes = new long[capacity];
        _ringLevels = new bool[capacity];
        _batchTimes = new long[capacity];
        _batchLevels = new bool[capacity];
        _lastTimeMs = startMs;
        _rawSinceMs = startMs;
        _offSinceMs = startMs;
    }

    /// <summary>Valid pulses counted since boot.</summary>
    public long Pulses => _pulses;

    /// <summary>Settled ON periods that did not count: too short, or after too short an OFF gap (noise).</summary>
    public long Rejected => _rejected;

    /// <summary>Times the ring was full and edges were lost; the pulse in progress then is not counted.</summary>
    public long Overruns => _overruns;

    /// <summary>Time of the first pulse counted by the last <see cref="Poll"/> that counted any.</summary>
    public long FirstNewPulseAtMs => _firstNewPulseAtMs;

    /// <summary>Time of the latest counted pulse (its OFF edge).</summary>
    public long LastPulseAtMs => _lastPulseAtMs;

    /// <summary>The settled level: true while a pulse is ON.</summary>
    public bool IsOn => _settled;

    public long EdgesReceived
    {
        get
        {
            lock (_gate)
            {
                return _edgesReceived;
            }
        }
    }

    /// <summary>One change of the input: <paramref name="on"/> is the level read after it, at <paramref name="atMs"/> uptime.</summary>
    public void Edge(bool on, long atMs)
    {
        lock (_gate)
        {
            _edgesReceived++;
            if (_ringCount == _ringTimes.Length)
            {
                // Keep when the loss began and the last level and time, so Poll can pick the input up again.
                if (!_overrun)
                {
                    _overrunFirstAtMs = atMs;
                }

                _overrun = true;
                _overrunLevel = on;
                _overrunAtMs = atMs;
                return;
            }

            int slot = (_ringHead + _ringCount) % _ringTimes.Length;
            _ringTimes[slot] = atMs;
            _ringLevels[slot] = on;
            _ringCount++;
        }
    }

    /// <summary>Takes the captured edges and settles what <paramref name="nowMs"/> allows; returns the pulses newly counted.</summary>
    public int Poll(long nowMs)
    {
        int count;
        bool overrun;
        bool overrunLevel;
        long overrunFirstAtMs;
        long overrunAtMs;
        lock (_gate)
        {
            count = _ringCount;
            for (int i = 0; i < count; i++)
            {
                int slot = (_ringHead + i) % _ringTimes.Length;
                _batchTimes[i] = _ringTimes[slot];
                _batchLevels[i] = _ringLevels[slot];
            }

            _ringHead = 0;
            _ringCount = 0;
            overrun = _overrun;
            overrunLevel = _overrunLevel;
            overrunFirstAtMs = _overrunFirstAtMs;
            overrunAtMs = _overrunAtMs;
            _overrun = false;
        }

        _newPulses = 0;
        for (int i = 0; i < count; i++)
        {
            Raw(_batchLevels[i], _batchTimes[i]);
        }

        if (overrun)
        {
            // What was captured held at least until the first lost edge; after that only the last level is known.
            Settle(Monotonic(overrunFirstAtMs));
            Resync(overrunLevel, overrunAtMs);
        }

        Settle(Monotonic(nowMs));
        return _newPulses;
    }

    // An edge stamped before the last time already decided (a handler that stamped, then waited for the lock) is
    // taken as happening at that time: decisions already made stand.
    private long Monotonic(long atMs)
    {
        if (atMs - _lastTimeMs < 0)
        {
            return _lastTimeMs;
        }

        _lastTimeMs = atMs;
        return atMs;
    }

    private void Raw(bool on, long atMs)
    {
        long t = Monotonic(atMs);
        Settle(t);
        if (on == _raw)
        {
            // Same level again: an edge between the two was missed. Nothing changed.
            return;
        }

        _raw = on;
        _rawSinceMs = t;
        if (on != _settled && !_changing)
        {
            _changing = true;
            _changeStartMs = t;
        }
    }

    // A pending change settles once the raw level has held the new value for the bounce time; a raw level back at
    // the settled value for that long was a glitch and is dropped.
    private void Settle(long t)
    {
        if (!_changing || t - _rawSinceMs < _bounceMs)
        {
            return;
        }

        _changing = false;
        if (_raw != _settled)
        {
            Transition(_raw, _changeStartMs);
        }
    }

    private void Transition(bool on, long atMs)
    {
        _settled = on;
        if (on)
        {
            _gapBeforeOk = atMs - _offSinceMs >= _minOffMs;
            _onSinceMs = atMs;
            return;
        }

        _offSinceMs = atMs;
        if (_gapBeforeOk && atMs - _onSinceMs >= _minOnMs)
        {
            _pulses++;
            if (_newPulses == 0)
            {
                _firstNewPulseAtMs = atMs;
            }

            _newPulses++;
            _lastPulseAtMs = atMs;
        }
        else
        {
            _rejected++;
        }
    }

    // Edges were lost: take the last level seen as settled from its time, and do not count an ON in progress
    // (its start is unknown). Losing a pulse is the safe side: a count is never invented.
    private void Resync(bool on, long atMs)
    {
        long t = Monotonic(atMs);
        _overruns++;
        _changing = false;
        _raw = on;
        _rawSinceMs = t;
        if (on)
        {
            _settled = true;
            _gapBeforeOk = false;
            _onSinceMs = t;
        }
        else
        {
            _settled = false;
            _offSinceMs = t;
        }
    }
}
