namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System;
using SmartCommunity.Firmware.Hal;

/// <summary>A non-volatile store with preallocated slots that copies in place, for the allocation test.</summary>
internal sealed class FixedStore : INonVolatileStore
{
    private readonly string?[] _keys = new string?[4];
    private readonly byte[][] _records = new byte[4][];
    private readonly int[] _lengths = new int[4];

    public FixedStore(int slotBytes)
    {
        for (int i = 0; i < _records.Length; i++)
        {
            _records[i] = new byte[slotBytes];
        }
    }

    public long Writes { get; private set; }

    public int Read(string key, byte[] buffer)
    {
        int slot = Find(key);
        if (slot < 0 || _lengths[slot] > buffer.Length)
        {
            return -1;
        }

        Array.Copy(_records[slot], buffer, _lengths[slot]);
        return _lengths[slot];
    }

    public void Write(string key, byte[] data, int length)
    {
        int slot = Find(key);
        if (slot < 0)
        {
            slot = Array.IndexOf(_keys, null);
            _keys[slot] = key;
        }

        Array.Copy(data, _records[slot], length);
        _lengths[slot] = length;
        Writes++;
    }

    private int Find(string key)
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] == key)
            {
                return i;
            }
        }

        return -1;
    }
}
