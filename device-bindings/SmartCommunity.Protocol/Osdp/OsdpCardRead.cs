namespace SmartCommunity.Protocol.Osdp;

using System;

/// <summary>
/// One card read from an osdp_RAW reply (0x50), preallocated and reused (hardware-docs/osdp.md §5). The reply
/// data is: reader number, format code, bit count (LSB, MSB), then the bits packed first-bit-in-MSB into
/// ceil(bits / 8) bytes.
/// </summary>
/// <remarks>
/// The credential number is chosen to match the Wiegand decoder's, so the same card gives the same number on
/// either kind of reader: a 26- or 34-bit read is taken as a Wiegand frame (readers send H10301 and 34-bit
/// cards that way whatever format code they put), its two parity bits are checked and stripped, and the data
/// bits between them form the number (for 26 bits that equals facility * 65536 + card). Any other length up to
/// 64 bits is read whole as an unsigned big-endian number. Longer reads are refused: the allow-list keys are
/// 64-bit.
/// </remarks>
public sealed class OsdpCardRead
{
    public const int MaxBits = 64;

    /// <summary>osdp_RAW format 0: raw bits, format not specified.</summary>
    public const int FormatUnspecified = 0;

    /// <summary>osdp_RAW format 1: a Wiegand bit stream (parity and data bits).</summary>
    public const int FormatWiegand = 1;

    private readonly byte[] _bits = new byte[MaxBits / 8];
    private readonly byte[] _digits = new byte[20];

    public int ReaderNumber { get; private set; }

    public int Format { get; private set; }

    /// <summary>Bits the reader sent, parity bits included.</summary>
    public int BitCount { get; private set; }

    /// <summary>The number an allow-list is keyed on (see the remarks for how it is formed).</summary>
    public ulong CredentialNumber { get; private set; }

    /// <summary>True when parity bits were checked and stripped (26- and 34-bit reads).</summary>
    public bool WiegandParityChecked { get; private set; }

    /// <summary>When the CP accepted the read, on the caller's monotonic clock.</summary>
    public long ReadAtMs { get; private set; }

    /// <summary>The raw card bits, first bit in the most significant bit of byte 0; <see cref="DataLength"/> bytes are valid.</summary>
    public byte[] Bits => _bits;

    public int DataLength => (BitCount + 7) / 8;

    public void Clear()
    {
        ReaderNumber = 0;
        Format = 0;
        BitCount = 0;
        CredentialNumber = 0;
        WiegandParityChecked = false;
        ReadAtMs = 0;
        Array.Clear(_bits, 0, _bits.Length);
    }

    /// <summary>Parses osdp_RAW reply data. On a rejection the read is cleared.</summary>
    public OsdpRejection Load(byte[] data, int offset, int length, long nowMs)
    {
        Clear();
        if (length < 4)
        {
            return OsdpRejection.BadCardData;
        }

        int bitCount = data[offset + 2] | (data[offset + 3] << 8);
        int byteCount = (bitCount + 7) / 8;
        if (bitCount == 0 || bitCount > MaxBits || length - 4 != byteCount)
        {
            return OsdpRejection.BadCardData;
        }

        Array.Copy(data, offset + 4, _bits, 0, byteCount);
        bool wiegand = bitCount == 26 || bitCount == 34;
        if (wiegand && !ParityHolds(bitCount))
        {
            Clear();
            return OsdpRejection.BadCardParity;
        }

        int first = wiegand ? 1 : 0;
        int last = wiegand ? bitCount - 2 : bitCount - 1;
        ulong number = 0;
        for (int i = first; i <= last; i++)
        {
            number <<= 1;
            if (Bit(i) != 0)
            {
                number |= 1UL;
            }
        }

        ReaderNumber = data[offset];
        Format = data[offset + 1];
        BitCount = bitCount;
        CredentialNumber = number;
        WiegandParityChecked = wiegand;
        ReadAtMs = nowMs;
        return OsdpRejection.None;
    }

    public void CopyFrom(OsdpCardRead other)
    {
        ReaderNumber = other.ReaderNumber;
        Format = other.Format;
        BitCount = other.BitCount;
        CredentialNumber = other.CredentialNumber;
        WiegandParityChecked = other.WiegandParityChecked;
        ReadAtMs = other.ReadAtMs;
        Array.Copy(other._bits, 0, _bits, 0, _bits.Length);
    }

    /// <summary>Writes the credential number in decimal ASCII (for the "card" field on the wire); returns the digit count.</summary>
    public int WriteDecimal(byte[] destination, int offset)
    {
        ulong value = CredentialNumber;
        int count = 0;
        do
        {
            _digits[count++] = (byte)('0' + (int)(value % 10));
            value /= 10;
        }
        while (value != 0);

        for (int i = 0; i < count; i++)
        {
            destination[offset + i] = _digits[count - 1 - i];
        }

        return count;
    }

    // Wiegand 26 and 34 (hardware-docs/wiegand.md): the first bit gives even parity over the first half of the
    // data bits, the last bit odd parity over the second half.
    private bool ParityHolds(int bitCount)
    {
        int half = (bitCount - 2) / 2;
        int even = Bit(0);
        for (int i = 1; i <= half; i++)
        {
            even ^= Bit(i);
        }

        int odd = Bit(bitCount - 1);
        for (int i = half + 1; i <= bitCount - 2; i++)
        {
            odd ^= Bit(i);
        }

        return even == 0 && odd == 1;
    }

    private int Bit(int index)
    {
        return (_bits[index / 8] >> (7 - (index % 8))) & 1;
    }
}
