namespace SmartCommunity.Protocol.Wiegand;

/// <summary>
/// Decodes a complete Wiegand frame (hardware-docs/wiegand.md §2). Both formats put one parity bit in front of and
/// one behind the data: the leading bit makes the first half of the data even, the trailing bit makes the second
/// half odd. Anything else is refused with a reason; a frame is never repaired or guessed.
/// </summary>
public static class WiegandDecoder
{
    /// <summary>
    /// Decodes <paramref name="bitCount"/> bits, the first received most significant (bits above bitCount are
    /// ignored), into <paramref name="result"/>. Returns the rejection, <see cref="WiegandRejection.None"/> on success.
    /// </summary>
    public static WiegandRejection Decode(long bits, int bitCount, long endedAtMs, WiegandFrame result)
    {
        if (bitCount > 0 && bitCount < 64)
        {
            bits &= (1L << bitCount) - 1;
        }

        result.SetReceived(bits, bitCount, endedAtMs);
        if (bitCount == (int)WiegandFormat.H10301)
        {
            // Bit 1 even over bits 2-13, bits 2-9 facility, 10-25 card, bit 26 odd over bits 14-25.
            return Decode(bits, bitCount, 24, 12, 16, WiegandFormat.H10301, result);
        }

        if (bitCount == (int)WiegandFormat.H10306)
        {
            // Bit 1 even over bits 2-17, bits 2-17 facility, 18-33 card, bit 34 odd over bits 18-33.
            return Decode(bits, bitCount, 32, 16, 16, WiegandFormat.H10306, result);
        }

        return Reject(WiegandRejection.Length, result);
    }

    /// <summary>
    /// Writes <paramref name="value"/> in decimal ASCII at <paramref name="offset"/> and returns the byte count,
    /// or -1 (writing nothing) when it does not fit.
    /// </summary>
    public static int WriteDecimal(long value, byte[] buffer, int offset)
    {
        // Count and emit digits on the negative side, which also holds long.MinValue.
        long negative = value < 0 ? value : -value;
        int digits = 1;
        for (long rest = negative / 10; rest != 0; rest /= 10)
        {
            digits++;
        }

        int length = value < 0 ? digits + 1 : digits;
        if (buffer == null || offset < 0 || offset > buffer.Length - length)
        {
            return -1;
        }

        if (value < 0)
        {
            buffer[offset] = (byte)'-';
        }

        int position = offset + length - 1;
        for (int i = 0; i < digits; i++)
        {
            buffer[position--] = (byte)('0' - (int)(negative % 10));
            negative /= 10;
        }

        return length;
    }

    private static WiegandRejection Decode(long bits, int bitCount, int dataBits, int halfBits, int cardBits, WiegandFormat format, WiegandFrame result)
    {
        long data = (bits >> 1) & ((1L << dataBits) - 1);
        int leading = (int)(bits >> (bitCount - 1)) & 1;
        int trailing = (int)bits & 1;
        long firstHalf = data >> (dataBits - halfBits);
        long secondHalf = data & ((1L << halfBits) - 1);

        bool evenOk = ((leading + Ones(firstHalf)) & 1) == 0;
        bool oddOk = ((trailing + Ones(secondHalf)) & 1) == 1;
        if (!evenOk || !oddOk)
        {
            return Reject(WiegandRejection.Parity, result);
        }

        int facility = (int)(data >> cardBits);
        int card = (int)(data & ((1L << cardBits) - 1));
        result.SetDecoded(format, facility, card, data);
        return WiegandRejection.None;
    }

    private static WiegandRejection Reject(WiegandRejection rejection, WiegandFrame result)
    {
        result.SetRejected(rejection);
        return rejection;
    }

    private static int Ones(long value)
    {
        int count = 0;
        while (value != 0)
        {
            count += (int)(value & 1);
            value = (long)((ulong)value >> 1);
        }

        return count;
    }
}
