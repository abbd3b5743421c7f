namespace SmartCommunity.Simulation.Devices;

using System;
using System.Buffers;
using System.Collections.Concurrent;
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
/// </summary>
public sealed class MqttDeviceTransport : IMessageTransport, IAsyncDisposable
{
    public const int OutgoingCapacity = 256;

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
    private volatile bool _networkCut;

    public MqttDeviceTransport(string host, int port, IFirmwareDevice device)
    {
        _host = host;
        _port = port;
        _device = device;
        _client = CreateClient();
    }

    public bool IsConnected => _client.IsConnected && !_networkCut;

    public int Sessions => Volatile.Read(ref _sessions);

    public void Start()
    {
        _connectLoop = Task.Run(() => KeepConnectedAsync(_stop.Token));
        _sendLoop = Task.Run(() => SendAsync(_stop.Token));
    }

    public bool Publish(string topic, byte[] payload, int length, int qos, bool retain)
    {
        if (!IsConnected)
        {
            return false;
        }

        return _outgoing.Writer.TryWrite(new Outgoing(topic, payload.AsSpan(0, length).ToArray(), qos, retain));
    }

    /// <summary>Hands every received message to the device; call on the device loop's thread.</summary>
    public void DeliverInbox(long nowMs)
    {
        while (_inbox.TryDequeue(out var message))
        {
            _device.HandleMessage(message.Topic, message.Payload, message.Payload.Length, nowMs);
        }
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
            await _client.DisconnectAsync();
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private IMqttClient CreateClient()
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            _inbox.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        return client;
    }

    private async Task KeepConnectedAsync(CancellationToken cancel)
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
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!cancel.IsCancellationRequested)
        {
            IMqttClient client = _client;
            if (!client.IsConnected && !_networkCut)
            {
                try
                {
                    await client.ConnectAsync(options, cancel);
                    var subscribe = new MqttClientSubscribeOptionsBuilder();
                    foreach (string topic in _device.Subscriptions)
                    {
                        subscribe.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce);
                    }

                    await client.SubscribeAsync(subscribe.Build(), cancel);
                    Interlocked.Increment(ref _sessions);
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
            var application = new MqttApplicationMessageBuilder()
                .WithTopic(message.Topic)
                .WithPayload(message.Payload)
                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)message.Qos)
                .WithRetainFlag(message.Retain)
                .Build();
            try
            {
                await _client.PublishAsync(application, cancel);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
            {
                // Lost with the connection; the device's sequence numbers let the edge count it.
            }
        }
    }

    private sealed record Outgoing(string Topic, byte[] Payload, int Qos, bool Retain);
}
