namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// Date and time types of EN 13757-3 Annex A: G (date, 2 bytes), F (date and time to the minute, 4 bytes) and
/// I (date and time to the second, 6 bytes). Years are two digits: 0-80 read as 2000-2080, 81-99 as 1981-1999,
/// the rule libmbus and most meters follow; type F's hundred-year bits add centuries. A date with day or month 0
/// (how meters say "not set") or the invalid bit set decodes as <see cref="MBusValueKind.Invalid"/>.
/// </summary>
internal static class MBusDateTime
{
    public static void Decode(byte[] b, int at, int length, MBusValue value)
    {
        if (length == 2)
        {
            value.Kind = MBusValueKind.Date;
            value.Day = b[at] & 0x1F;
            value.Month = b[at + 1] & 0x0F;
            value.Year = Year(((b[at] & 0xE0) >> 5) | ((b[at + 1] & 0xF0) >> 1), 0);
            Check(value, false);
            return;
        }

        if (length == 4)
        {
            value.Kind = MBusValueKind.DateTime;
            value.Minute = b[at] & 0x3F;
            value.Hour = b[at + 1] & 0x1F;
            value.SummerTime = (b[at + 1] & 0x80) != 0;
            value.Day = b[at + 2] & 0x1F;
            value.Month = b[at + 3] & 0x0F;
            value.Year = Year(((b[at + 2] & 0xE0) >> 5) | ((b[at + 3] & 0xF0) >> 1), (b[at + 1] >> 5) & 0x03);
            Check(value, (b[at] & 0x80) != 0);
            return;
        }

        if (length == 6)
        {
            value.Kind = MBusValueKind.DateTime;
            value.Second = b[at] & 0x3F;
            value.Minute = b[at + 1] & 0x3F;
            value.Hour = b[at + 2] & 0x1F;
            value.Day = b[at + 3] & 0x1F;
            value.Month = b[at + 4] & 0x0F;
            value.Year = Year(((b[at + 3] & 0xE0) >> 5) | ((b[at + 4] & 0xF0) >> 1), 0);
            value.SummerTime = (b[at + 5] & 0x40) != 0;
            Check(value, (b[at + 1] & 0x80) != 0);
            return;
        }

        value.Kind = MBusValueKind.Invalid;
        value.Problem = "a date needs 2, 4 or 6 data bytes, the DIF gives " + length.ToString();
    }

    private static int Year(int twoDigits, int hundreds)
    {
        if (hundreds != 0)
        {
            return 1900 + (100 * hundreds) + twoDigits;
        }

        return twoDigits <= 80 ? 2000 + twoDigits : 1900 + twoDigits;
    }

    private static void Check(MBusValue value, bool invalidBit)
    {
        string problem = null;
        if (invalidBit)
        {
            problem = "the meter marks this time as invalid";
        }
        else if (value.Day < 1 || value.Day > 31 || value.Month < 1 || value.Month > 12)
        {
            problem = "day " + value.Day.ToString() + " month " + value.Month.ToString() + " is not a date (a meter sends zeros for \"not set\")";
        }
        else if (value.Hour > 23 || value.Minute > 59 || value.Second > 59)
        {
            problem = "time " + value.Hour.ToString() + ":" + value.Minute.ToString() + ":" + value.Second.ToString() + " is not a time of day";
        }

        if (problem != null)
        {
            value.Kind = MBusValueKind.Invalid;
            value.Problem = problem;
        }
    }
}
