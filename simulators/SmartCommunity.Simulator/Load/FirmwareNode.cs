namespace SmartCommunity.Simulator.Load;

using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Protocol;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Simulation.Devices;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// A door or the alarm detector of a building in a load run: the real firmware logic (DoorController, SmokeDetector)
/// on simulated pins, over a <see cref="ProbedTransport"/> that tells the <see cref="AlarmProbe"/> when an alarm leaves
/// and when a release arrives. It is built like the simulator's VirtualDevice, but stepped by one shared
/// <see cref="FirmwareLoop"/> instead of a loop of its own, and with the probe's timestamps at the transport.
/// </summary>
public sealed class FirmwareNode : IAsyncDisposable
{
    public const string FirmwareVersion = "sim-load-0.1.0";
    public const int CleanAirLevel = 100;
    public const int SmokeLevel = 800;

    private readonly TimeProviderClock _clock;

    private FirmwareNode(DeviceDefinition definition, IFirmwareDevice firmware, ProbedTransport transport, TimeProviderClock clock)
    {
        Definition = definition;
        Firmware = firmware;
        Transport = transport;
        _clock = clock;
    }

    public DeviceDefinition Definition { get; }

    public IFirmwareDevice Firmware { get; }

    public ProbedTransport Transport { get; }

    /// <summary>Door output; energised = locked (egress) or held open (hold-open). Null for the detector.</summary>
    public SimulatedOutput? DoorOutput { get; private init; }

    public SimulatedAnalogInput? SmokeHead { get; private init; }

    public SmokeDetector? Detector => Firmware as SmokeDetector;

    /// <summary>
    /// Builds the device with boot count <paramref name="boot"/>: the store is seeded so the firmware's own
    /// <see cref="BootCounter"/> arrives there, so the edge sees a boot newer than any earlier run's (protocol.md §3).
    /// </summary>
    public static FirmwareNode Create(DeviceDefinition definition, string host, int port, long boot, AlarmProbe probe)
    {
        var clock = new TimeProviderClock(TimeProvider.System);
        var store = new MemoryStore();
        byte[] record = BitConverter.GetBytes(boot - 1);
        store.Write(BootCounter.StoreKey, record, record.Length);
        long booted = BootCounter.Advance(store);
        var identity = new DeviceIdentity(definition.Site, definition.Building, definition.Kind, definition.Id, FirmwareVersion);
        var transport = new ProbedTransport(host, port, identity, probe);
        switch (definition.Kind)
        {
            case DeviceKinds.Door:
            {
                var output = new SimulatedOutput();
                var door = new DoorController(identity, FirmwareSettings.Door(definition), output, new SimulatedInput(), new SimulatedInput(active: true), clock, transport, booted);
                transport.Attach(door);
                return new FirmwareNode(definition, door, transport, clock) { DoorOutput = output };
            }

            case DeviceKinds.Smoke:
            {
                var head = new SimulatedAnalogInput(CleanAirLevel);
                var smoke = new SmokeDetector(identity, FirmwareSettings.SmokeDetector(definition), head, clock, transport, booted);
                transport.Attach(smoke);
                return new FirmwareNode(definition, smoke, transport, clock) { SmokeHead = head };
            }

            default:
                throw new NotSupportedException($"a load run has no firmware for '{definition.Kind}'");
        }
    }

    /// <summary>One iteration of the device's main loop; called by the <see cref="FirmwareLoop"/> thread only.</summary>
    public void Step()
    {
        long now = _clock.UptimeMs;
        Transport.DeliverInbox(now);
        Firmware.Step(now);
    }

    public ValueTask DisposeAsync() => Transport.DisposeAsync();
}

/// <summary>Steps every firmware node of the run, one after the other, every few milliseconds on one task.</summary>
public sealed class FirmwareLoop(IReadOnlyList<FirmwareNode> nodes, TimeSpan tick) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(tick);
        try
        {
            do
            {
                foreach (FirmwareNode node in nodes)
                {
                    node.Step();
                }
            }
            while (await timer.WaitForNextTickAsync(cancel));
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>
/// A firmware device's MQTT session (like the simulator's MqttDeviceTransport: Last Will, subscriptions, reconnect,
/// a bounded outgoing queue the loop never waits on, an inbox the loop drains), with the two timestamps a load run
/// needs: an <c>alarm</c> event handed to the MQTT client, and a message arriving on the command topic.
/// Messages go out one at a time, each after the previous one's PUBACK, as on the device.
/// </summary>
public sealed class ProbedTransport : IMessageTransport, IAsyncDisposable
{
    public const int OutgoingCapacity = 256;

    private static readonly byte[] AlarmEvent = "\"event\":\"alarm\""u8.ToArray();
    private readonly string _host;
    private readonly int _port;
    private readonly DeviceIdentity _identity;
    private readonly AlarmProbe _probe;
    private readonly IMqttClient _client;
    private readonly Channel<(string Topic, byte[] Payload, int Qos, bool Retain)> _outgoing =
        Channel.CreateBounded<(string, byte[], int, bool)>(new BoundedChannelOptions(OutgoingCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ConcurrentQueue<(string Topic, byte[] Payload)> _inbox = new();
    private readonly CancellationTokenSource _stop = new();
    private IFirmwareDevice? _device;
    private Task? _connectLoop;
    private Task? _sendLoop;
    private int _sessions;
    private int _pending;

    public ProbedTransport(string host, int port, DeviceIdentity identity, AlarmProbe probe)
    {
        _host = host;
        _port = port;
        _identity = identity;
        _probe = probe;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            long at = Stopwatch.GetTimestamp();
            byte[] payload = e.ApplicationMessage.Payload.ToArray();
            if (e.ApplicationMessage.Topic == _identity.CommandTopic)
            {
                _probe.OnCommand(_identity.DeviceId, payload, at);
            }

            _inbox.Enqueue((e.ApplicationMessage.Topic, payload));
            return Task.CompletedTask;
        };
    }

    public bool IsConnected => _client.IsConnected;

    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Messages queued or waiting for their PUBACK: 0 means the edge has taken everything the firmware sent.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Attach(IFirmwareDevice device) => _device = device;

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

        Interlocked.Increment(ref _pending);
        if (_outgoing.Writer.TryWrite((topic, payload.AsSpan(0, length).ToArray(), qos, retain)))
        {
            return true;
        }

        Interlocked.Decrement(ref _pending);
        return false;
    }

    public void DeliverInbox(long nowMs)
    {
        while (_device is not null && _inbox.TryDequeue(out var message))
        {
            _device.HandleMessage(message.Topic, message.Payload, message.Payload.Length, nowMs);
        }
    }

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

        try
        {
            if (_client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
            }
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task KeepConnectedAsync(CancellationToken cancel)
    {
        byte[] will = new byte[128];
        int willLength = Uplink.WriteOfflineStatus(_identity.DeviceId, will);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_host, _port)
            .WithClientId(_identity.DeviceId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithWillTopic(_identity.StatusTopic)
            .WithWillPayload(will.AsSpan(0, willLength).ToArray())
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!cancel.IsCancellationRequested)
        {
            if (!_client.IsConnected && _device is not null)
            {
                try
                {
                    await _client.ConnectAsync(options, cancel);
                    var subscribe = new MqttClientSubscribeOptionsBuilder();
                    foreach (string topic in _device.Subscriptions)
                    {
                        subscribe.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce);
                    }

                    await _client.SubscribeAsync(subscribe.Build(), cancel);
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
        try
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(cancel))
            {
                var application = new MqttApplicationMessageBuilder()
                    .WithTopic(message.Topic)
                    .WithPayload(message.Payload)
                    .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)message.Qos)
                    .WithRetainFlag(message.Retain)
                    .Build();
                if (message.Topic == _identity.EventTopic && message.Payload.AsSpan().IndexOf(AlarmEvent) >= 0)
                {
                    _probe.OnAlarmLeaving(_identity.DeviceId, Stopwatch.GetTimestamp());
                }

                try
                {
                    await _client.PublishAsync(application, cancel);
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException
                    or InvalidOperationException or ObjectDisposedException)
                {
                    // Lost with the connection; the device's sequence numbers let the edge count it.
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
