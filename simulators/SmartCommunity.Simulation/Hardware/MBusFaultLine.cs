namespace SmartCommunity.Simulation.Hardware;

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Protocol.MBus;

/// <summary>What goes wrong with one answer on the wire.</summary>
public enum MBusLineFault
{
    /// <summary>The answer never reaches the master (the meter did answer).</summary>
    Lost,

    /// <summary>The UART flags a parity error on a byte in the middle, whose value is also wrong.</summary>
    ParityError,

    /// <summary>A bit of a byte in the middle flips without the UART noticing (left to the checksum).</summary>
    FlippedBit,

    /// <summary>A byte in the middle arrives twice.</summary>
    DuplicatedByte,

    /// <summary>Noise before the answer: bytes that start no frame.</summary>
    NoiseBefore,
}

/// <summary>
/// Wraps a real M-Bus line (in tests, the serial port on a pseudo-terminal) and spoils chosen answers at the byte
/// level (hardware-docs/mbus-master.md §7): a pseudo-terminal cannot make parity or framing errors, so they are made
/// here. <see cref="Arm"/> queues a fault for the answer to the next request that matches.
/// </summary>
public sealed class MBusFaultLine(IMBusLine inner) : IMBusLine
{
    private readonly Lock _gate = new();
    private readonly Queue<(MBusLineFault Fault, Func<byte[], bool> When)> _armed = new();
    private readonly Queue<byte> _pending = new();
    private MBusLineFault? _current;
    private bool _spoiled;
    private int _applied;

    public string Name => inner.Name;

    /// <summary>Faults applied so far.</summary>
    public int Applied => Volatile.Read(ref _applied);

    /// <summary>Faults armed and not yet applied.</summary>
    public int Armed
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count;
            }
        }
    }

    /// <summary>True for a REQ_UD2 frame (10 5B/7B A CS 16).</summary>
    public static bool IsReqUd2(byte[] request) => request.Length == MBusLink.ShortFrameLength && request[0] == MBusLink.ShortStart && (request[1] & 0xDF) == MBusLink.ReqUd2;

    /// <summary>Spoils the answer to the next request for which <paramref name="when"/> holds (any request when null).</summary>
    public void Arm(MBusLineFault fault, Func<byte[], bool>? when = null)
    {
        lock (_gate)
        {
            _armed.Enqueue((fault, when ?? (_ => true)));
        }
    }

    public async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _pending.Clear();
            _spoiled = false;
            _current = null;
            if (_armed.TryPeek(out var next) && next.When(bytes))
            {
                _armed.Dequeue();
                _current = next.Fault;
            }
        }

        await inner.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MBusLineRead> ReadAsync(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_pending.Count > 0)
            {
                return new MBusLineRead(TakePending(buffer, offset, count), false);
            }
        }

        MBusLineRead read = await inner.ReadAsync(buffer, offset, count, timeout, cancellationToken).ConfigureAwait(false);
        MBusLineFault? fault;
        lock (_gate)
        {
            fault = read.Count > 0 && !_spoiled ? _current : null;
            if (fault is not null)
            {
                _spoiled = true;
                Interlocked.Increment(ref _applied);
            }
        }

        if (fault is null)
        {
            return read;
        }

        int middle = offset + (read.Count / 2);
        switch (fault.Value)
        {
            case MBusLineFault.Lost:
                // Swallow it all, and report the silence the master would have heard.
                while ((await inner.ReadAsync(buffer, offset, count, timeout, cancellationToken).ConfigureAwait(false)).Count > 0)
                {
                }

                return new MBusLineRead(0, false);
            case MBusLineFault.ParityError:
                buffer[middle] ^= 0x01;
                return new MBusLineRead(read.Count, true);
            case MBusLineFault.FlippedBit:
                buffer[middle] ^= 0x10;
                return read;
            case MBusLineFault.DuplicatedByte:
                return Reshape(buffer, offset, count, read.Count, middle, [buffer[middle]]);
            default:
                return Reshape(buffer, offset, count, read.Count, offset, [0x00, 0xFF, 0x3C]);
        }
    }

    public void DiscardInput()
    {
        lock (_gate)
        {
            _pending.Clear();
        }

        inner.DiscardInput();
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    // Inserts bytes at a position; what no longer fits the caller's buffer comes with the next read.
    private MBusLineRead Reshape(byte[] buffer, int offset, int count, int read, int insertAt, byte[] insert)
    {
        var bytes = new List<byte>(read + insert.Length);
        for (int i = offset; i < offset + read; i++)
        {
            if (i == insertAt)
            {
                bytes.AddRange(insert);
            }

            bytes.Add(buffer[i]);
        }

        lock (_gate)
        {
            foreach (byte b in bytes)
            {
                _pending.Enqueue(b);
            }

            return new MBusLineRead(TakePending(buffer, offset, count), false);
        }
    }

    private int TakePending(byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && _pending.TryDequeue(out byte b))
        {
            buffer[offset + n++] = b;
        }

        return n;
    }
}
