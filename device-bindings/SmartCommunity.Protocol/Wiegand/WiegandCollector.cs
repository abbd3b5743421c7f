namespace SmartCommunity.Protocol.Wiegand;

using System;

/// <summary>
/// Assembles Wiegand bits into frames and hands them to the loop decoded (hardware-docs/wiegand.md §3).
/// <para>
/// The input adapter calls <see cref="Bit"/> once per pulse on D0 (a 0) or D1 (a 1); it, or the reader hardware,
/// owns the pulse itself (20-100 µs wide, far below this class's millisecond resolution). This class owns the
/// framing: a frame ends when no bit has come for <see cref="WiegandSettings.FrameGapMs"/>, noticed either by the
/// next <see cref="Bit"/> or by <see cref="Poll"/>, which the loop must call every step so that the last frame of a
/// burst closes without waiting for another card. Too many bits (Overflow) or bits still arriving after
/// <see cref="WiegandSettings.MaxFrameMs"/> (Timeout) refuse the frame at once, and every bit up to the next quiet
/// gap is then discarded, so the tail of a bad burst can never pass as a card of its own.
/// </para>
/// <para>
/// <see cref="Bit"/> may run on a GPIO event thread while the loop calls <see cref="Poll"/>; both take one short
/// lock. Closed frames wait in a small preallocated queue; when it is full the newest is dropped and counted.
/// Times are the caller's monotonic milliseconds, compared as differences so a counter wrap is harmless.
/// Nothing here allocates after construction.
/// </para>
/// </summary>
public sealed class WiegandCollector
{
    private const int Idle = 0;
    private const int Collecting = 1;
    private const int Discarding = 2;

    private readonly object _gate = new object();
    private readonly long _frameGapMs;
    private readonly long _maxFrameMs;
    private readonly int _maxBits;
    private readonly long[] _queuedBits;
    private readonly int[] _queuedCounts;
    private readonly long[] _queuedEndedAtMs;
    private readonly int[] _queuedRejections;
    private readonly long[] _rejections = new long[(int)WiegandRejection.QueueFull + 1];
    private int _queueHead;
    private int _queueCount;
    private int _state = Idle;
    private long _bits;
    private int _bitCount;
    private long _firstBitMs;
    private long _lastBitMs;
    private long _bitsReceived;
    private long _accepted;
    private long _rejected;

    public WiegandCollector(WiegandSettings settings)
    {
        if (settings == null)
        {
            throw new ArgumentNullException("settings");
        }

        _frameGapMs = Clamp(settings.FrameGapMs, WiegandSettings.MinFrameGapMs, WiegandSettings.MaxFrameGapMs);
        _maxFrameMs = Clamp(settings.MaxFrameMs, _frameGapMs + 1, WiegandSettings.MaxMaxFrameMs);
        _maxBits = (int)Clamp(settings.MaxBits, WiegandSettings.MinMaxBits, WiegandSettings.MaxMaxBits);
        int queueLength = (int)Clamp(settings.QueueLength, 1, WiegandSettings.MaxQueueLength);
        _queuedBits = new long[queueLength];
        _queuedCounts = new int[queueLength];
        _queuedEndedAtMs = new long[queueLength];
        _queuedRejections = new int[queueLength];
    }

    /// <summary>The quiet time that ends a frame, after clamping.</summary>
    public long FrameGapMs => _frameGapMs;

    public long MaxFrameMs => _maxFrameMs;

    public int MaxBits => _maxBits;

    public int QueueLength => _queuedBits.Length;

    /// <summary>Every pulse ever passed to <see cref="Bit"/>, for diagnostics.</summary>
    public long BitsReceived
    {
        get
        {
            lock (_gate)
            {
                return _bitsReceived;
            }
        }
    }

    /// <summary>Frames decoded and handed out by <see cref="Poll"/>.</summary>
    public long Accepted
    {
        get
        {
            lock (_gate)
            {
                return _accepted;
            }
        }
    }

    /// <summary>Frames refused for any reason, counted when the reason is known (see <see cref="RejectedFor"/>).</summary>
    public long Rejected
    {
        get
        {
            lock (_gate)
            {
                return _rejected;
            }
        }
    }

    /// <summary>
    /// Frames refused for one reason. Overflow, Timeout and QueueFull count when the collector sees them; Length
    /// and Parity when <see cref="Poll"/> decodes the frame.
    /// </summary>
    public long RejectedFor(WiegandRejection reason)
    {
        int index = (int)reason;
        if (index <= 0 || index >= _rejections.Length)
        {
            return 0;
        }

        lock (_gate)
        {
            return _rejections[index];
        }
    }

    /// <summary>One pulse: 0 from D0, 1 from D1, at the adapter's time of the pulse.</summary>
    public void Bit(int bit, long nowMs)
    {
        if (bit != 0 && bit != 1)
        {
            throw new ArgumentOutOfRangeException("bit");
        }

        lock (_gate)
        {
            _bitsReceived++;
            if (_state != Idle && nowMs - _lastBitMs >= _frameGapMs)
            {
                // This pulse follows a quiet gap: the frame before it is over.
                CloseFrame();
            }

            if (_state == Discarding)
            {
                _lastBitMs = nowMs;
                return;
            }

            if (_state == Idle)
            {
                _state = Collecting;
                _bits = 0;
                _bitCount = 0;
                _firstBitMs = nowMs;
            }

            _lastBitMs = nowMs;
            if (nowMs - _firstBitMs >= _maxFrameMs)
            {
                RefuseFrame(WiegandRejection.Timeout);
                return;
            }

            if (_bitCount == _maxBits)
            {
                RefuseFrame(WiegandRejection.Overflow);
                return;
            }

            _bits = (_bits << 1) | (long)bit;
            _bitCount++;
        }
    }

    /// <summary>
    /// Closes a frame whose gap or time limit has passed, then writes the oldest closed frame into
    /// <paramref name="frame"/>: true with <see cref="WiegandFrame.IsValid"/> for a card, true with a
    /// <see cref="WiegandFrame.Rejection"/> for a refused frame, false when no frame is waiting. Call every loop
    /// step; a backlog drains one frame per call.
    /// </summary>
    public bool Poll(long nowMs, WiegandFrame frame)
    {
        if (frame == null)
        {
            throw new ArgumentNullException("frame");
        }

        long bits;
        int count;
        long endedAtMs;
        int rejection;
        lock (_gate)
        {
            if (_state != Idle && nowMs - _lastBitMs >= _frameGapMs)
            {
                CloseFrame();
            }
            else if (_state == Collecting && nowMs - _firstBitMs >= _maxFrameMs)
            {
                // Still inside a burst at the time limit: refuse now and drop the rest of the burst.
                RefuseFrame(WiegandRejection.Timeout);
            }

            if (_queueCount == 0)
            {
                return false;
            }

            bits = _queuedBits[_queueHead];
            count = _queuedCounts[_queueHead];
            endedAtMs = _queuedEndedAtMs[_queueHead];
            rejection = _queuedRejections[_queueHead];
            _queueHead = (_queueHead + 1) % _queuedBits.Length;
            _queueCount--;
        }

        if (rejection != (int)WiegandRejection.None)
        {
            // Already counted when it was refused; only describe it.
            frame.SetReceived(bits, count, endedAtMs);
            frame.SetRejected((WiegandRejection)rejection);
            return true;
        }

        WiegandRejection decoded = WiegandDecoder.Decode(bits, count, endedAtMs, frame);
        lock (_gate)
        {
            if (decoded == WiegandRejection.None)
            {
                _accepted++;
            }
            else
            {
                Count(decoded);
            }
        }

        return true;
    }

    /// <summary>Called under the lock when a quiet gap ends the current frame or discarded burst.</summary>
    private void CloseFrame()
    {
        if (_state == Collecting)
        {
            Enqueue(WiegandRejection.None);
        }

        _state = Idle;
    }

    /// <summary>Called under the lock: refuses the frame being collected and ignores bits until the next gap.</summary>
    private void RefuseFrame(WiegandRejection reason)
    {
        Count(reason);
        Enqueue(reason);
        _state = Discarding;
    }

    private void Enqueue(WiegandRejection rejection)
    {
        if (_queueCount == _queuedBits.Length)
        {
            // A refused frame is already counted under its own reason; only a frame that might have been a card
            // counts as QueueFull.
            if (rejection == WiegandRejection.None)
            {
                Count(WiegandRejection.QueueFull);
            }

            return;
        }

        int slot = (_queueHead + _queueCount) % _queuedBits.Length;
        _queuedBits[slot] = _bits;
        _queuedCounts[slot] = _bitCount;
        _queuedEndedAtMs[slot] = _lastBitMs;
        _queuedRejections[slot] = (int)rejection;
        _queueCount++;
    }

    private void Count(WiegandRejection reason)
    {
        _rejected++;
        _rejections[(int)reason]++;
    }

    private static long Clamp(long value, long min, long max)
    {
        return value < min ? min : value > max ? max : value;
    }
}
