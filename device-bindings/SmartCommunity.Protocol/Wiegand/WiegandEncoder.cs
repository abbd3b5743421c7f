namespace SmartCommunity.Protocol.Wiegand;

using System;

/// <summary>
/// Builds frames in the layout <see cref="WiegandDecoder"/> reads (hardware-docs/wiegand.md §2), for the simulator's
/// virtual readers and for HIL tests that drive D0/D1 of a real controller.
/// </summary>
public static class WiegandEncoder
{
    /// <summary>A 26-bit H10301 frame, first bit most significant. Facility 0-255, card 0-65535.</summary>
    public static long Encode26(int facilityCode, int cardNumber)
    {
        Check(facilityCode, 0xFF, "facilityCode");
        Check(cardNumber, 0xFFFF, "cardNumber");
        return Encode(((long)facilityCode << 16) | (long)cardNumber, 24);
    }

    /// <summary>A 34-bit H10306 frame, first bit most significant. Facility 0-65535, card 0-65535.</summary>
    public static long Encode34(int facilityCode, int cardNumber)
    {
        Check(facilityCode, 0xFFFF, "facilityCode");
        Check(cardNumber, 0xFFFF, "cardNumber");
        return Encode(((long)facilityCode << 16) | (long)cardNumber, 32);
    }

    /// <summary>Bit <paramref name="index"/> (0 = sent first) of a frame of <paramref name="bitCount"/> bits: 0 on D0, 1 on D1.</summary>
    public static int BitAt(long bits, int bitCount, int index)
    {
        if (index < 0 || index >= bitCount)
        {
            throw new ArgumentOutOfRangeException("index");
        }

        return (int)(bits >> (bitCount - 1 - index)) & 1;
    }

    private static long Encode(long data, int dataBits)
    {
        int halfBits = dataBits / 2;
        long firstHalf = data >> halfBits;
        long secondHalf = data & ((1L << halfBits) - 1);
        long leading = Parity(firstHalf);
        long trailing = Parity(secondHalf) ^ 1;
        return (leading << (dataBits + 1)) | (data << 1) | trailing;
    }

    /// <summary>1 when the value has an odd number of ones, so that bit plus the value is even.</summary>
    private static long Parity(long value)
    {
        long parity = 0;
        while (value != 0)
        {
            parity ^= value & 1;
            value >>= 1;
        }

        return parity;
    }

    private static void Check(int value, int max, string name)
    {
        if (value < 0 || value > max)
        {
            throw new ArgumentOutOfRangeException(name);
        }
    }
}
