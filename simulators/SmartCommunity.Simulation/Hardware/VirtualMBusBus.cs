namespace SmartCommunity.Simulation.Hardware;

using System;
using System.Collections.Generic;
using System.Threading;
using SmartCommunity.Protocol.MBus;

/// <summary>
/// Virtual M-Bus meters on one pseudo-terminal (hardware-docs/mbus-master.md §7): a thread reads the master's frames
/// from the pseudo-terminal, hands each to the meters and writes their answers back. Bytes that start no frame are
/// skipped one at a time, and an unfinished frame is dropped after a pause, as a meter's UART would.
/// </summary>
public sealed class VirtualMBusBus : IDisposable
{
    private readonly PseudoTerminal _pty;
    private readonly List<VirtualMBusMeter> _meters;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _frames;
    private long _skipped;

    public VirtualMBusBus(IEnumerable<VirtualMBusMeter> meters)
    {
        _pty = PseudoTerminal.Open();
        _meters = [.. meters];
        _thread = new Thread(Run) { IsBackground = true, Name = "virtual M-Bus " + _pty.DevicePath };
        _thread.Start();
    }

    /// <summary>The serial device the master opens.</summary>
    public string DevicePath => _pty.DevicePath;

    /// <summary>Well-formed frames received from the master.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Bytes dropped because they started no frame or the frame was bad.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        _pty.Dispose();
    }

    private void Run()
    {
        byte[] buffer = new byte[1024];
        var frame = new MBusFrame();
        int have = 0;
        while (!_stop)
        {
            int read = _pty.Read(buffer, have, buffer.Length - have, 20);
            if (read == 0)
            {
                // A pause in the middle of a frame: the rest is not coming.
                Interlocked.Add(ref _skipped, have);
                have = 0;
                continue;
            }

            have += read;
            int at = 0;
            while (at < have)
            {
                int expected = MBusFrameParser.ExpectedLength(buffer, at, have - at);
                if (expected < 0)
                {
                    Interlocked.Increment(ref _skipped);
                    at++;
                    continue;
                }

                if (expected == 0 || have - at < expected)
                {
                    break;
                }

                if (MBusFrameParser.Parse(buffer, at, expected, frame) is null)
                {
                    Interlocked.Increment(ref _frames);
                    Answer(frame);
                }
                else
                {
                    Interlocked.Add(ref _skipped, expected);
                }

                at += expected;
            }

            Array.Copy(buffer, at, buffer, 0, have - at);
            have -= at;
        }
    }

    private void Answer(MBusFrame frame)
    {
        foreach (VirtualMBusMeter meter in _meters)
        {
            // Two meters answering at once collide on the wire; here their bytes simply follow each other, which the
            // master refuses as trailing bytes just the same.
            if (meter.Handle(frame) is { } reply)
            {
                _pty.Write(reply, 0, reply.Length);
            }
        }
    }
}
