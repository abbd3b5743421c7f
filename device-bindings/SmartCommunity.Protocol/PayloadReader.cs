namespace SmartCommunity.Protocol;

/// <summary>
/// Reads fields of one JSON object in place, without allocating, for the firmware's command and fire-state
/// handling (hardware-docs/protocol.md §2). <see cref="Load"/> validates the whole payload first, so a
/// malformed message is rejected as a whole and never half-applied. Never throws on bad input.
/// </summary>
public sealed class PayloadReader
{
    /// <summary>Deepest nesting accepted; protocol v1 payloads nest at most two levels (the config bundle).</summary>
    public const int MaxDepth = 6;

    private byte[] _buffer = new byte[0];
    private int _objectStart;
    private int _objectEnd;
    private bool _loaded;

    /// <summary>Validates <paramref name="length"/> bytes at <paramref name="offset"/> as a single JSON object.</summary>
    public bool Load(byte[] buffer, int offset, int length)
    {
        _loaded = false;
        if (buffer == null || offset < 0 || length <= 0 || offset + length > buffer.Length)
        {
            return false;
        }

        _buffer = buffer;
        int end = offset + length;
        int start = SkipWhitespace(offset, end);
        if (start >= end || buffer[start] != (byte)'{')
        {
            return false;
        }

        int afterValue = SkipValue(start, end, 0);
        if (afterValue < 0 || SkipWhitespace(afterValue, end) != end)
        {
            return false;
        }

        _objectStart = start;
        _objectEnd = afterValue;
        _loaded = true;
        return true;
    }

    /// <summary>Points <paramref name="nested"/> at the object held by <paramref name="key"/>.</summary>
    public bool TryGetObject(string key, PayloadReader nested)
    {
        int start;
        int length;
        JsonKind kind;
        if (!TryFind(key, out start, out length, out kind) || kind != JsonKind.Object)
        {
            return false;
        }

        nested._buffer = _buffer;
        nested._objectStart = start;
        nested._objectEnd = start + length;
        nested._loaded = true;
        return true;
    }

    public bool TryFind(string key, out int valueStart, out int valueLength, out JsonKind kind)
    {
        int cursor = FirstProperty();
        int nameStart;
        int nameLength;
        while (cursor >= 0)
        {
            cursor = NextProperty(cursor, out nameStart, out nameLength, out valueStart, out valueLength, out kind);
            if (cursor >= 0 && RawEquals(nameStart, nameLength, key))
            {
                return true;
            }
        }

        valueStart = 0;
        valueLength = 0;
        kind = JsonKind.None;
        return false;
    }

    /// <summary>Cursor for <see cref="NextProperty"/>; -1 when nothing is loaded.</summary>
    public int FirstProperty()
    {
        return _loaded ? _objectStart + 1 : -1;
    }

    /// <summary>
    /// Reads the property at <paramref name="cursor"/>. Returns the cursor of the next one, or -1 at the end.
    /// Name bounds exclude the quotes; string value bounds exclude the quotes too.
    /// </summary>
    public int NextProperty(int cursor, out int nameStart, out int nameLength, out int valueStart, out int valueLength, out JsonKind kind)
    {
        nameStart = 0;
        nameLength = 0;
        valueStart = 0;
        valueLength = 0;
        kind = JsonKind.None;
        if (cursor < 0)
        {
            return -1;
        }

        int end = _objectEnd;
        int pos = SkipWhitespace(cursor, end);
        if (pos < end && _buffer[pos] == (byte)',')
        {
            pos = SkipWhitespace(pos + 1, end);
        }

        if (pos >= end || _buffer[pos] != (byte)'"')
        {
            return -1;
        }

        int afterName = SkipString(pos, end);
        nameStart = pos + 1;
        nameLength = afterName - pos - 2;
        pos = SkipWhitespace(afterName, end);
        pos = SkipWhitespace(pos + 1, end); // the ':' was checked by Load
        int afterValue = SkipValue(pos, end, 0);
        kind = KindAt(pos);
        if (kind == JsonKind.String)
        {
            valueStart = pos + 1;
            valueLength = afterValue - pos - 2;
        }
        else
        {
            valueStart = pos;
            valueLength = afterValue - pos;
        }

        return afterValue;
    }

    public bool TryGetInt64(string key, out long value)
    {
        value = 0;
        int start;
        int length;
        JsonKind kind;
        return TryFind(key, out start, out length, out kind) && kind == JsonKind.Number && TryParseInt64(start, length, out value);
    }

    public bool TryGetBool(string key, out bool value)
    {
        value = false;
        int start;
        int length;
        JsonKind kind;
        if (!TryFind(key, out start, out length, out kind))
        {
            return false;
        }

        if (kind == JsonKind.True || kind == JsonKind.False)
        {
            value = kind == JsonKind.True;
            return true;
        }

        return false;
    }

    /// <summary>True when <paramref name="key"/> holds a string equal to <paramref name="expected"/> (no escapes).</summary>
    public bool StringEquals(string key, string expected)
    {
        int start;
        int length;
        JsonKind kind;
        return TryFind(key, out start, out length, out kind) && kind == JsonKind.String && RawEquals(start, length, expected);
    }

    /// <summary>
    /// Copies the unescaped string held by <paramref name="key"/> into <paramref name="destination"/>.
    /// Returns its length, or -1 if the key is missing, is not a string, or does not fit.
    /// </summary>
    public int CopyString(string key, byte[] destination)
    {
        int start;
        int length;
        JsonKind kind;
        if (!TryFind(key, out start, out length, out kind) || kind != JsonKind.String)
        {
            return -1;
        }

        return Unescape(start, length, destination);
    }

    /// <summary>Unescapes the string at the given bounds (as returned by <see cref="NextProperty"/>) into <paramref name="destination"/>.</summary>
    public int Unescape(int start, int length, byte[] destination)
    {
        int written = 0;
        int end = start + length;
        for (int i = start; i < end; i++)
        {
            if (written >= destination.Length)
            {
                return -1;
            }

            byte b = _buffer[i];
            if (b != (byte)'\\')
            {
                destination[written++] = b;
                continue;
            }

            i++;
            byte e = _buffer[i];
            switch (e)
            {
                case (byte)'n': destination[written++] = (byte)'\n'; break;
                case (byte)'t': destination[written++] = (byte)'\t'; break;
                case (byte)'r': destination[written++] = (byte)'\r'; break;
                case (byte)'b': destination[written++] = 8; break;
                case (byte)'f': destination[written++] = 12; break;
                case (byte)'u':
                    int code = (HexValue(_buffer[i + 1]) << 12) | (HexValue(_buffer[i + 2]) << 8) | (HexValue(_buffer[i + 3]) << 4) | HexValue(_buffer[i + 4]);
                    destination[written++] = code < 0x80 ? (byte)code : (byte)'?';
                    i += 4;
                    break;
                default: destination[written++] = e; break;
            }
        }

        return written;
    }

    /// <summary>Compares raw bytes (no unescaping) with an ASCII literal.</summary>
    public bool RawEquals(int start, int length, string expected)
    {
        if (length != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            if (_buffer[start + i] != (byte)expected[i])
            {
                return false;
            }
        }

        return true;
    }

    public bool TryParseInt64(int start, int length, out long value)
    {
        value = 0;
        if (length <= 0 || length > 20)
        {
            return false;
        }

        int i = start;
        int end = start + length;
        bool negative = _buffer[i] == (byte)'-';
        if (negative)
        {
            i++;
        }

        if (i >= end)
        {
            return false;
        }

        long result = 0;
        for (; i < end; i++)
        {
            int digit = _buffer[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return false;
            }

            // Accumulate negatively so long.MinValue parses; detect overflow before it happens.
            if (result < (long.MinValue + digit) / 10)
            {
                return false;
            }

            result = (result * 10) - digit;
        }

        if (!negative)
        {
            if (result == long.MinValue)
            {
                return false;
            }

            result = -result;
        }

        value = result;
        return true;
    }

    private JsonKind KindAt(int pos)
    {
        switch (_buffer[pos])
        {
            case (byte)'{': return JsonKind.Object;
            case (byte)'[': return JsonKind.Array;
            case (byte)'"': return JsonKind.String;
            case (byte)'t': return JsonKind.True;
            case (byte)'f': return JsonKind.False;
            case (byte)'n': return JsonKind.Null;
            default: return JsonKind.Number;
        }
    }

    private int SkipWhitespace(int pos, int end)
    {
        while (pos < end)
        {
            byte b = _buffer[pos];
            if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\n' && b != (byte)'\r')
            {
                break;
            }

            pos++;
        }

        return pos;
    }

    /// <summary>Returns the position just after the value at <paramref name="pos"/>, or -1 if it is malformed.</summary>
    private int SkipValue(int pos, int end, int depth)
    {
        if (pos >= end)
        {
            return -1;
        }

        byte b = _buffer[pos];
        switch (b)
        {
            case (byte)'{': return depth >= MaxDepth ? -1 : SkipObject(pos, end, depth + 1);
            case (byte)'[': return depth >= MaxDepth ? -1 : SkipArray(pos, end, depth + 1);
            case (byte)'"': return SkipString(pos, end);
            case (byte)'t': return SkipLiteral(pos, end, "true");
            case (byte)'f': return SkipLiteral(pos, end, "false");
            case (byte)'n': return SkipLiteral(pos, end, "null");
            default: return SkipNumber(pos, end);
        }
    }

    private int SkipObject(int pos, int end, int depth)
    {
        pos = SkipWhitespace(pos + 1, end);
        if (pos < end && _buffer[pos] == (byte)'}')
        {
            return pos + 1;
        }

        while (pos < end)
        {
            if (_buffer[pos] != (byte)'"')
            {
                return -1;
            }

            pos = SkipString(pos, end);
            if (pos < 0)
            {
                return -1;
            }

            pos = SkipWhitespace(pos, end);
            if (pos >= end || _buffer[pos] != (byte)':')
            {
                return -1;
            }

            pos = SkipValue(SkipWhitespace(pos + 1, end), end, depth);
            if (pos < 0)
            {
                return -1;
            }

            pos = SkipWhitespace(pos, end);
            if (pos >= end)
            {
                return -1;
            }

            if (_buffer[pos] == (byte)'}')
            {
                return pos + 1;
            }

            if (_buffer[pos] != (byte)',')
            {
                return -1;
            }

            pos = SkipWhitespace(pos + 1, end);
        }

        return -1;
    }

    private int SkipArray(int pos, int end, int depth)
    {
        pos = SkipWhitespace(pos + 1, end);
        if (pos < end && _buffer[pos] == (byte)']')
        {
            return pos + 1;
        }

        while (pos < end)
        {
            pos = SkipValue(pos, end, depth);
            if (pos < 0)
            {
                return -1;
            }

            pos = SkipWhitespace(pos, end);
            if (pos >= end)
            {
                return -1;
            }

            if (_buffer[pos] == (byte)']')
            {
                return pos + 1;
            }

            if (_buffer[pos] != (byte)',')
            {
                return -1;
            }

            pos = SkipWhitespace(pos + 1, end);
        }

        return -1;
    }

    private int SkipString(int pos, int end)
    {
        pos++;
        while (pos < end)
        {
            byte b = _buffer[pos];
            if (b == (byte)'"')
            {
                return pos + 1;
            }

            if (b < 0x20)
            {
                return -1;
            }

            if (b == (byte)'\\')
            {
                if (pos + 1 >= end)
                {
                    return -1;
                }

                byte e = _buffer[pos + 1];
                if (e == (byte)'u')
                {
                    if (pos + 5 >= end)
                    {
                        return -1;
                    }

                    for (int k = 2; k <= 5; k++)
                    {
                        if (HexValue(_buffer[pos + k]) < 0)
                        {
                            return -1;
                        }
                    }

                    pos += 6;
                    continue;
                }

                if (e != (byte)'"' && e != (byte)'\\' && e != (byte)'/' && e != (byte)'b' && e != (byte)'f'
                    && e != (byte)'n' && e != (byte)'r' && e != (byte)'t')
                {
                    return -1;
                }

                pos += 2;
                continue;
            }

            pos++;
        }

        return -1;
    }

    private int SkipLiteral(int pos, int end, string literal)
    {
        if (pos + literal.Length > end)
        {
            return -1;
        }

        for (int i = 0; i < literal.Length; i++)
        {
            if (_buffer[pos + i] != (byte)literal[i])
            {
                return -1;
            }
        }

        return pos + literal.Length;
    }

    // JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    private int SkipNumber(int pos, int end)
    {
        if (pos < end && _buffer[pos] == (byte)'-')
        {
            pos++;
        }

        if (pos >= end || !IsDigit(_buffer[pos]))
        {
            return -1;
        }

        if (_buffer[pos] == (byte)'0')
        {
            pos++;
        }
        else
        {
            while (pos < end && IsDigit(_buffer[pos]))
            {
                pos++;
            }
        }

        if (pos < end && _buffer[pos] == (byte)'.')
        {
            pos++;
            if (pos >= end || !IsDigit(_buffer[pos]))
            {
                return -1;
            }

            while (pos < end && IsDigit(_buffer[pos]))
            {
                pos++;
            }
        }

        if (pos < end && (_buffer[pos] == (byte)'e' || _buffer[pos] == (byte)'E'))
        {
            pos++;
            if (pos < end && (_buffer[pos] == (byte)'+' || _buffer[pos] == (byte)'-'))
            {
                pos++;
            }

            if (pos >= end || !IsDigit(_buffer[pos]))
            {
                return -1;
            }

            while (pos < end && IsDigit(_buffer[pos]))
            {
                pos++;
            }
        }

        return pos;
    }

    private static bool IsDigit(byte b)
    {
        return b >= (byte)'0' && b <= (byte)'9';
    }

    private static int HexValue(byte b)
    {
        if (b >= (byte)'0' && b <= (byte)'9')
        {
            return b - '0';
        }

        if (b >= (byte)'a' && b <= (byte)'f')
        {
            return b - 'a' + 10;
        }

        if (b >= (byte)'A' && b <= (byte)'F')
        {
            return b - 'A' + 10;
        }

        return -1;
    }
}
