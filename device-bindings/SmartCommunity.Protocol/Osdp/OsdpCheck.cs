namespace SmartCommunity.Protocol.Osdp;

/// <summary>
/// The two OSDP check characters (hardware-docs/osdp.md §2.2). The CRC is CRC-16/AUG-CCITT: polynomial 0x1021,
/// initial value 0x1D0F, bits not reflected, no final XOR, sent least significant byte first. It is not
/// CRC-16/KERMIT (reflected, init 0), which some descriptions give; the SIA Annex E vectors tell them apart.
/// </summary>
public static class OsdpCheck
{
    public const int CrcInitial = 0x1D0F;
    public const int CrcPolynomial = 0x1021;

    public static int Crc16(byte[] data, int offset, int length)
    {
        int crc = CrcInitial;
        for (int i = offset; i < offset + length; i++)
        {
            crc ^= data[i] << 8;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ CrcPolynomial : crc << 1;
            }

            crc &= 0xFFFF;
        }

        return crc;
    }

    /// <summary>The 8-bit checksum: the two's complement of the byte sum, so that all bytes plus it sum to zero.</summary>
    public static int Checksum(byte[] data, int offset, int length)
    {
        int sum = 0;
        for (int i = offset; i < offset + length; i++)
        {
            sum += data[i];
        }

        return (-sum) & 0xFF;
    }
}
