namespace SmartCommunity.Protocol.WirelessMBus;

using System;

/// <summary>
/// The AES-128 keys of the meters this receiver may decrypt, one per meter, found by manufacturer and identification
/// number (hardware-docs/wireless-mbus.md §6). Fixed capacity, arrays only, so it also fits a microcontroller gateway.
/// The key of a telegram is looked up by the meter's address: the long transport header's when there is one (the DLL
/// address may be a repeater's), else the DLL's.
/// </summary>
public sealed class WirelessMBusKeyTable
{
    public const int KeySize = 16;

    private readonly int[] _manufacturers;
    private readonly uint[] _ids;
    private readonly byte[] _keys;
    private int _count;

    public WirelessMBusKeyTable(int capacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity));
        }

        _manufacturers = new int[capacity];
        _ids = new uint[capacity];
        _keys = new byte[capacity * KeySize];
    }

    public int Count => _count;

    public int Capacity => _manufacturers.Length;

    /// <summary>Adds the meter's key, or replaces it if the meter is already listed. False when the table is full.</summary>
    public bool Set(int manufacturerCode, uint id, byte[] key, int offset)
    {
        if (key == null || offset < 0 || offset + KeySize > key.Length)
        {
            throw new ArgumentException("an AES-128 key is 16 bytes");
        }

        int index = IndexOf(manufacturerCode, id);
        if (index < 0)
        {
            if (_count == _manufacturers.Length)
            {
                return false;
            }

            index = _count++;
            _manufacturers[index] = manufacturerCode;
            _ids[index] = id;
        }

        Array.Copy(key, offset, _keys, index * KeySize, KeySize);
        return true;
    }

    /// <summary>
    /// The text form an installer writes: manufacturer "AMB", id "12345678", key as 32 hex digits. Returns null when
    /// added, else what is wrong, so a configuration loader can name the bad entry.
    /// </summary>
    public string Set(string manufacturer, string id, string hexKey)
    {
        int code;
        if (!WirelessMBusAddress.TryParseManufacturer(manufacturer, out code))
        {
            return "manufacturer must be three letters A-Z, e.g. \"AMB\"";
        }

        uint number;
        if (!WirelessMBusAddress.TryParseId(id, out number))
        {
            return "meter id must be 8 decimal digits as printed on the meter, e.g. \"12345678\"";
        }

        byte[] key = new byte[KeySize];
        if (!TryParseKey(hexKey, key, 0))
        {
            return "key must be 32 hex digits (16 bytes, AES-128)";
        }

        bool added = Set(code, number, key, 0);
        Array.Clear(key, 0, KeySize);
        return added ? null : "key table full (" + Capacity.ToString() + " meters)";
    }

    public bool Remove(int manufacturerCode, uint id)
    {
        int index = IndexOf(manufacturerCode, id);
        if (index < 0)
        {
            return false;
        }

        int last = _count - 1;
        if (index != last)
        {
            _manufacturers[index] = _manufacturers[last];
            _ids[index] = _ids[last];
            Array.Copy(_keys, last * KeySize, _keys, index * KeySize, KeySize);
        }

        Array.Clear(_keys, last * KeySize, KeySize);
        _count = last;
        return true;
    }

    public bool Contains(int manufacturerCode, uint id) => IndexOf(manufacturerCode, id) >= 0;

    /// <summary>Copies the meter's key into <paramref name="destination"/>; false (nothing written) when the meter has none.</summary>
    public bool TryGetKey(int manufacturerCode, uint id, byte[] destination, int offset)
    {
        int index = IndexOf(manufacturerCode, id);
        if (index < 0)
        {
            return false;
        }

        Array.Copy(_keys, index * KeySize, destination, offset, KeySize);
        return true;
    }

    /// <summary>Parses 32 hex digits (either case, no separators) into 16 bytes.</summary>
    public static bool TryParseKey(string hex, byte[] key, int offset)
    {
        if (hex == null || hex.Length != KeySize * 2 || key == null || offset < 0 || offset + KeySize > key.Length)
        {
            return false;
        }

        for (int i = 0; i < KeySize; i++)
        {
            int high = HexDigit(hex[2 * i]);
            int low = HexDigit(hex[(2 * i) + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            key[offset + i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private int IndexOf(int manufacturerCode, uint id)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_manufacturers[i] == manufacturerCode && _ids[i] == id)
            {
                return i;
            }
        }

        return -1;
    }

    private static int HexDigit(char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }

        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }

        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }

        return -1;
    }
}
