namespace SmartCommunity.Protocol.WirelessMBus;

using SmartCommunity.Protocol.MBus;

/// <summary>
/// The meter address as people write it (hardware-docs/wireless-mbus.md §3): the manufacturer as three letters
/// (FLAG code, 5 bits each, 'A' = 1) and the identification number as 8 BCD digits, which on air is 4 bytes least
/// significant first, so bytes 78 56 34 12 are meter "12345678" and the number 0x12345678 here.
/// </summary>
public static class WirelessMBusAddress
{
    public const int IdDigits = 8;

    /// <summary>"AMB" for 0x05A2. A code outside A..Z per letter still gives three characters, so a log shows what came.</summary>
    public static string ManufacturerText(int code)
    {
        char[] letters = new char[3];
        letters[0] = (char)('@' + ((code >> 10) & 0x1F));
        letters[1] = (char)('@' + ((code >> 5) & 0x1F));
        letters[2] = (char)('@' + (code & 0x1F));
        return new string(letters);
    }

    /// <summary>Parses three letters A..Z (either case) into the 15-bit code; false for anything else.</summary>
    public static bool TryParseManufacturer(string text, out int code)
    {
        code = MBusManufacturer.Encode(text);
        if (code < 0)
        {
            code = 0;
            return false;
        }

        return true;
    }

    /// <summary>The 8-digit identification number, e.g. "12345678". Non-BCD nibbles print as A-F, so nothing is hidden.</summary>
    public static string IdText(uint id) => id.ToString("X8");

    /// <summary>Parses exactly 8 decimal digits into the BCD number the telegram carries.</summary>
    public static bool TryParseId(string text, out uint id)
    {
        id = 0;
        if (text == null || text.Length != IdDigits)
        {
            return false;
        }

        uint value = 0;
        for (int i = 0; i < IdDigits; i++)
        {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        id = value;
        return true;
    }

    internal static uint ReadId(byte[] data, int offset)
    {
        return (uint)(data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24));
    }

    internal static void WriteId(uint id, byte[] data, int offset)
    {
        data[offset] = (byte)id;
        data[offset + 1] = (byte)(id >> 8);
        data[offset + 2] = (byte)(id >> 16);
        data[offset + 3] = (byte)(id >> 24);
    }
}
