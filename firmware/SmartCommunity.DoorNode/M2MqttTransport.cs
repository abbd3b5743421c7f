namespace SmartCommunity.DoorNode;

using System;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;

/// <summary>
/// The device's MQTT session over nanoFramework.M2Mqtt (hardware-docs/protocol.md §1, §3). Everything that can
/// block (DNS, TCP, TLS, CONNACK) happens on one background thread; the loop thread only ever takes a short lock.
/// <list type="bullet">
/// <item>Client id = device id; user and password from the configuration bundle; TLS 1.2 when the bundle asks.</item>
/// <item>Last Will = the retained offline status on the device's status topic, so the edge learns of a silent
/// death within about 1.5 keep-alive periods.</item>
/// <item>Clean session, and the device's topics subscribed again at QoS 1 after every connect: the broker then
/// re-delivers the retained building fire state each time, and no stale command piles up while offline.</item>
/// <item><see cref="Sessions"/> goes up after each successful connect, which makes the device announce itself.</item>
/// <item>On <c>ConnectionClosed</c> (or a client found dead by the periodic check) it reconnects with exponential
/// backoff and jitter, for ever. It never restarts the MCU: the door keeps its local interlocks offline.</item>
/// <item>M2Mqtt queues without limit by default, so this class caps QoS 1 messages awaiting their PUBACK at
/// <see cref="MaxPendingPublishes"/> and refuses more (the device counts them as dropped).</item>
/// </list>
/// </summary>
internal sealed class M2MqttTransport : IMessageTransport
{
    public const int MaxPendingPublishes = 8;

    /// <summary>
    /// Backstop for M2Mqtt's own queue. That queue also holds received QoS 1 messages until their PUBACK is sent,
    /// so it must stay well above <see cref="MaxPendingPublishes"/> or incoming commands would be lost.
    /// </summary>
    public const int LibraryQueueLimit = 32;

    public const ushort KeepAliveSeconds = 15;

    private const int FirstBackoffMs = 1000;
    private const int MaxBackoffMs = 60000;
    private const int HealthCheckMs = 5000;

    private readonly object _gate = new object();
    private readonly AutoResetEvent _wake = new AutoResetEvent(false);
    private readonly Random _jitter = new Random();
    private readonly DeviceConfig _config;
    private readonly X509Certificate _caCertificate;
    private readonly string _willTopic;
    private readonly string _willMessage;
    private readonly InboundQueue _inbound;
    private string[] _topics;
    private MqttQoSLevel[] _topicQos;
    private MqttClient _client;
    private bool _connected;
    private int _sessions;
    private int _pending;
    private long _refused;
    private long _connectFailures;

    /// <param name="caCertificate">
    /// The broker's CA for TLS, or null to rely on the CA certificate stored on the device by nanoff's network
    /// deployment (README.md).
    /// </param>
    public M2MqttTransport(DeviceConfig config, DeviceIdentity identity, X509Certificate caCertificate)
    {
        _config = config;
        _caCertificate = caCertificate;
        _willTopic = identity.StatusTopic;
        _willMessage = OfflineStatus(identity.DeviceId);
        _inbound = new InboundQueue(identity.FireStateTopic);
    }

    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _connected;
            }
        }
    }

    public int Sessions
    {
        get
        {
            lock (_gate)
            {
                return _sessions;
            }
        }
    }

    /// <summary>Publishes refused here (offline, cap reached, M2Mqtt threw).</summary>
    public long Refused
    {
        get
        {
            lock (_gate)
            {
                return _refused;
            }
        }
    }

    public long ConnectFailures
    {
        get
        {
            lock (_gate)
            {
                return _connectFailures;
            }
        }
    }

    public long InboundDropped => _inbound.Dropped;

    /// <summary>Subscribes <paramref name="topics"/> on every session and starts the connection thread.</summary>
    public void Start(string[] topics)
    {
        _topics = topics;
        _topicQos = new MqttQoSLevel[topics.Length];
        for (int i = 0; i < topics.Length; i++)
        {
            _topicQos[i] = MqttQoSLevel.AtLeastOnce;
        }

        MqttSettings.Instance.InflightQueueSize = LibraryQueueLimit;
        new Thread(Supervise).Start();
    }

    /// <summary>
    /// Queues one message. QoS 0 maps to at-most-once and anything higher to at-least-once (the protocol uses no
    /// QoS 2). The payload is copied because M2Mqtt holds on to the array until the broker has acknowledged it,
    /// while the caller reuses its buffer: this is the one allocation per message on the device.
    /// </summary>
    public bool Publish(string topic, byte[] payload, int length, int qos, bool retain)
    {
        MqttClient client;
        lock (_gate)
        {
            if (!_connected || _pending >= MaxPendingPublishes)
            {
                _refused++;
                return false;
            }

            client = _client;
            if (qos > 0)
            {
                _pending++;
            }
        }

        byte[] copy = new byte[length];
        Array.Copy(payload, copy, length);
        try
        {
            client.Publish(topic, copy, null, null, qos > 0 ? MqttQoSLevel.AtLeastOnce : MqttQoSLevel.AtMostOnce, retain);
            return true;
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                if (qos > 0 && _pending > 0 && ReferenceEquals(client, _client))
                {
                    _pending--;
                }

                _refused++;
            }

            Debug.WriteLine("mqtt: publish refused: " + ex.Message);
            return false;
        }
    }

    /// <summary>Loop thread: the next received message, copied into <paramref name="payload"/>; -1 when none.</summary>
    public int TryTake(byte[] payload, out string topic)
    {
        return _inbound.TryDequeue(payload, out topic);
    }

    private void Supervise()
    {
        int backoffMs = FirstBackoffMs;
        while (true)
        {
            if (!IsConnected)
            {
                if (TryConnect())
                {
                    backoffMs = FirstBackoffMs;
                }
                else
                {
                    lock (_gate)
                    {
                        _connectFailures++;
                    }

                    Thread.Sleep(backoffMs + _jitter.Next(backoffMs / 4 + 1));
                    backoffMs = backoffMs >= MaxBackoffMs / 2 ? MaxBackoffMs : backoffMs * 2;
                    continue;
                }
            }

            // Woken early by ConnectionClosed; otherwise look at the client now and then, because not every way a
            // connection can die raises that event.
            _wake.WaitOne(HealthCheckMs, false);
            lock (_gate)
            {
                if (_connected && !_client.IsConnected)
                {
                    _connected = false;
                    _pending = 0;
                }
            }
        }
    }

    private bool TryConnect()
    {
        if (!NetworkLink.EnsureUp(_config.MqttTls))
        {
            return false;
        }

        MqttClient client = null;
        try
        {
            // The constructor resolves the host name, so it belongs on this thread too.
            client = _config.MqttTls
                ? new MqttClient(_config.MqttHost, _config.MqttPort, true, _caCertificate, null, MqttSslProtocols.TLSv1_2)
                : new MqttClient(_config.MqttHost, _config.MqttPort, false, null, null, MqttSslProtocols.None);
            client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
            client.MqttMsgPublishReceived += OnMessageReceived;
            client.MqttMsgPublished += OnPublished;
            client.ConnectionClosed += OnConnectionClosed;

            MqttReasonCode code = client.Connect(
                _config.DeviceId,
                NullIfEmpty(_config.MqttUser),
                NullIfEmpty(_config.MqttPassword),
                true,
                MqttQoSLevel.AtLeastOnce,
                true,
                _willTopic,
                _willMessage,
                true,
                KeepAliveSeconds);
            if (code != MqttReasonCode.Success)
            {
                Debug.WriteLine("mqtt: broker refused the connection, reason " + ((int)code).ToString());
                Discard(client);
                return false;
            }

            client.Subscribe(_topics, _topicQos);
        }
        catch (Exception ex)
        {
            Debug.WriteLine("mqtt: connect failed: " + ex.Message);
            Discard(client);
            return false;
        }

        MqttClient previous;
        lock (_gate)
        {
            previous = _client;
            _client = client;
            _connected = true;
            _pending = 0;
            _sessions++;
        }

        Discard(previous);
        return true;
    }

    private void OnMessageReceived(object sender, MqttMsgPublishEventArgs e)
    {
        if (!_inbound.TryEnqueue(e.Topic, e.Message))
        {
            Debug.WriteLine("mqtt: inbound queue full, message dropped");
        }
    }

    private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
    {
        // Raised for QoS 1 on PUBACK, or when M2Mqtt gives up after its retries; either way it is no longer pending.
        lock (_gate)
        {
            if (ReferenceEquals(sender, _client) && _pending > 0)
            {
                _pending--;
            }
        }
    }

    private void OnConnectionClosed(object sender, EventArgs e)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(sender, _client))
            {
                return;
            }

            _connected = false;
            _pending = 0;
        }

        _wake.Set();
    }

    private void Discard(MqttClient client)
    {
        if (client == null)
        {
            return;
        }

        client.MqttMsgPublishReceived -= OnMessageReceived;
        client.MqttMsgPublished -= OnPublished;
        client.ConnectionClosed -= OnConnectionClosed;
        try
        {
            client.Dispose();
        }
        catch (Exception)
        {
            // Closing a client that never connected can throw inside M2Mqtt; there is nothing left to release.
        }
    }

    private static string NullIfEmpty(string value)
    {
        return value == null || value.Length == 0 ? null : value;
    }

    // M2Mqtt takes the will message as a string. The payload is plain ASCII (device ids are limited to a-z, 0-9,
    // '-' and '_', protocol.md §1), so each byte is one character.
    private static string OfflineStatus(string deviceId)
    {
        byte[] buffer = new byte[128];
        int length = Uplink.WriteOfflineStatus(deviceId, buffer);
        if (length <= 0)
        {
            throw new ArgumentException("device id too long for the offline status");
        }

        char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)buffer[i];
        }

        return new string(chars);
    }
}
