namespace SmartCommunity.Simulator.Load;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HdrHistogram;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;

/// <summary>What every telemetry source of a run counted, and how long its PUBACKs took (publish → PUBACK).</summary>
public sealed class TelemetryCounters
{
    private readonly ConcurrentDictionary<string, long> _rejectedByReason = new(StringComparer.Ordinal);
    private long _sent;
    private long _throttled;
    private long _accepted;
    private long _rejected;
    private long _unacknowledged;
    private long _lastAckAt;

    public LongConcurrentHistogram IngestLatency { get; } = LatencyFigures.NewConcurrentHistogram();

    public long Sent => Interlocked.Read(ref _sent);

    public long Throttled => Interlocked.Read(ref _throttled);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Unacknowledged => Interlocked.Read(ref _unacknowledged);

    /// <summary>Sent, with neither a PUBACK nor a failure yet.</summary>
    public long InFlight => Sent - Accepted - Rejected - Unacknowledged;

    /// <summary><see cref="Stopwatch"/> timestamp of the last accepting PUBACK; 0 before the first.</summary>
    public long LastAckAt => Interlocked.Read(ref _lastAckAt);

    public IReadOnlyDictionary<string, long> RejectedByReason => new Dictionary<string, long>(_rejectedByReason);

    public void CountSent() => Interlocked.Increment(ref _sent);

    public void CountThrottled() => Interlocked.Increment(ref _throttled);

    public void CountAccepted(long sentAt, long ackedAt)
    {
        IngestLatency.RecordValue(LatencyFigures.ClampMicroseconds(Stopwatch.GetElapsedTime(sentAt, ackedAt)));
        long last = Interlocked.Read(ref _lastAckAt);
        while (ackedAt > last)
        {
            long seen = Interlocked.CompareExchange(ref _lastAckAt, ackedAt, last);
            if (seen == last)
            {
                break;
            }

            last = seen;
        }

        Interlocked.Increment(ref _accepted);
    }

    public void CountRejected(string reason)
    {
        _rejectedByReason.AddOrUpdate(reason, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _rejected);
    }

    public void CountUnacknowledged() => Interlocked.Increment(ref _unacknowledged);
}

/// <summary>
/// A lean telemetry source: one device's own MQTT 5 connection (client id = device id, Last Will, its command topic
/// subscribed, online status as protocol.md §3 asks) that publishes telemetry when the pacer says so, without the
/// firmware's loop. Commands sent to it are received and ignored (the edge sends smoke detectors none in a load run). A run needs a
/// thousand or more of these on a 2-core machine shared with the edge, and what the edge sees is the same: a
/// device's telemetry on its own topic with growing sequence numbers (protocol.md §2–3).
/// <para>
/// Telemetry goes out with QoS 1 here, although devices send it with QoS 0 (protocol.md §1): the edge does the same
/// work for both (decode, twin, rules, event log, commit before it lets the client's next message in), but only a
/// PUBACK, which the edge sends after the commit (§8), tells the run which messages were taken, lets it check them
/// against the event log, and measures ingest latency. Up to <see cref="Window"/> messages per device may wait for
/// their PUBACK; a message due while the window is full is not sent and counted as throttled.
/// </para>
/// </summary>
public sealed class TelemetrySource : IAsyncDisposable
{
    public const int Window = 32;

    private readonly long _epoch;
    private readonly string _topic;
    private readonly IMqttClient _client;
    private readonly List<long> _accepted = new();
    private long _sequence;
    private int _inFlight;

    public TelemetrySource(DeviceDefinition device, long boot, TelemetryCounters counters, long epoch)
    {
        Device = device;
        Boot = boot;
        Counters = counters;
        _epoch = epoch;
        _topic = Topics.Device(device.Site, device.Building, device.Kind, device.Id, Channel.Telemetry);
        _client = new MqttClientFactory().CreateMqttClient();
    }

    public DeviceDefinition Device { get; }

    /// <summary>Where the next messages are counted; the run swaps it when the warm-up ends. A message is counted where it was sent.</summary>
    public TelemetryCounters Counters { get; set; }

    public long Boot { get; }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Sequence numbers of the telemetry messages the edge accepted (PUBACK with a success code).</summary>
    public IReadOnlyList<long> AcceptedSequences
    {
        get
        {
            lock (_accepted)
            {
                return _accepted.ToArray();
            }
        }
    }

    public async Task ConnectAsync(string host, int port, CancellationToken cancel)
    {
        string id = Device.Id;
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(id)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithWillTopic(Topics.Device(Device.Site, Device.Building, Device.Kind, id, Channel.Status))
            .WithWillPayload(Encoding.UTF8.GetBytes($$"""{"v":1,"dev":"{{id}}","online":false}"""))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _client.ConnectAsync(options, cancel);

        // A smoke detector subscribes to its command topic (protocol.md §1); the broker's routing of every publish
        // looks at subscribed sessions, so a source without a subscription would make the edge look cheaper than a site.
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.Device(Device.Site, Device.Building, Device.Kind, id, Channel.Command), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancel);

        long sequence = ++_sequence;
        string online = string.Create(CultureInfo.InvariantCulture,
            $$"""{"v":1,"dev":"{{id}}","seq":{{sequence}},"boot":{{Boot}},"up":{{Uptime()}},"online":true,"kind":"{{Device.Kind}}","role":"{{Device.Role}}","fw":"sc-sim-load"}""");
        await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Device(Device.Site, Device.Building, Device.Kind, id, Channel.Status))
            .WithPayload(Encoding.UTF8.GetBytes(online))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(true)
            .Build(), cancel);
    }

    /// <summary>Sends one telemetry message unless the device's window is full. Called by one pacer thread only.</summary>
    public bool TryPublish()
    {
        TelemetryCounters counters = Counters;
        if (Volatile.Read(ref _inFlight) >= Window)
        {
            counters.CountThrottled();
            return false;
        }

        long sequence = ++_sequence;
        string payload = string.Create(CultureInfo.InvariantCulture,
            $$"""{"v":1,"dev":"{{Device.Id}}","seq":{{sequence}},"boot":{{Boot}},"up":{{Uptime()}},"level":{{95 + (sequence % 11)}}}""");
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(_topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        Interlocked.Increment(ref _inFlight);
        counters.CountSent();
        _ = CompleteAsync(message, sequence, counters, Stopwatch.GetTimestamp());
        return true;
    }

    public async ValueTask DisposeAsync()
    {
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
            // Going away anyway; the broker drops the connection.
        }

        _client.Dispose();
    }

    private async Task CompleteAsync(MqttApplicationMessage message, long sequence, TelemetryCounters counters, long sentAt)
    {
        try
        {
            MqttClientPublishResult result = await _client.PublishAsync(message, CancellationToken.None).ConfigureAwait(false);

            // MQTT 5 §3.4.2.1: reason codes below 0x80 accept the message (0x10: accepted, nobody subscribed).
            if ((int)result.ReasonCode < 0x80)
            {
                lock (_accepted)
                {
                    _accepted.Add(sequence);
                }

                counters.CountAccepted(sentAt, Stopwatch.GetTimestamp());
            }
            else
            {
                counters.CountRejected(result.ReasonCode.ToString());
            }
        }
        catch (Exception)
        {
            // Timed out, connection lost, client closed: the edge never acknowledged it.
            counters.CountUnacknowledged();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private long Uptime() => (long)Stopwatch.GetElapsedTime(_epoch).TotalMilliseconds;
}
