namespace SmartCommunity.Protocol.MBus;

/// <summary>The 2-byte manufacturer field: three letters, 5 bits each, 'A' = 1 (EN 13757-3 §6.3, FLAG association codes).</summary>
public static class MBusManufacturer
{
    /// <summary>"KAM" for 0x2C2D; characters outside A-Z show as '?'.</summary>
    public static string Decode(int code)
    {
        char[] letters = new char[3];
        for (int i = 0; i < 3; i++)
        {
            int value = (code >> (10 - (5 * i))) & 0x1F;
            letters[i] = value >= 1 && value <= 26 ? (char)('A' + value - 1) : '?';
        }

        return new string(letters);
    }

    /// <summary>The code for three letters A-Z (either case), or -1.</summary>
    public static int Encode(string letters)
    {
        if (letters == null || letters.Length != 3)
        {
            return -1;
        }

        int code = 0;
        for (int i = 0; i < 3; i++)
        {
            char c = letters[i];
            if (c >= 'a' && c <= 'z')
            {
                c = (char)(c - 'a' + 'A');
            }

            if (c < 'A' || c > 'Z')
            {
                return -1;
            }

            code = (code << 5) | (c - 'A' + 1);
        }

        return code;
    }
}
