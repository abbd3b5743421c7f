namespace SmartCommunity.Protocol.Wiegand;

/// <summary>
/// One received frame, decoded or refused. The caller allocates it once and the collector or decoder overwrites it
/// on every read, so the loop never allocates. Fields are meaningful only for the frame last written into it.
/// </summary>
public sealed class WiegandFrame
{
    /// <summary>Enough for any 64-bit integer in decimal, with a sign.</summary>
    public const int MaxTextLength = 20;

    private readonly byte[] _text = new byte[MaxTextLength];

    /// <summary><see cref="WiegandRejection.None"/> for a frame that decoded; otherwise why it was refused.</summary>
    public WiegandRejection Rejection { get; private set; }

    public bool IsValid => Rejection == WiegandRejection.None;

    /// <summary>Bits received, including the parity bits.</summary>
    public int BitCount { get; private set; }

    /// <summary>The bits as received, the first one most significant (bit 1 of the format is bit BitCount-1 here).</summary>
    public long Bits { get; private set; }

    /// <summary>Milliseconds (the caller's monotonic clock) of the frame's last bit.</summary>
    public long EndedAtMs { get; private set; }

    public WiegandFormat Format { get; private set; }

    public int FacilityCode { get; private set; }

    public int CardNumber { get; private set; }

    /// <summary>
    /// The data bits between the two parity bits read as one unsigned number, which equals
    /// FacilityCode * 65536 + CardNumber for both formats (hardware-docs/wiegand.md §2). 0 when refused.
    /// </summary>
    public long Credential { get; private set; }

    /// <summary>
    /// <see cref="Credential"/> in decimal ASCII, the first <see cref="TextLength"/> bytes; for the wire's "card" field
    /// through PayloadWriter.Property(name, bytes, length). The array is reused by the next read.
    /// </summary>
    public byte[] Text => _text;

    /// <summary>0 when the frame was refused.</summary>
    public int TextLength { get; private set; }

    /// <summary>True when <see cref="Text"/> holds exactly the given ASCII string; lets tests and lookups compare without allocating.</summary>
    public bool TextEquals(string value)
    {
        if (value == null || value.Length != TextLength)
        {
            return false;
        }

        for (int i = 0; i < TextLength; i++)
        {
            if (_text[i] != value[i])
            {
                return false;
            }
        }

        return true;
    }

    internal void SetReceived(long bits, int bitCount, long endedAtMs)
    {
        Bits = bits;
        BitCount = bitCount;
        EndedAtMs = endedAtMs;
        Rejection = WiegandRejection.None;
        Format = WiegandFormat.None;
        FacilityCode = 0;
        CardNumber = 0;
        Credential = 0;
        TextLength = 0;
    }

    internal void SetDecoded(WiegandFormat format, int facilityCode, int cardNumber, long credential)
    {
        Rejection = WiegandRejection.None;
        Format = format;
        FacilityCode = facilityCode;
        CardNumber = cardNumber;
        Credential = credential;
        TextLength = WiegandDecoder.WriteDecimal(credential, _text, 0);
    }

    internal void SetRejected(WiegandRejection rejection)
    {
        Rejection = rejection;
        Format = WiegandFormat.None;
        FacilityCode = 0;
        CardNumber = 0;
        Credential = 0;
        TextLength = 0;
    }
}
