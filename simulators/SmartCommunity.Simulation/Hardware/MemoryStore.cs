namespace SmartCommunity.Simulation.Hardware;

using System;
using System.Collections.Generic;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// A non-volatile store that survives a simulated reboot (keep the instance, build a new device).
/// Records are replaced whole, as the interface promises.
/// </summary>
public sealed class MemoryStore : INonVolatileStore
{
    private readonly Dictionary<string, byte[]> _records = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public int Writes { get; private set; }

    public int Read(string key, byte[] buffer)
    {
        lock (_gate)
        {
            if (!_records.TryGetValue(key, out byte[]? record) || record.Length > buffer.Length)
            {
                return -1;
            }

            record.CopyTo(buffer, 0);
            return record.Length;
        }
    }

    public void Write(string key, byte[] data, int length)
    {
        lock (_gate)
        {
            _records[key] = data.AsSpan(0, length).ToArray();
            Writes++;
        }
    }
}
