namespace SmartCommunity.Firmware.Messaging;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Protocol;

/// <summary>
/// Everything a device sends goes through here: the common envelope (v, dev, seq, boot, up), one reusable
/// buffer, and the per-device sequence number the edge uses to count lost and duplicated messages
/// (hardware-docs/protocol.md §2–3). A message the transport refuses still consumes its number, so the
/// edge sees the gap.
/// </summary>
public sealed class Uplink
{
    /// <summary>Least time between two attempts to send something the transport refused (retries of presence, alarms).</summary>
    public const long RetryIntervalMs = 1000;

    private readonly DeviceIdentity _identity;
    private readonly IClock _clock;
    private readonly IMessageTransport _transport;
    private readonly PayloadWriter _writer;
    private readonly long _boot;
    private long _sequence;
    private long _dropped;

    public Uplink(DeviceIdentity identity, IClock clock, IMessageTransport transport, long boot)
    {
        _identity = identity;
        _clock = clock;
        _transport = transport;
        _boot = boot;
        _writer = new PayloadWriter(new byte[MessageLimits.MaxUplinkBytes]);
    }

    public long Boot => _boot;

    public long Sequence => _sequence;

    /// <summary>Messages that were built but not handed to the transport (offline, queue full, overflow).</summary>
    public long Dropped => _dropped;

    public DeviceIdentity Identity => _identity;

    /// <summary>Whether the transport is connected now; lets a device hold a retry rather than drop it.</summary>
    public bool CanSend => _transport.IsConnected;

    /// <summary>Starts a message with the envelope already written; add fields, then call <see cref="Send"/>.</summary>
    public PayloadWriter Begin()
    {
        _sequence++;
        _writer.BeginObject();
        _writer.Property("v", ProtocolVersion.Current);
        _writer.Property("dev", _identity.DeviceId);
        _writer.Property("seq", _sequence);
        _writer.Property("boot", _boot);
        _writer.Property("up", _clock.UptimeMs);
        return _writer;
    }

    /// <summary>Starts an event message: the envelope plus <c>"event": name</c>.</summary>
    public PayloadWriter BeginEvent(string name)
    {
        PayloadWriter writer = Begin();
        writer.Property("event", name);
        return writer;
    }

    public bool Send(string topic, int qos)
    {
        return Send(topic, qos, false);
    }

    public bool Send(string topic, int qos, bool retain)
    {
        _writer.EndObject();
        if (_writer.Overflowed || !_transport.IsConnected
            || !_transport.Publish(topic, _writer.Buffer, _writer.Length, qos, retain))
        {
            _dropped++;
            return false;
        }

        return true;
    }

    /// <summary>The Last Will the transport registers when it connects: <c>{"v":1,"dev":id,"online":false}</c>, retained.</summary>
    public static int WriteOfflineStatus(string deviceId, byte[] buffer)
    {
        PayloadWriter writer = new PayloadWriter(buffer);
        writer.BeginObject();
        writer.Property("v", ProtocolVersion.Current);
        writer.Property("dev", deviceId);
        writer.Property("online", false);
        writer.EndObject();
        return writer.Overflowed ? -1 : writer.Length;
    }
}
