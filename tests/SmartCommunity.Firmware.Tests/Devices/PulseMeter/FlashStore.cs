namespace SmartCommunity.Firmware.Tests.Devices.PulseMeter;

using System;
using System.Collections.Generic;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// A non-volatile store that keeps every write, so a test can rebuild the store as it stood at any moment of a run,
/// including in the middle of a write: <see cref="Torn"/> gives the record as a power cut during write n leaves it
/// (the first bytes new, the rest old; or a file cut short). Reads and writes copy into preallocated records, so the
/// allocation test can use it once its records exist.
/// </summary>
internal sealed class FlashStore : INonVolatileStore
{
    private readonly Dictionary<string, byte[]> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lengths = new(StringComparer.Ordinal);

    public FlashStore(bool keepHistory = true)
    {
        KeepHistory = keepHistory;
    }

    /// <summary>Every write in order: its key, its bytes and the store's records just before it.</summary>
    public List<StoreWrite> History { get; } = new();

    public bool KeepHistory { get; set; }

    public int Writes { get; private set; }

    /// <summary>When set, every write throws, as a failing flash driver would.</summary>
    public bool Failing { get; set; }

    public int Read(string key, byte[] buffer)
    {
        if (!_records.TryGetValue(key, out byte[]? record) || _lengths[key] > buffer.Length)
        {
            return -1;
        }

        Array.Copy(record, buffer, _lengths[key]);
        return _lengths[key];
    }

    /// <summary>Write number (1-based) during which the power is cut: it is torn as <see cref="CutBytes"/> says, and nothing after it lands.</summary>
    public int CutAtWrite { get; set; }

    public int CutBytes { get; set; }

    public bool CutTruncates { get; set; }

    /// <summary>The power is off: set by a cut write; later writes do nothing.</summary>
    public bool Dead { get; private set; }

    public void Write(string key, byte[] data, int length)
    {
        if (Failing)
        {
            throw new InvalidOperationException("flash write failed");
        }

        if (Dead)
        {
            return;
        }

        if (Writes + 1 == CutAtWrite)
        {
            StoreWrite write = new StoreWrite(key, data.AsSpan(0, length).ToArray(), Snapshot());
            foreach (KeyValuePair<string, byte[]> record in Torn(write, Math.Min(CutBytes, length), CutTruncates))
            {
                Put(record.Key, record.Value, record.Value.Length);
            }

            Writes++;
            Dead = true;
            return;
        }

        if (KeepHistory)
        {
            History.Add(new StoreWrite(key, data.AsSpan(0, length).ToArray(), Snapshot()));
        }

        Put(key, data, length);
        Writes++;
    }

    public Dictionary<string, byte[]> Snapshot()
    {
        Dictionary<string, byte[]> copy = new(StringComparer.Ordinal);
        foreach (KeyValuePair<string, byte[]> record in _records)
        {
            copy[record.Key] = record.Value.AsSpan(0, _lengths[record.Key]).ToArray();
        }

        return copy;
    }

    /// <summary>A store holding <paramref name="records"/>, as found after a reboot.</summary>
    public static FlashStore From(Dictionary<string, byte[]> records)
    {
        FlashStore store = new FlashStore();
        foreach (KeyValuePair<string, byte[]> record in records)
        {
            store.Put(record.Key, record.Value, record.Value.Length);
        }

        return store;
    }

    /// <summary>
    /// The records as a power cut during <paramref name="write"/> leaves them: the first <paramref name="bytesWritten"/>
    /// bytes of the new record over the old one (<paramref name="truncate"/> false: a flash page part-programmed), or
    /// the file holding only those bytes (true: a file rewrite cut short).
    /// </summary>
    public static Dictionary<string, byte[]> Torn(StoreWrite write, int bytesWritten, bool truncate)
    {
        Dictionary<string, byte[]> records = new(write.Before, StringComparer.Ordinal);
        byte[] result;
        if (truncate)
        {
            result = write.Data.AsSpan(0, bytesWritten).ToArray();
        }
        else
        {
            result = write.Before.TryGetValue(write.Key, out byte[]? old) ? (byte[])old.Clone() : new byte[write.Data.Length];
            if (result.Length < write.Data.Length)
            {
                Array.Resize(ref result, write.Data.Length);
            }

            Array.Copy(write.Data, result, bytesWritten);
        }

        records[write.Key] = result;
        return records;
    }

    private void Put(string key, byte[] data, int length)
    {
        if (!_records.TryGetValue(key, out byte[]? record) || record.Length < length)
        {
            record = new byte[Math.Max(length, 256)];
            _records[key] = record;
        }

        Array.Copy(data, record, length);
        _lengths[key] = length;
    }
}

internal sealed record StoreWrite(string Key, byte[] Data, Dictionary<string, byte[]> Before);
