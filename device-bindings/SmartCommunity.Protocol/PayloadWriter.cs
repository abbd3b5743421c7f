namespace SmartCommunity.Protocol;

/// <summary>
/// Writes one compact JSON object into a buffer owned by the caller, without allocating, so the firmware can
/// publish from its steady-state loop (hardware-docs/protocol.md §2). Only ASCII names and values are expected;
/// other characters are escaped as \u00XX (non-ASCII chars above 0xFF are replaced by '?').
/// A write that would overflow the buffer sets <see cref="Overflowed"/> and the payload must not be sent.
/// </summary>
public sealed class PayloadWriter
{
    private readonly byte[] _buffer;
    private int _length;
    private bool _needsComma;
    private bool _overflowed;

    public PayloadWriter(byte[] buffer)
    {
        _buffer = buffer;
    }

    public byte[] Buffer => _buffer;

    public int Length => _length;

    public bool Overflowed => _overflowed;

    public void BeginObject()
    {
        _length = 0;
        _overflowed = false;
        _needsComma = false;
        Put((byte)'{');
    }

    public void EndObject()
    {
        Put((byte)'}');
    }

    public void Property(string name, string value)
    {
        Name(name);
        Quoted(value);
    }

    /// <summary>A string property whose value is a slice of a byte buffer (e.g. a command id echoed in an ack).</summary>
    public void Property(string name, byte[] value, int length)
    {
        Name(name);
        Put((byte)'"');
        for (int i = 0; i < length; i++)
        {
            Escaped((char)value[i]);
        }

        Put((byte)'"');
    }

    public void Property(string name, long value)
    {
        Name(name);
        Number(value);
    }

    /// <summary>
    /// A fixed-point number: <paramref name="value"/> / 10^<paramref name="decimals"/>, written with exactly that many
    /// digits after the point (1234567 with 3 decimals is <c>1234.567</c>, 5 is <c>0.005</c>), so a quantity kept as
    /// a whole number of thousandths (a meter total) reaches the JSON exactly, with no binary floating point.
    /// </summary>
    public void DecimalProperty(string name, long value, int decimals)
    {
        Name(name);
        if (decimals <= 0)
        {
            Number(value);
            return;
        }

        if (value < 0)
        {
            Put((byte)'-');
        }

        // Least significant digit first, zero-padded to one digit before the point, then reversed in place.
        int start = _length;
        int produced = 0;
        do
        {
            if (produced == decimals)
            {
                Put((byte)'.');
            }

            long digit = value % 10;
            Put((byte)('0' + (digit < 0 ? -digit : digit)));
            value /= 10;
            produced++;
        }
        while (value != 0 || produced <= decimals);

        if (_overflowed)
        {
            return;
        }

        int end = _length - 1;
        while (start < end)
        {
            byte t = _buffer[start];
            _buffer[start] = _buffer[end];
            _buffer[end] = t;
            start++;
            end--;
        }
    }

    public void Property(string name, bool value)
    {
        Name(name);
        Raw(value ? "true" : "false");
    }

    public void BeginArray(string name)
    {
        Name(name);
        Put((byte)'[');
        _needsComma = false;
    }

    public void ArrayItem(string value)
    {
        if (_needsComma)
        {
            Put((byte)',');
        }

        Quoted(value);
        _needsComma = true;
    }

    public void EndArray()
    {
        Put((byte)']');
        _needsComma = true;
    }

    private void Name(string name)
    {
        if (_needsComma)
        {
            Put((byte)',');
        }

        Quoted(name);
        Put((byte)':');
        _needsComma = true;
    }

    private void Quoted(string value)
    {
        Put((byte)'"');
        for (int i = 0; i < value.Length; i++)
        {
            Escaped(value[i]);
        }

        Put((byte)'"');
    }

    private void Escaped(char c)
    {
        if (c == '"' || c == '\\')
        {
            Put((byte)'\\');
            Put((byte)c);
        }
        else if (c < ' ' || c > '~')
        {
            int code = c > 0xFF ? '?' : c;
            Raw("\\u00");
            Put(HexDigit(code >> 4));
            Put(HexDigit(code & 0xF));
        }
        else
        {
            Put((byte)c);
        }
    }

    private void Number(long value)
    {
        if (value == 0)
        {
            Put((byte)'0');
            return;
        }

        if (value < 0)
        {
            Put((byte)'-');
        }

        // Digits are produced least significant first, then reversed in place; works for long.MinValue too.
        int start = _length;
        while (value != 0)
        {
            long digit = value % 10;
            Put((byte)('0' + (digit < 0 ? -digit : digit)));
            value /= 10;
        }

        if (_overflowed)
        {
            return;
        }

        int end = _length - 1;
        while (start < end)
        {
            byte t = _buffer[start];
            _buffer[start] = _buffer[end];
            _buffer[end] = t;
            start++;
            end--;
        }
    }

    private void Raw(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            Put((byte)text[i]);
        }
    }

    private static byte HexDigit(int nibble)
    {
        return (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
    }

    private void Put(byte b)
    {
        if (_length >= _buffer.Length)
        {
            _overflowed = true;
            return;
        }

        _buffer[_length++] = b;
    }
}
