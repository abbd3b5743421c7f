namespace SmartCommunity.Firmware.Messaging;

using SmartCommunity.Firmware.Hal;

/// <summary>
/// Announces the device when a new MQTT session starts: a retained online status on the status topic, whose
/// Last Will counterpart the transport registered (hardware-docs/protocol.md §3). The device then republishes
/// its full state, so the edge's twin is right after any reconnect.
/// </summary>
public sealed class Presence
{
    private readonly Uplink _uplink;
    private readonly IMessageTransport _transport;
    private readonly string _role;
    private int _announcedSession;
    private bool _attempted;
    private long _lastAttemptMs;

    public Presence(Uplink uplink, IMessageTransport transport, string role)
    {
        _uplink = uplink;
        _transport = transport;
        _role = role;
    }

    /// <summary>
    /// Whether the device's full state should go out now: right after the online status of a new session (the
    /// heartbeat then starts over), or when <paramref name="heartbeat"/> is due.
    /// </summary>
    public bool IsStateDue(Cadence heartbeat, long nowMs)
    {
        if (AnnounceIfNewSession(nowMs))
        {
            heartbeat.Restart(nowMs);
            return true;
        }

        return heartbeat.IsDue(nowMs);
    }

    /// <summary>
    /// True once per new session, after the online status went out. A transport that refuses it (queue full) is
    /// asked again at most every <see cref="Uplink.RetryIntervalMs"/>, so a full queue does not burn sequence numbers.
    /// </summary>
    public bool AnnounceIfNewSession(long nowMs)
    {
        int session = _transport.Sessions;
        if (session == _announcedSession || !_transport.IsConnected
            || (_attempted && nowMs - _lastAttemptMs < Uplink.RetryIntervalMs))
        {
            return false;
        }

        _attempted = true;
        _lastAttemptMs = nowMs;

        Protocol.PayloadWriter writer = _uplink.Begin();
        writer.Property("online", true);
        writer.Property("kind", _uplink.Identity.Kind);
        writer.Property("role", _role);
        writer.Property("fw", _uplink.Identity.FirmwareVersion);
        if (!_uplink.Send(_uplink.Identity.StatusTopic, 1, true))
        {
            return false;
        }

        _announcedSession = session;
        _attempted = false;
        return true;
    }
}
