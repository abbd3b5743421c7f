namespace SmartCommunity.Firmware.Devices.DoorController;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Protocol;

/// <summary>
/// The door's local allow-list (hardware-docs/door-controller.md, "Allow-list"): a bounded table of card numbers
/// with validity windows, sorted by card, synced from the edge by the allow-list command (full in parts, or delta
/// on a base version). The table lives in the byte layout of its store record, so saving it needs no second copy;
/// it is saved when a sync changes it (a delta, the last part of a full list), never per read.
/// </summary>
public sealed class AllowList
{
    public const string StoreKey = "door-acl";

    /// <summary>Bytes per entry: card (8, little-endian), valid from (4), valid to (4), unix seconds, 0 = unbounded.</summary>
    public const int EntryBytes = 16;

    /// <summary>Record header: format (1), flags (1), reserved (2), count (4), version (8).</summary>
    public const int HeaderBytes = 16;

    private const byte Format = 1;
    private const byte FlagFull = 1;
    private const int MaxCardDigits = 20;
    private const int MaxSecondsDigits = 10;

    private readonly INonVolatileStore _store;
    private readonly int _capacity;
    private readonly byte[] _record;
    private int _count;
    private long _version;
    private bool _full;
    private bool _syncing;
    private long _syncVersion;
    private long _syncParts;
    private long _nextPart;
    private long _saves;
    private bool _loadRefused;

    // Results of parsing one entry; fields rather than out parameters keep the parser small.
    private ulong _parsedCard;
    private uint _parsedFrom;
    private uint _parsedTo;

    /// <param name="store">Where the table is kept across restarts; null keeps it in RAM only.</param>
    public AllowList(int capacity, INonVolatileStore store)
    {
        _capacity = capacity < 1 ? 1 : capacity;
        _store = store;
        _record = new byte[HeaderBytes + (_capacity * EntryBytes)];
    }

    public int Capacity => _capacity;

    public int Count => _count;

    /// <summary>The list version the door holds; 0 = none yet, or a full list is still arriving ("incomplete").</summary>
    public long Version => _version;

    /// <summary>Some entry of the edge's list could not be stored since the last full list that fitted.</summary>
    public bool IsFull => _full;

    /// <summary>Records written to the store.</summary>
    public long Saves => _saves;

    /// <summary>The stored record was present but unusable at boot (damaged, or larger than this capacity): the list started empty.</summary>
    public bool LoadRefused => _loadRefused;

    /// <summary>Reads the saved table (boot only). A missing or unusable record leaves the list empty, version 0.</summary>
    public void Load()
    {
        _count = 0;
        _version = 0;
        _full = false;
        if (_store == null)
        {
            return;
        }

        int length = _store.Read(StoreKey, _record);
        if (length < 0)
        {
            return;
        }

        int count = (int)ReadUInt32(4);
        long version = (long)ReadUInt64(8);
        bool usable = length >= HeaderBytes && _record[0] == Format && count >= 0 && count <= _capacity
            && length == HeaderBytes + (count * EntryBytes) && version >= 0;
        for (int i = 1; usable && i < count; i++)
        {
            usable = CardAt(i - 1) < CardAt(i);
        }

        if (!usable)
        {
            _loadRefused = true;
            return;
        }

        _count = count;
        _version = version;
        _full = (_record[1] & FlagFull) != 0;
    }

    /// <summary>Looks a card up; its window is returned in unix seconds (0 = unbounded).</summary>
    public bool TryFind(ulong card, out uint validFrom, out uint validTo)
    {
        int index = IndexOf(card);
        if (index < 0)
        {
            validFrom = 0;
            validTo = 0;
            return false;
        }

        int at = HeaderBytes + (index * EntryBytes);
        validFrom = ReadUInt32(at + 8);
        validTo = ReadUInt32(at + 12);
        return true;
    }

    /// <summary>
    /// Applies an allow-list command (hardware-docs/door-controller.md, "Syncing the list"). Malformed entries refuse
    /// the whole command and change nothing. Returns <see cref="CommandRejection.ListFull"/> when entries did not fit:
    /// what fitted is applied and the version still advances, so the edge does not resend the same list forever.
    /// </summary>
    public CommandRejection Apply(Command command)
    {
        if (!IsWellFormed(command.Add, command.AddLength, true) || !IsWellFormed(command.Remove, command.RemoveLength, false))
        {
            return CommandRejection.BadArgument;
        }

        if (command.FullList)
        {
            if (command.Part == 1)
            {
                // Part 1 starts a new list: the old one is gone from RAM, but stays in the store until the new one is
                // complete, so a restart in the middle of a sync comes back with the last complete list.
                _count = 0;
                _version = 0;
                _full = false;
                _syncing = true;
                _syncVersion = command.ListVersion;
                _syncParts = command.Parts;
                _nextPart = 1;
            }
            else if (!_syncing || command.Part != _nextPart || command.ListVersion != _syncVersion || command.Parts != _syncParts)
            {
                return CommandRejection.VersionMismatch;
            }
        }
        else if (_version == 0 || command.BaseVersion != _version)
        {
            return CommandRejection.VersionMismatch;
        }

        RemoveEach(command.Remove, command.RemoveLength);
        bool overflow = !AddEach(command.Add, command.AddLength);
        if (overflow)
        {
            _full = true;
        }

        if (command.FullList)
        {
            _nextPart++;
            if (command.Part == command.Parts)
            {
                _syncing = false;
                _version = command.ListVersion;
                Save();
            }
        }
        else
        {
            _version = command.ListVersion;
            Save();
        }

        return overflow ? CommandRejection.ListFull : CommandRejection.None;
    }

    private void Save()
    {
        if (_store == null)
        {
            return;
        }

        _record[0] = Format;
        _record[1] = _full ? FlagFull : (byte)0;
        _record[2] = 0;
        _record[3] = 0;
        WriteUInt32(4, (uint)_count);
        WriteUInt64(8, (ulong)_version);
        _store.Write(StoreKey, _record, HeaderBytes + (_count * EntryBytes));
        _saves++;
    }

    // Returns false when some entry did not fit; entries already in the table are never pushed out.
    private bool AddEach(byte[] text, int length)
    {
        bool allFitted = true;
        int start = 0;
        while (start < length)
        {
            int end = NextSeparator(text, start, length);
            if (end > start)
            {
                ParseEntry(text, start, end);
                if (!Put(_parsedCard, _parsedFrom, _parsedTo))
                {
                    allFitted = false;
                }
            }

            start = end + 1;
        }

        return allFitted;
    }

    private void RemoveEach(byte[] text, int length)
    {
        int start = 0;
        while (start < length)
        {
            int end = NextSeparator(text, start, length);
            if (end > start)
            {
                ulong card;
                TryParseCard(text, start, end, out card);
                Delete(card);
            }

            start = end + 1;
        }
    }

    private bool Put(ulong card, uint validFrom, uint validTo)
    {
        int index = IndexOf(card);
        if (index < 0)
        {
            if (_count >= _capacity)
            {
                return false;
            }

            index = ~index;
            int from = HeaderBytes + (index * EntryBytes);
            for (int i = HeaderBytes + (_count * EntryBytes) - 1; i >= from; i--)
            {
                _record[i + EntryBytes] = _record[i];
            }

            _count++;
        }

        int at = HeaderBytes + (index * EntryBytes);
        WriteUInt64(at, card);
        WriteUInt32(at + 8, validFrom);
        WriteUInt32(at + 12, validTo);
        return true;
    }

    private void Delete(ulong card)
    {
        int index = IndexOf(card);
        if (index < 0)
        {
            return;
        }

        int end = HeaderBytes + (_count * EntryBytes);
        for (int i = HeaderBytes + ((index + 1) * EntryBytes); i < end; i++)
        {
            _record[i - EntryBytes] = _record[i];
        }

        _count--;
    }

    // Binary search; a miss returns the complement of the insertion point.
    private int IndexOf(ulong card)
    {
        int low = 0;
        int high = _count - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            ulong found = CardAt(middle);
            if (found == card)
            {
                return middle;
            }

            if (found < card)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    private ulong CardAt(int index)
    {
        return ReadUInt64(HeaderBytes + (index * EntryBytes));
    }

    // "add" holds "card:from:to" items, "remove" holds "card" items, separated by ';' (empty items are skipped).
    private bool IsWellFormed(byte[] text, int length, bool entries)
    {
        int start = 0;
        while (start < length)
        {
            int end = NextSeparator(text, start, length);
            if (end > start)
            {
                ulong card;
                if (entries ? !ParseEntry(text, start, end) : !TryParseCard(text, start, end, out card))
                {
                    return false;
                }
            }

            start = end + 1;
        }

        return true;
    }

    private bool ParseEntry(byte[] text, int start, int end)
    {
        int firstColon = NextColon(text, start, end);
        int secondColon = NextColon(text, firstColon + 1, end);
        if (firstColon >= end || secondColon >= end)
        {
            return false;
        }

        if (!TryParseCard(text, start, firstColon, out _parsedCard)
            || !TryParseSeconds(text, firstColon + 1, secondColon, out _parsedFrom)
            || !TryParseSeconds(text, secondColon + 1, end, out _parsedTo))
        {
            return false;
        }

        // A window that ends before it starts could never be valid: the edge sent something it did not mean.
        return _parsedFrom == 0 || _parsedTo == 0 || _parsedFrom < _parsedTo;
    }

    private static int NextSeparator(byte[] text, int start, int length)
    {
        int i = start;
        while (i < length && text[i] != (byte)';')
        {
            i++;
        }

        return i;
    }

    private static int NextColon(byte[] text, int start, int end)
    {
        int i = start;
        while (i < end && text[i] != (byte)':')
        {
            i++;
        }

        return i;
    }

    /// <summary>Parses 1-20 decimal digits into a 64-bit unsigned card number, refusing overflow.</summary>
    public static bool TryParseCard(byte[] text, int start, int end, out ulong value)
    {
        value = 0;
        if (end - start < 1 || end - start > MaxCardDigits)
        {
            return false;
        }

        for (int i = start; i < end; i++)
        {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9 || value > (ulong.MaxValue - (ulong)digit) / 10)
            {
                return false;
            }

            value = (value * 10) + (ulong)digit;
        }

        return true;
    }

    private static bool TryParseSeconds(byte[] text, int start, int end, out uint value)
    {
        value = 0;
        ulong wide;
        if (end - start > MaxSecondsDigits || !TryParseCard(text, start, end, out wide) || wide > uint.MaxValue)
        {
            return false;
        }

        value = (uint)wide;
        return true;
    }

    private uint ReadUInt32(int at)
    {
        return (uint)_record[at] | ((uint)_record[at + 1] << 8) | ((uint)_record[at + 2] << 16) | ((uint)_record[at + 3] << 24);
    }

    private ulong ReadUInt64(int at)
    {
        return (ulong)ReadUInt32(at) | ((ulong)ReadUInt32(at + 4) << 32);
    }

    private void WriteUInt32(int at, uint value)
    {
        _record[at] = (byte)value;
        _record[at + 1] = (byte)(value >> 8);
        _record[at + 2] = (byte)(value >> 16);
        _record[at + 3] = (byte)(value >> 24);
    }

    private void WriteUInt64(int at, ulong value)
    {
        WriteUInt32(at, (uint)value);
        WriteUInt32(at + 4, (uint)(value >> 32));
    }
}
