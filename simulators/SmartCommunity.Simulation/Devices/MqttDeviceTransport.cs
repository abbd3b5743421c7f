namespace SmartCommunity.Simulation.Devices;

using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Protocol;
using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;

/// <summary>
/// A virtual device's MQTT session over a real MQTTnet client: Last Will, subscriptions, reconnect with backoff,
/// a bounded outgoing queue (Publish never blocks the device loop) and an inbox the loop drains on its own thread.
/// It plays the part M2Mqtt plays on the microcontroller (firmware/SmartCommunity.DoorNode).
/// <para>
/// Two ways to run it. <see cref="Start"/>: its own loops connect, reconnect and send in real time (sc-sim demo, load,
/// the integration tests). <see cref="StartManual"/>: nothing runs by itself; whoever steps the device connects with
/// <see cref="TryConnectAsync"/> and sends with <see cref="FlushAsync"/>, which awaits each QoS 1 PUBACK, so a
/// virtual-time scenario knows when the edge has committed what the device sent. A manual session also subscribes to
/// <see cref="ProbeTopic"/>: a probe the edge publishes there arrives after everything the broker queued for this
/// device before it, which is how the scenario runner knows the downlink is drained.
/// </para>
/// </summary>
public sealed class MqttDeviceTransport : IMessageTransport, IAsyncDisposable
{
    public const int OutgoingCapacity = 256;

    /// <summary>The scenario runner's probe topic (manual sessions only); never handed to the firmware.</summary>
    public const string ProbeTopic = "sc-sim/probe";

    private readonly string _host;
    private readonly int _port;
    private readonly IFirmwareDevice _device;
    private volatile IMqttClient _client;
    private readonly Channel<Outgoing> _outgoing = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(OutgoingCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ConcurrentQueue<(string Topic, byte[] Payload)> _inbox = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _connectLoop;
    private Task? _sendLoop;
    private int _sessions;
    private long _probe;
    private long _received;
    private long _lost;
    private volatile bool _networkCut;
    private volatile bool _manual;

    public MqttDeviceTransport(string host, int port, IFirmwareDevice device)
    {
        _host = host;
        _port = port;
        _device = device;
        _client = CreateClient();
    }

    /// <summary>The device's MQTT password as the edge issued it; null logs in without one (development, hardware-docs/security.md §3).</summary>
    public string? Password { get; set; }

    public bool IsConnected => _client.IsConnected && !_networkCut;

    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>True between <see cref="CutNetworkAsync"/> and <see cref="RestoreNetwork"/>.</summary>
    public bool IsNetworkCut => _networkCut;

    /// <summary>Messages waiting for the device loop (or the scenario runner) to hand them to the firmware.</summary>
    public int InboxCount => _inbox.Count;

    /// <summary>Messages the firmware published that are not sent yet.</summary>
    public int OutboxCount => _outgoing.Reader.Count;

    /// <summary>Messages received from the broker so far, probes excluded.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>The number carried by the last probe that arrived (manual sessions).</summary>
    public long LastProbe => Interlocked.Read(ref _probe);

    /// <summary>Fault switch: what the device publishes is accepted and then lost on the way (counted in <see cref="Lost"/>).</summary>
    public bool LosesOutgoing { get; set; }

    /// <summary>Messages lost by <see cref="LosesOutgoing"/> on this session's transport.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    public void Start()
    {
        _connectLoop = Task.Run(() => KeepConnectedAsync(_stop.Token));
        _sendLoop = Task.Run(() => SendAsync(_stop.Token));
    }

    /// <summary>Externally stepped: no loops; connect with <see cref="TryConnectAsync"/>, send with <see cref="FlushAsync"/>.</summary>
    public void StartManual() => _manual = true;

    public bool Publish(string topic, byte[] payload, int length, int qos, bool retain)
    {
        if (!IsConnected)
        {
            return false;
        }

        if (LosesOutgoing)
        {
            // Handed over as far as the device can tell, then lost on the way (a lossy link, a broker that dropped it).
            Interlocked.Increment(ref _lost);
            return true;
        }

        return _outgoing.Writer.TryWrite(new Outgoing(topic, payload.AsSpan(0, length).ToArray(), qos, retain));
    }

    /// <summary>
    /// Hands every received message to the device; call on the device loop's thread. <paramref name="observer"/> sees
    /// each one first (the scenario runner records what reached the device). Returns how many were handed over.
    /// </summary>
    public int DeliverInbox(long nowMs, Action<string, byte[]>? observer = null)
    {
        int delivered = 0;
        while (_inbox.TryDequeue(out var message))
        {
            observer?.Invoke(message.Topic, message.Payload);
            _device.HandleMessage(message.Topic, message.Payload, message.Payload.Length, nowMs);
            delivered++;
        }

        return delivered;
    }

    /// <summary>
    /// Fault switch: the link dies as if the cable were pulled. The socket is closed without a DISCONNECT packet,
    /// so the broker publishes the Last Will (a clean DISCONNECT would suppress it); the device stays off until
    /// <see cref="RestoreNetwork"/>.
    /// </summary>
    public Task CutNetworkAsync()
    {
        _networkCut = true;
        IMqttClient severed = _client;
        _client = CreateClient();
        severed.Dispose();
        return Task.CompletedTask;
    }

    public void RestoreNetwork() => _networkCut = false;

    /// <summary>Manual sessions: one connection attempt (connect, subscribe). False when cut, already connected, or refused.</summary>
    public async Task<bool> TryConnectAsync(CancellationToken cancel)
    {
        IMqttClient client = _client;
        if (client.IsConnected || _networkCut)
        {
            return false;
        }

        try
        {
            await ConnectAsync(client, cancel);
            return true;
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Manual sessions: sends everything queued, one message after the other, awaiting each QoS 1 PUBACK (which the
    /// edge sends only after committing the message). <paramref name="sent"/> is told of each message the broker
    /// took. Returns how many that were.
    /// </summary>
    public async Task<int> FlushAsync(Action<SentMessage>? sent, CancellationToken cancel)
    {
        int count = 0;
        while (_outgoing.Reader.TryRead(out Outgoing? message))
        {
            long started = Stopwatch.GetTimestamp();
            if (await TryPublishAsync(message, cancel))
            {
                sent?.Invoke(new SentMessage(message.Topic, message.Payload, message.Qos, started));
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Fault injection: publishes bytes the firmware never built (corrupt, oversized, on a foreign topic) on this
    /// device's own connection, as a faulty device would. False when not connected or the broker did not take it.
    /// </summary>
    public Task<bool> PublishRawAsync(string topic, byte[] payload, int qos, CancellationToken cancel) =>
        IsConnected ? TryPublishAsync(new Outgoing(topic, payload, qos, false), cancel) : Task.FromResult(false);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _outgoing.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_connectLoop ?? Task.CompletedTask, _sendLoop ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
        }

        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync();
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
            {
                // The broker went away first (an edge stopped by a scenario); nothing left to say goodbye to.
            }
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private IMqttClient CreateClient()
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == ProbeTopic)
            {
                string text = Encoding.ASCII.GetString(e.ApplicationMessage.Payload.ToArray());
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long probe))
                {
                    Interlocked.Exchange(ref _probe, probe);
                }

                return Task.CompletedTask;
            }

            _inbox.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            Interlocked.Increment(ref _received);
            return Task.CompletedTask;
        };
        return client;
    }

    private MqttClientOptions Options()
    {
        byte[] will = new byte[128];
        int willLength = Uplink.WriteOfflineStatus(_device.Identity.DeviceId, will);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_host, _port)
            .WithClientId(_device.Identity.DeviceId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithWillTopic(_device.Identity.StatusTopic)
            .WithWillPayload(will.AsSpan(0, willLength).ToArray())
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        return (Password is null ? options : options.WithCredentials(_device.Identity.DeviceId, Password)).Build();
    }

    private async Task ConnectAsync(IMqttClient client, CancellationToken cancel)
    {
        await client.ConnectAsync(Options(), cancel);
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (string topic in _device.Subscriptions)
        {
            subscribe.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        if (_manual)
        {
            subscribe.WithTopicFilter(ProbeTopic, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        await client.SubscribeAsync(subscribe.Build(), cancel);
        Interlocked.Increment(ref _sessions);
    }

    private async Task KeepConnectedAsync(CancellationToken cancel)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!cancel.IsCancellationRequested)
        {
            IMqttClient client = _client;
            if (!client.IsConnected && !_networkCut)
            {
                try
                {
                    await ConnectAsync(client, cancel);
                    backoff = TimeSpan.FromMilliseconds(100);
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
                {
                    if (cancel.IsCancellationRequested)
                    {
                        return;
                    }

                    backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
                }
            }

            try
            {
                await Task.Delay(_client.IsConnected ? TimeSpan.FromMilliseconds(100) : backoff, cancel);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendAsync(CancellationToken cancel)
    {
        await foreach (Outgoing message in _outgoing.Reader.ReadAllAsync(cancel))
        {
            await TryPublishAsync(message, cancel);
        }
    }

    private async Task<bool> TryPublishAsync(Outgoing message, CancellationToken cancel)
    {
        var application = new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(message.Payload)
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)message.Qos)
            .WithRetainFlag(message.Retain)
            .Build();
        try
        {
            await _client.PublishAsync(application, cancel);
            return true;
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // Lost with the connection; the device's sequence numbers let the edge count it.
            return false;
        }
    }

    private sealed record Outgoing(string Topic, byte[] Payload, int Qos, bool Retain);
}

/// <summary>A message a manual session sent: what, and when it left (<see cref="Stopwatch.GetTimestamp"/> before the publish).</summary>
public sealed record SentMessage(string Topic, byte[] Payload, int Qos, long SentTimestamp);
