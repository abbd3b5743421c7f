namespace SmartCommunity.Edge.Metering;

using System;
using SmartCommunity.Protocol.MBus;

/// <summary>Reads a frame written as hex text: pairs of hex digits, with any whitespace between bytes (libmbus's .hex files, a pasted serial log).</summary>
public static class MBusHexText
{
    /// <summary>The bytes, or null with <paramref name="error"/> naming the first bad character (its index in the text).</summary>
    public static byte[]? Parse(string text, out MBusError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new byte[text.Length / 2 + 1];
        int count = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            int high = Digit(text[i]);
            int low = i + 1 < text.Length ? Digit(text[i + 1]) : -1;
            if (high < 0 || low < 0)
            {
                int bad = high < 0 ? i : i + 1;
                string what = bad < text.Length ? "'" + text[bad] + "'" : "the end of the text";
                error = new MBusError(MBusErrorCodes.BadHex, count, "hex text: " + what + " at character " + bad + " where a hex digit was expected (write bytes as pairs of hex digits, spaces allowed)");
                return null;
            }

            bytes[count++] = (byte)((high << 4) | low);
            i += 2;
        }

        error = null;
        return bytes.AsSpan(0, count).ToArray();
    }

    private static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
