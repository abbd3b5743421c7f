namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>
/// The bounded buffer of access events not yet sent (hardware-docs/door-controller.md, "Access events"): oldest
/// first, so they go out in order when the link returns. When it is full the oldest is dropped and counted
/// ("accessDropped"), because the newest events say most about what is happening at the door now.
/// Preallocated records, copied in and out, so nothing allocates.
/// </summary>
public sealed class AccessJournal
{
    private readonly AccessRecord[] _records;
    private int _head;
    private int _count;
    private long _dropped;

    public AccessJournal(int capacity)
    {
        _records = new AccessRecord[capacity < 1 ? 1 : capacity];
        for (int i = 0; i < _records.Length; i++)
        {
            _records[i] = new AccessRecord();
        }
    }

    public int Capacity => _records.Length;

    public int Count => _count;

    public long Dropped => _dropped;

    public void Append(AccessRecord record)
    {
        if (_count == _records.Length)
        {
            _head = (_head + 1) % _records.Length;
            _count--;
            _dropped++;
        }

        record.CopyTo(_records[(_head + _count) % _records.Length]);
        _count++;
    }

    /// <summary>Copies the oldest record into <paramref name="into"/>; false when empty.</summary>
    public bool TryPeekOldest(AccessRecord into)
    {
        if (_count == 0)
        {
            return false;
        }

        _records[_head].CopyTo(into);
        return true;
    }

    public void RemoveOldest()
    {
        if (_count == 0)
        {
            return;
        }

        _head = (_head + 1) % _records.Length;
        _count--;
    }
}
