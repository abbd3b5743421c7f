namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// A record's value, scaled to the base unit of its quantity (hardware-docs/mbus.md §4). Integers and BCD stay exact:
/// a 64-bit mantissa and a power of ten, rendered by <see cref="ToDecimalText"/> without binary floating point, so
/// billing reads exactly what the meter counted.
/// </summary>
public sealed class MBusValue
{
    public MBusValueKind Kind { get; internal set; }

    public long Mantissa { get; internal set; }

    public int Exponent { get; internal set; }

    public double Real { get; internal set; }

    public string Text { get; internal set; }

    public byte[] Bytes { get; internal set; }

    public int Year { get; internal set; }

    public int Month { get; internal set; }

    public int Day { get; internal set; }

    public int Hour { get; internal set; }

    public int Minute { get; internal set; }

    public int Second { get; internal set; }

    /// <summary>Type F/I summer-time flag.</summary>
    public bool SummerTime { get; internal set; }

    /// <summary>Why an <see cref="MBusValueKind.Invalid"/> value is invalid.</summary>
    public string Problem { get; internal set; }

    /// <summary>
    /// The exact decimal text of a <see cref="MBusValueKind.Decimal"/> value, e.g. 12345 × 10^-3 → "12.345",
    /// 7 × 10^2 → "700", -5 × 10^-3 → "-0.005"; valid as a JSON number. Null for other kinds.
    /// </summary>
    public string ToDecimalText()
    {
        if (Kind != MBusValueKind.Decimal)
        {
            return null;
        }

        return DecimalText(Mantissa, Exponent);
    }

    /// <summary>ISO 8601 text of a date ("2012-01-24") or date-time ("2012-01-24T11:47:00", local time); null otherwise.</summary>
    public string ToIsoText()
    {
        if (Kind == MBusValueKind.Date)
        {
            return Pad(Year, 4) + "-" + Pad(Month, 2) + "-" + Pad(Day, 2);
        }

        if (Kind == MBusValueKind.DateTime)
        {
            return Pad(Year, 4) + "-" + Pad(Month, 2) + "-" + Pad(Day, 2) + "T" + Pad(Hour, 2) + ":" + Pad(Minute, 2) + ":" + Pad(Second, 2);
        }

        return null;
    }

    /// <summary>Hex of <see cref="Bytes"/>, two upper-case digits a byte, no separators; null when there are none.</summary>
    public string ToHexText()
    {
        return Bytes == null ? null : Hex(Bytes, 0, Bytes.Length);
    }

    public static string Hex(byte[] bytes, int offset, int count)
    {
        const string digits = "0123456789ABCDEF";
        char[] text = new char[count * 2];
        for (int i = 0; i < count; i++)
        {
            text[2 * i] = digits[bytes[offset + i] >> 4];
            text[(2 * i) + 1] = digits[bytes[offset + i] & 0xF];
        }

        return new string(text);
    }

    /// <summary>mantissa × 10^exponent as exact decimal text.</summary>
    public static string DecimalText(long mantissa, int exponent)
    {
        if (mantissa == 0)
        {
            return "0";
        }

        bool negative = mantissa < 0;

        // Digits from the negative side, which also holds long.MinValue.
        long rest = negative ? mantissa : -mantissa;
        char[] digits = new char[20];
        int count = 0;
        do
        {
            digits[count++] = (char)('0' - (int)(rest % 10));
            rest /= 10;
        }
        while (rest != 0);

        // digits[] holds the number least significant first.
        int zeros = exponent > 0 ? exponent : 0;
        int fraction = exponent < 0 ? -exponent : 0;
        int integerDigits = count > fraction ? count - fraction : 0;
        int length = (negative ? 1 : 0) + (integerDigits == 0 ? 1 : integerDigits) + zeros + (fraction > 0 ? 1 + fraction : 0);
        char[] text = new char[length];
        int at = 0;
        if (negative)
        {
            text[at++] = '-';
        }

        if (integerDigits == 0)
        {
            text[at++] = '0';
        }
        else
        {
            for (int i = count - 1; i >= fraction; i--)
            {
                text[at++] = digits[i];
            }
        }

        for (int i = 0; i < zeros; i++)
        {
            text[at++] = '0';
        }

        if (fraction > 0)
        {
            text[at++] = '.';
            for (int i = fraction - 1; i >= 0; i--)
            {
                text[at++] = i < count ? digits[i] : '0';
            }
        }

        return new string(text);
    }

    private static string Pad(int value, int width)
    {
        string text = value.ToString();
        while (text.Length < width)
        {
            text = "0" + text;
        }

        return text;
    }
}
