namespace SmartCommunity.Firmware.Devices.PulseMeter;

using System;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// Keeps the meter's cumulative counts across power cuts (hardware-docs/pulse-meter.md, "Persistence"). Two records,
/// <see cref="SlotA"/> and <see cref="SlotB"/>, are written in turn; each carries a sequence number and a CRC-32, so a
/// write torn by a power cut (a flash page half programmed, a file cut short) fails its check and the other record,
/// one save older, is used. The next save always goes to the record that does not hold the newest valid one, so a
/// torn write can never take the last good record with it. Nothing here allocates after construction.
/// </summary>
public sealed class MeterRecordStore
{
    public const string SlotA = "meter-a";
    public const string SlotB = "meter-b";
    public const byte Format = 1;

    // format(1) sequence(8) tampers(8), per channel: medium(1) unit(1) milliPerPulse(8) startMilli(8) pulses(8), crc(4)
    private const int HeaderBytes = 17;
    private const int ChannelBytes = 26;
    private const int CrcAt = HeaderBytes + (PulseMeterSettings.MaxChannels * ChannelBytes);
    public const int RecordBytes = CrcAt + 4;

    private readonly INonVolatileStore _store;
    private readonly byte[] _record = new byte[RecordBytes];
    private readonly byte[] _check = new byte[RecordBytes];
    private readonly long[] _restoredPulses = new long[PulseMeterSettings.MaxChannels];
    private readonly bool[] _recommissioned = new bool[PulseMeterSettings.MaxChannels];
    private long _sequence;
    private bool _nextIsB;
    private long _restoredTampers;
    private int _invalidRecords;
    private long _saves;
    private long _saveFailures;

    public MeterRecordStore(INonVolatileStore store)
    {
        _store = store;
    }

    /// <summary>Sequence number of the newest record written or restored (0 = none yet).</summary>
    public long Sequence => _sequence;

    /// <summary>Records found at boot that were present but failed their check (torn or corrupt).</summary>
    public int InvalidRecords => _invalidRecords;

    public long Saves => _saves;

    /// <summary>Saves the store refused with an error; counting goes on in memory.</summary>
    public long SaveFailures => _saveFailures;

    public long RestoredTampers => _restoredTampers;

    /// <summary>Pulses of channel <paramref name="channel"/> (1-4) from the newest valid record.</summary>
    public long RestoredPulses(int channel)
    {
        return _restoredPulses[channel - 1];
    }

    /// <summary>True when channel <paramref name="channel"/>'s commissioning differs from the record's: its count restarted at 0.</summary>
    public bool Recommissioned(int channel)
    {
        return _recommissioned[channel - 1];
    }

    /// <summary>Reads both records at boot and takes the newest valid one; a channel whose commissioning changed restarts at 0.</summary>
    public void Restore(PulseMeterSettings settings)
    {
        long sequenceA = ReadValid(SlotA, _record);
        long sequenceB = ReadValid(SlotB, _check);
        byte[] newest = null;
        if (sequenceA > 0 && sequenceA >= sequenceB)
        {
            newest = _record;
            _sequence = sequenceA;
            _nextIsB = true;
        }
        else if (sequenceB > 0)
        {
            newest = _check;
            _sequence = sequenceB;
            _nextIsB = false;
        }

        if (newest == null)
        {
            return;
        }

        _restoredTampers = ReadLong(newest, 9);
        for (int i = 0; i < PulseMeterSettings.MaxChannels; i++)
        {
            PulseChannelSettings c = settings.Channel(i + 1);
            int at = HeaderBytes + (i * ChannelBytes);
            bool same = newest[at] == (byte)c.Medium && newest[at + 1] == (byte)UnitCode(c)
                && ReadLong(newest, at + 2) == c.MilliPerPulse && ReadLong(newest, at + 10) == c.StartMilli;
            long pulses = ReadLong(newest, at + 18);
            _restoredPulses[i] = same && pulses > 0 ? pulses : 0;
            _recommissioned[i] = !same && pulses > 0;
        }
    }

    /// <summary>Writes the counts to the next record; <paramref name="pulses"/> holds channels 1-4.</summary>
    public void Save(long[] pulses, long tampers, PulseMeterSettings settings)
    {
        long sequence = _sequence + 1;
        _record[0] = Format;
        WriteLong(_record, 1, sequence);
        WriteLong(_record, 9, tampers);
        for (int i = 0; i < PulseMeterSettings.MaxChannels; i++)
        {
            PulseChannelSettings c = settings.Channel(i + 1);
            int at = HeaderBytes + (i * ChannelBytes);
            _record[at] = (byte)c.Medium;
            _record[at + 1] = (byte)UnitCode(c);
            WriteLong(_record, at + 2, c.MilliPerPulse);
            WriteLong(_record, at + 10, c.StartMilli);
            WriteLong(_record, at + 18, pulses[i]);
        }

        WriteUInt(_record, CrcAt, Crc32(_record, CrcAt));
        string key = _nextIsB ? SlotB : SlotA;
        try
        {
            _store.Write(key, _record, RecordBytes);
        }
        catch (Exception)
        {
            // A failing store must not stop the counting: the total stays in memory and the failure is reported.
            _saveFailures++;
            return;
        }

        // Even a save that fails later (torn) consumed its slot: the next one goes to the other record.
        _sequence = sequence;
        _nextIsB = !_nextIsB;
        _saves++;
    }

    /// <summary>For the self-test: the record written last reads back valid with its sequence number.</summary>
    public bool VerifyLast()
    {
        if (_sequence == 0)
        {
            return true;
        }

        // The last save went to the slot before the one that is next.
        return ReadValid(_nextIsB ? SlotA : SlotB, _check) == _sequence;
    }

    /// <summary>The record's sequence number when it is present and valid; 0 otherwise (an invalid one is counted at boot).</summary>
    private long ReadValid(string key, byte[] buffer)
    {
        int length;
        try
        {
            length = _store.Read(key, buffer);
        }
        catch (Exception)
        {
            length = 0;
        }

        if (length < 0)
        {
            return 0;
        }

        if (length != RecordBytes || buffer[0] != Format || ReadUInt(buffer, CrcAt) != Crc32(buffer, CrcAt))
        {
            _invalidRecords++;
            return 0;
        }

        long sequence = ReadLong(buffer, 1);
        return sequence > 0 ? sequence : 0;
    }

    private static MeterUnit UnitCode(PulseChannelSettings c)
    {
        return c.IsFitted ? c.EffectiveUnit : MeterUnit.Default;
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bit by bit: no table in RAM.</summary>
    public static uint Crc32(byte[] data, int length)
    {
        uint crc = 0xFFFFFFFF;
        for (int i = 0; i < length; i++)
        {
            crc ^= data[i];
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void WriteLong(byte[] buffer, int at, long value)
    {
        for (int i = 0; i < 8; i++)
        {
            buffer[at + i] = (byte)(value & 0xFF);
            value >>= 8;
        }
    }

    private static long ReadLong(byte[] buffer, int at)
    {
        long value = 0;
        for (int i = 7; i >= 0; i--)
        {
            value = (value << 8) | buffer[at + i];
        }

        return value;
    }

    private static void WriteUInt(byte[] buffer, int at, uint value)
    {
        for (int i = 0; i < 4; i++)
        {
            buffer[at + i] = (byte)(value & 0xFF);
            value >>= 8;
        }
    }

    private static uint ReadUInt(byte[] buffer, int at)
    {
        uint value = 0;
        for (int i = 3; i >= 0; i--)
        {
            value = (value << 8) | buffer[at + i];
        }

        return value;
    }
}
