namespace SmartCommunity.Simulation.Hardware;

using System;
using System.Collections.Generic;
using SmartCommunity.Firmware.Devices.DoorController;

/// <summary>
/// A Wiegand card reader's two data lines as seen from the controller (hardware-docs/wiegand.md): each card it reads
/// goes out as a burst of pulses, one per bit, a pulse on D0 for a 0 and on D1 for a 1, <see cref="BitInterval"/>
/// apart, on a <see cref="TimeProvider"/> (virtual time in a scenario). The pulses stay on the line until
/// <see cref="DeliverTo"/> hands them to the controller's <see cref="WiegandCardReader"/>, each stamped with the
/// controller's clock as of the moment it happened, as an interrupt handler would have stamped it, so pulses picked up
/// a few steps late still form one frame. The reader is outside the microcontroller: it survives the controller's
/// reboots, while the controller's reader interface (with its collector) is in RAM and is built anew at each boot.
/// <para>
/// What the frame holds is the sender's business: <see cref="Send"/> puts any bits on the line, so a scenario can send
/// a frame with a wrong parity bit or a wrong length as easily as a good card (<c>WiegandEncoder</c> builds those).
/// </para>
/// </summary>
public sealed class SimulatedWiegandReader(TimeProvider time)
{
    /// <summary>Time from one pulse to the next within a frame: readers use 0.2-20 ms; 2 ms is a common one.</summary>
    public static readonly TimeSpan BitInterval = TimeSpan.FromMilliseconds(2);

    /// <summary>The line stays quiet at least this long between two frames (far above the collector's 25 ms gap).</summary>
    public static readonly TimeSpan FrameSpacing = TimeSpan.FromMilliseconds(100);

    private readonly object _gate = new();
    private readonly Queue<Pulse> _pulses = new();
    private DateTimeOffset _lineFreeAt = DateTimeOffset.MinValue;
    private long _frames;

    /// <summary>Frames put on the line since the reader was fitted.</summary>
    public long FramesSent
    {
        get
        {
            lock (_gate)
            {
                return _frames;
            }
        }
    }

    /// <summary>Pulses on the line that no adapter has taken yet.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pulses.Count;
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="bitCount"/> bits of <paramref name="bits"/>, the most significant first, starting now (or
    /// once the previous frame and its spacing are over). Returns when the last pulse will be on the line.
    /// </summary>
    public DateTimeOffset Send(long bits, int bitCount)
    {
        if (bitCount < 1 || bitCount > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(bitCount), bitCount, "a Wiegand frame here has 1-64 bits");
        }

        lock (_gate)
        {
            DateTimeOffset now = time.GetUtcNow();
            DateTimeOffset at = now > _lineFreeAt ? now : _lineFreeAt;
            for (int i = 0; i < bitCount; i++)
            {
                _pulses.Enqueue(new Pulse(at, (int)((bits >> (bitCount - 1 - i)) & 1)));
                if (i < bitCount - 1)
                {
                    at += BitInterval;
                }
            }

            _lineFreeAt = at + FrameSpacing;
            _frames++;
            return at;
        }
    }

    /// <summary>
    /// The input adapter's part (hardware-docs/wiegand.md §4): every pulse that has happened by now goes to the
    /// controller's reader, stamped with the controller's uptime at the moment of the pulse (<paramref name="nowMs"/> is
    /// its uptime now). Returns how many.
    /// </summary>
    public int DeliverTo(WiegandCardReader input, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(input);
        DateTimeOffset wall = time.GetUtcNow();
        return TakePulses((bit, at) => input.Bit(bit, nowMs - (long)(wall - at).TotalMilliseconds));
    }

    /// <summary>Hands every pulse that has happened by now to <paramref name="pulse"/> (bit, when), oldest first. Returns how many.</summary>
    public int TakePulses(Action<int, DateTimeOffset> pulse)
    {
        ArgumentNullException.ThrowIfNull(pulse);
        var due = new List<Pulse>();
        lock (_gate)
        {
            DateTimeOffset now = time.GetUtcNow();
            while (_pulses.Count > 0 && _pulses.Peek().At <= now)
            {
                due.Add(_pulses.Dequeue());
            }
        }

        foreach (Pulse p in due)
        {
            pulse(p.Bit, p.At);
        }

        return due.Count;
    }

    private readonly record struct Pulse(DateTimeOffset At, int Bit);
}
