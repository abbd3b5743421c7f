namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// Builds the user data of a CI 0x72 response for a virtual meter (simulator, tests): the 12-byte long header, then
/// records (hardware-docs/mbus.md §2.2). Hand the result to <see cref="MBusFrameWriter.RspUd"/>. Each Add* returns
/// false, adding nothing, when the record would not fit or the arguments are out of range.
/// </summary>
public sealed class MBusUserDataWriter
{
    private readonly byte[] _buffer;
    private int _length;

    public MBusUserDataWriter()
        : this(MBusFrameWriter.MaxDataLength)
    {
    }

    public MBusUserDataWriter(int capacity)
    {
        _buffer = new byte[capacity];
    }

    public int Length => _length;

    /// <summary>
    /// The long header: identification (8 decimal digits, 0-99999999), manufacturer code
    /// (<see cref="MBusManufacturer.Encode"/>), version, medium, access number, status, signature 0.
    /// </summary>
    public bool AddLongHeader(long identification, int manufacturer, int version, int medium, int accessNumber, int status)
    {
        if (identification < 0 || identification > 99999999 || manufacturer < 0 || manufacturer > 0xFFFF || _buffer.Length - _length < 12)
        {
            return false;
        }

        WriteBcd(identification, 4, _buffer, _length);
        _buffer[_length + 4] = (byte)(manufacturer & 0xFF);
        _buffer[_length + 5] = (byte)(manufacturer >> 8);
        _buffer[_length + 6] = (byte)version;
        _buffer[_length + 7] = (byte)medium;
        _buffer[_length + 8] = (byte)accessNumber;
        _buffer[_length + 9] = (byte)status;
        _buffer[_length + 10] = 0;
        _buffer[_length + 11] = 0;
        _length += 12;
        return true;
    }

    /// <summary>
    /// One record: the DIF (its data field decides how <paramref name="value"/> is written: integer 1-4/6/7, BCD
    /// 9-C/E with a leading F nibble for negatives, or none 0), optional DIFEs, the VIF and optional VIFEs.
    /// </summary>
    public bool AddRecord(byte dif, byte[] difes, byte vif, byte[] vifes, long value)
    {
        int field = dif & 0x0F;
        int dataLength = MBusDecoder.DataLength(field);
        if (dataLength < 0 || field == 0x05)
        {
            return false;
        }

        int difeCount = difes == null ? 0 : difes.Length;
        int vifeCount = vifes == null ? 0 : vifes.Length;
        int total = 1 + difeCount + 1 + vifeCount + dataLength;
        if (_buffer.Length - _length < total)
        {
            return false;
        }

        if (field >= 0x09 && !FitsBcd(value, dataLength))
        {
            return false;
        }

        int at = _length;
        _buffer[at++] = dif;
        for (int i = 0; i < difeCount; i++)
        {
            _buffer[at++] = difes[i];
        }

        _buffer[at++] = vif;
        for (int i = 0; i < vifeCount; i++)
        {
            _buffer[at++] = vifes[i];
        }

        if (field >= 0x09)
        {
            WriteBcd(value, dataLength, _buffer, at);
        }
        else
        {
            for (int i = 0; i < dataLength; i++)
            {
                _buffer[at + i] = (byte)(value >> (8 * i));
            }
        }

        _length = at + dataLength;
        return true;
    }

    /// <summary>Raw bytes, e.g. 0x2F fillers or a 0x0F manufacturer block.</summary>
    public bool AddBytes(byte[] bytes)
    {
        if (bytes == null || _buffer.Length - _length < bytes.Length)
        {
            return false;
        }

        System.Array.Copy(bytes, 0, _buffer, _length, bytes.Length);
        _length += bytes.Length;
        return true;
    }

    public byte[] ToArray()
    {
        byte[] data = new byte[_length];
        System.Array.Copy(_buffer, data, _length);
        return data;
    }

    private static bool FitsBcd(long value, int bytes)
    {
        long limit = 1;
        for (int i = 0; i < 2 * bytes; i++)
        {
            limit *= 10;
        }

        // A negative value gives up its top digit to the F nibble. Compared without negating: -long.MinValue
        // overflows to itself and was taken as fitting (found by fuzzing, hardware-docs/bad-input.md).
        return value >= 0 ? value < limit : value > -(limit / 10);
    }

    private static void WriteBcd(long value, int bytes, byte[] output, int offset)
    {
        bool negative = value < 0;
        long rest = negative ? -value : value;
        for (int i = 0; i < bytes; i++)
        {
            int low = (int)(rest % 10);
            rest /= 10;
            int high = (int)(rest % 10);
            rest /= 10;
            output[offset + i] = (byte)((high << 4) | low);
        }

        if (negative)
        {
            output[offset + bytes - 1] |= 0xF0;
        }
    }
}
