namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// The 8-byte secondary address a master selects a slave by (EN 13757-3 §11.3, hardware-docs/mbus.md §2.3):
/// identification number (8 BCD digits), manufacturer, version, medium. Any identification digit may be the
/// wildcard 'F'; <see cref="AnyManufacturer"/>, <see cref="AnyVersion"/>, <see cref="AnyMedium"/> match everything.
/// </summary>
public sealed class MBusSecondaryAddress
{
    public const int AnyManufacturer = 0xFFFF;
    public const int AnyVersion = 0xFF;
    public const int AnyMedium = 0xFF;
    public const int Length = 8;

    private readonly string _id;

    /// <param name="identification">8 characters, each 0-9 or F (wildcard), most significant first, e.g. "1234FFFF".</param>
    /// <param name="manufacturer">The 16-bit manufacturer code (see <see cref="MBusManufacturer.Encode"/>) or AnyManufacturer.</param>
    public MBusSecondaryAddress(string identification, int manufacturer, int version, int medium)
    {
        _id = identification;
        Manufacturer = manufacturer;
        Version = version;
        Medium = medium;
    }

    public string Identification => _id;

    public int Manufacturer { get; }

    public int Version { get; }

    public int Medium { get; }

    /// <summary>Matches every slave: "FFFFFFFF", any manufacturer, version and medium.</summary>
    public static MBusSecondaryAddress Wildcard() => new MBusSecondaryAddress("FFFFFFFF", AnyManufacturer, AnyVersion, AnyMedium);

    /// <summary>True when the identification is 8 characters of 0-9/F and the other fields fit their bytes.</summary>
    public bool IsValid()
    {
        if (_id == null || _id.Length != 8 || Manufacturer < 0 || Manufacturer > 0xFFFF || Version < 0 || Version > 0xFF || Medium < 0 || Medium > 0xFF)
        {
            return false;
        }

        for (int i = 0; i < 8; i++)
        {
            char c = _id[i];
            if (!((c >= '0' && c <= '9') || c == 'F' || c == 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the 8 wire bytes at <paramref name="offset"/> (identification LSB first, wildcard nibbles F).</summary>
    public void Write(byte[] output, int offset)
    {
        for (int i = 0; i < 4; i++)
        {
            // Byte 0 holds the last two digits.
            int high = Nibble(_id[6 - (2 * i)]);
            int low = Nibble(_id[7 - (2 * i)]);
            output[offset + i] = (byte)((high << 4) | low);
        }

        output[offset + 4] = (byte)(Manufacturer & 0xFF);
        output[offset + 5] = (byte)(Manufacturer >> 8);
        output[offset + 6] = (byte)Version;
        output[offset + 7] = (byte)Medium;
    }

    private static int Nibble(char c) => c >= '0' && c <= '9' ? c - '0' : 0xF;
}
