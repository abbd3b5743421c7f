namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// Checks and splits EN 13757-2 frames (hardware-docs/mbus.md §2). Every refusal names what is wrong and at which
/// byte; nothing throws on bad bytes, and parsing allocates nothing.
/// </summary>
public static class MBusFrameParser
{
    /// <summary>
    /// For a master reading a serial line: how many bytes the frame starting at <paramref name="offset"/> occupies,
    /// judged from its first bytes; 0 when too few bytes have arrived to tell; -1 when the first byte starts no frame.
    /// </summary>
    public static int ExpectedLength(byte[] buffer, int offset, int count)
    {
        if (count < 1)
        {
            return 0;
        }

        switch (buffer[offset])
        {
            case MBusLink.Ack:
                return 1;
            case MBusLink.ShortStart:
                return MBusLink.ShortFrameLength;
            case MBusLink.LongStart:
                return count < 2 ? 0 : buffer[offset + 1] + MBusLink.LongFrameOverhead;
            default:
                return -1;
        }
    }

    /// <summary>
    /// Parses exactly one frame occupying <paramref name="count"/> bytes from <paramref name="offset"/> into
    /// <paramref name="frame"/>. Returns null on success, else the reason (offsets relative to <paramref name="offset"/>).
    /// </summary>
    public static MBusError Parse(byte[] buffer, int offset, int count, MBusFrame frame)
    {
        if (buffer == null || count <= 0 || offset < 0 || offset + count > buffer.Length)
        {
            return new MBusError(MBusErrorCodes.TooShort, 0, "no frame bytes");
        }

        byte start = buffer[offset];
        if (start == MBusLink.Ack)
        {
            if (count != 1)
            {
                return new MBusError(MBusErrorCodes.TrailingBytes, 1, "single character E5 followed by " + (count - 1).ToString() + " more bytes");
            }

            frame.Set(MBusFrameKind.Ack, 0, 0, 0, buffer, offset, offset + 1, 0, 1);
            return null;
        }

        if (start == MBusLink.ShortStart)
        {
            return ParseShort(buffer, offset, count, frame);
        }

        if (start == MBusLink.LongStart)
        {
            return ParseLong(buffer, offset, count, frame);
        }

        return new MBusError(MBusErrorCodes.StartByte, 0, "start byte 0x" + start.ToString("X2") + " is none of E5, 10, 68");
    }

    private static MBusError ParseShort(byte[] buffer, int offset, int count, MBusFrame frame)
    {
        if (count < MBusLink.ShortFrameLength)
        {
            return new MBusError(MBusErrorCodes.TooShort, count, "short frame needs 5 bytes (10 C A CS 16), got " + count.ToString());
        }

        if (count > MBusLink.ShortFrameLength)
        {
            return new MBusError(MBusErrorCodes.TrailingBytes, MBusLink.ShortFrameLength, "short frame followed by " + (count - MBusLink.ShortFrameLength).ToString() + " more bytes");
        }

        byte sum = MBusLink.Checksum(buffer, offset + 1, 2);
        if (buffer[offset + 3] != sum)
        {
            return ChecksumError(3, buffer[offset + 3], sum);
        }

        if (buffer[offset + 4] != MBusLink.Stop)
        {
            return StopError(4, buffer[offset + 4]);
        }

        frame.Set(MBusFrameKind.Short, buffer[offset + 1], buffer[offset + 2], 0, buffer, offset, offset + 3, 0, MBusLink.ShortFrameLength);
        return null;
    }

    private static MBusError ParseLong(byte[] buffer, int offset, int count, MBusFrame frame)
    {
        if (count < 4)
        {
            return new MBusError(MBusErrorCodes.TooShort, count, "long frame header 68 L L 68 cut short after " + count.ToString() + " bytes");
        }

        int length = buffer[offset + 1];
        if (buffer[offset + 2] != length)
        {
            return new MBusError(MBusErrorCodes.LengthMismatch, 2, "the two length bytes differ (0x" + ((byte)length).ToString("X2") + " and 0x" + buffer[offset + 2].ToString("X2") + ")");
        }

        if (buffer[offset + 3] != MBusLink.LongStart)
        {
            return new MBusError(MBusErrorCodes.StartByte, 3, "second start byte is 0x" + buffer[offset + 3].ToString("X2") + ", expected 68");
        }

        if (length < 3)
        {
            return new MBusError(MBusErrorCodes.LengthMismatch, 1, "L = " + length.ToString() + " is below 3 (C, A and CI)");
        }

        int total = length + MBusLink.LongFrameOverhead;
        if (count < total)
        {
            return new MBusError(MBusErrorCodes.LengthMismatch, count, "L = " + length.ToString() + " announces " + total.ToString() + " frame bytes but only " + count.ToString() + " are there");
        }

        if (count > total)
        {
            return new MBusError(MBusErrorCodes.TrailingBytes, total, "L = " + length.ToString() + " announces " + total.ToString() + " frame bytes but " + count.ToString() + " are there");
        }

        byte sum = MBusLink.Checksum(buffer, offset + 4, length);
        int checksumAt = 4 + length;
        if (buffer[offset + checksumAt] != sum)
        {
            return ChecksumError(checksumAt, buffer[offset + checksumAt], sum);
        }

        if (buffer[offset + checksumAt + 1] != MBusLink.Stop)
        {
            return StopError(checksumAt + 1, buffer[offset + checksumAt + 1]);
        }

        MBusFrameKind kind = length == 3 ? MBusFrameKind.Control : MBusFrameKind.Long;
        frame.Set(kind, buffer[offset + 4], buffer[offset + 5], buffer[offset + 6], buffer, offset, offset + 7, length - 3, total);
        return null;
    }

    private static MBusError ChecksumError(int at, byte found, byte computed)
    {
        return new MBusError(MBusErrorCodes.Checksum, at, "checksum byte is 0x" + found.ToString("X2") + " but the bytes from C to the last data byte sum to 0x" + computed.ToString("X2"));
    }

    private static MBusError StopError(int at, byte found)
    {
        return new MBusError(MBusErrorCodes.StopByte, at, "stop byte is 0x" + found.ToString("X2") + ", expected 16");
    }
}
