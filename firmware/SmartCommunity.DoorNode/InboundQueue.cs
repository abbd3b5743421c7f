namespace SmartCommunity.DoorNode;

using System;
using SmartCommunity.Protocol;

/// <summary>
/// Hands received MQTT messages from M2Mqtt's event thread to the main loop, which alone calls the device
/// (IFirmwareDevice: every message on the loop's thread). Bounded and preallocated: a slot holds at most
/// <see cref="MessageLimits.MaxDownlinkBytes"/> bytes, and when every slot is full a new command is dropped and
/// counted (the edge retries commands that are not acknowledged, hardware-docs/protocol.md §4).
/// <para>
/// The building's fire state never competes for a slot: it is a retained "latest value", so it has one slot of
/// its own that a newer message overwrites, and it is handed out before any command. A burst of commands can
/// therefore never push a fire alarm out of the queue.
/// </para>
/// </summary>
internal sealed class InboundQueue
{
    public const int Capacity = 8;

    private readonly object _gate = new object();
    private readonly string _latestOnlyTopic;
    private readonly string[] _topics = new string[Capacity];
    private readonly byte[][] _payloads = new byte[Capacity][];
    private readonly int[] _lengths = new int[Capacity];
    private readonly byte[] _latestPayload = new byte[MessageLimits.MaxDownlinkBytes];
    private int _latestLength;
    private bool _latestPending;
    private int _head;
    private int _count;
    private long _dropped;

    /// <param name="latestOnlyTopic">The topic whose newest message replaces any older one (the fire state).</param>
    public InboundQueue(string latestOnlyTopic)
    {
        _latestOnlyTopic = latestOnlyTopic;
        for (int i = 0; i < Capacity; i++)
        {
            _payloads[i] = new byte[MessageLimits.MaxDownlinkBytes];
        }
    }

    /// <summary>Messages refused because every slot was taken.</summary>
    public long Dropped
    {
        get
        {
            lock (_gate)
            {
                return _dropped;
            }
        }
    }

    /// <summary>Called on M2Mqtt's thread; copies the payload, never blocks for long.</summary>
    public bool TryEnqueue(string topic, byte[] message)
    {
        int length = message == null ? 0 : message.Length;
        lock (_gate)
        {
            if (topic == _latestOnlyTopic)
            {
                _latestLength = Copy(message, length, _latestPayload);
                _latestPending = true;
                return true;
            }

            if (_count == Capacity)
            {
                _dropped++;
                return false;
            }

            int slot = (_head + _count) % Capacity;
            _topics[slot] = topic;
            _lengths[slot] = Copy(message, length, _payloads[slot]);
            _count++;
            return true;
        }
    }

    /// <summary>
    /// Called on the loop thread: copies the oldest message (the fire state first) into
    /// <paramref name="payload"/> and returns its length, or -1 when nothing is waiting.
    /// </summary>
    public int TryDequeue(byte[] payload, out string topic)
    {
        lock (_gate)
        {
            if (_latestPending)
            {
                _latestPending = false;
                topic = _latestOnlyTopic;
                return CopyOut(_latestPayload, _latestLength, payload);
            }

            if (_count == 0)
            {
                topic = null;
                return -1;
            }

            int slot = _head;
            topic = _topics[slot];
            _topics[slot] = null;
            _head = (_head + 1) % Capacity;
            _count--;
            return CopyOut(_payloads[slot], _lengths[slot], payload);
        }
    }

    // An oversized message keeps its true length but only the bytes that fit: the decoders check the length
    // against MessageLimits.MaxDownlinkBytes before reading anything, so it is rejected as "oversized" (and a
    // command still gets its ack) instead of silently disappearing.
    private static int Copy(byte[] source, int length, byte[] slot)
    {
        if (length > 0)
        {
            Array.Copy(source, slot, length < slot.Length ? length : slot.Length);
        }

        return length;
    }

    private static int CopyOut(byte[] slot, int length, byte[] destination)
    {
        int bytes = length < slot.Length ? length : slot.Length;
        if (bytes > destination.Length)
        {
            bytes = destination.Length;
        }

        Array.Copy(slot, destination, bytes);
        return length;
    }
}
