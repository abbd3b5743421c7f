namespace SmartCommunity.Protocol.Osdp;

using System;

/// <summary>
/// Cuts packets out of the RS-485 byte stream (hardware-docs/osdp.md §2.3): skips bytes until a start of
/// message (this also skips the optional 0xFF mark byte and line noise), then collects as many bytes as the
/// length field says. A length field that cannot be right drops that start byte and hunts again. The CP
/// clears it before each command, so a partial packet cannot outlive the reply window it belongs to.
/// </summary>
public sealed class OsdpReceiver
{
    private readonly byte[] _buffer;
    private int _count;
    private long _skippedBytes;
    private long _badLengths;

    public OsdpReceiver(int capacity)
    {
        _buffer = new byte[capacity];
    }

    public byte[] Buffer => _buffer;

    /// <summary>Bytes collected; one whole packet once <see cref="Push"/> returned true.</summary>
    public int Length => _count;

    /// <summary>Bytes dropped while hunting for a start of message.</summary>
    public long SkippedBytes => _skippedBytes;

    /// <summary>Candidate packets dropped because their length field was too small or too large.</summary>
    public long BadLengths => _badLengths;

    public void Clear()
    {
        _count = 0;
    }

    /// <summary>
    /// Adds one received byte. Returns true when the buffer holds one whole packet: decode it from
    /// <see cref="Buffer"/>, then <see cref="Clear"/> before pushing more (bytes pushed meanwhile are dropped).
    /// </summary>
    public bool Push(byte value)
    {
        if (IsWhole())
        {
            _skippedBytes++;
            return true;
        }

        if (_count == 0 && value != OsdpCodes.StartOfMessage)
        {
            _skippedBytes++;
            return false;
        }

        _buffer[_count++] = value;
        while (_count >= 4 && !LengthPlausible())
        {
            _badLengths++;
            DropToNextStart();
        }

        return IsWhole();
    }

    private bool IsWhole()
    {
        return _count >= 4 && _count == DeclaredLength();
    }

    private int DeclaredLength()
    {
        return _buffer[2] | (_buffer[3] << 8);
    }

    private bool LengthPlausible()
    {
        int declared = DeclaredLength();
        return declared >= OsdpCodec.MinPacketLength && declared <= _buffer.Length && declared >= _count;
    }

    private void DropToNextStart()
    {
        int next = 1;
        while (next < _count && _buffer[next] != OsdpCodes.StartOfMessage)
        {
            next++;
        }

        _skippedBytes += next;
        _count -= next;
        if (_count > 0)
        {
            Array.Copy(_buffer, next, _buffer, 0, _count);
        }
    }
}
