namespace SmartCommunity.Protocol.Tests.Wiegand;

using System;

/// <summary>
/// An encoder written independently of the production one, on strings of '0'/'1' straight from the format
/// descriptions in hardware-docs/wiegand.md §2, so the decoder is not checked against its own arithmetic.
/// </summary>
internal static class ReferenceWiegand
{
    /// <summary>H10301: even parity over bits 2-13, 8-bit facility, 16-bit card, odd parity over bits 14-25.</summary>
    public static string Frame26(int facility, int card) => Frame(Binary(facility, 8) + Binary(card, 16));

    /// <summary>H10306: even parity over bits 2-17, 16-bit facility, 16-bit card, odd parity over bits 18-33.</summary>
    public static string Frame34(int facility, int card) => Frame(Binary(facility, 16) + Binary(card, 16));

    public static long ToBits(string frame)
    {
        long bits = 0;
        foreach (char c in frame)
        {
            bits = bits * 2 + (c == '1' ? 1 : 0);
        }

        return bits;
    }

    /// <summary>The frame with the character at <paramref name="index"/> (0 = first sent) inverted.</summary>
    public static string Flip(string frame, int index)
    {
        char[] chars = frame.ToCharArray();
        chars[index] = chars[index] == '1' ? '0' : '1';
        return new string(chars);
    }

    private static string Frame(string data)
    {
        string firstHalf = data.Substring(0, data.Length / 2);
        string secondHalf = data.Substring(data.Length / 2);
        char even = Ones(firstHalf) % 2 == 0 ? '0' : '1';
        char odd = Ones(secondHalf) % 2 == 0 ? '1' : '0';
        return even + data + odd;
    }

    private static string Binary(int value, int width)
    {
        string text = Convert.ToString(value, 2);
        if (text.Length > width)
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        return text.PadLeft(width, '0');
    }

    private static int Ones(string bits)
    {
        int count = 0;
        foreach (char c in bits)
        {
            count += c == '1' ? 1 : 0;
        }

        return count;
    }
}
