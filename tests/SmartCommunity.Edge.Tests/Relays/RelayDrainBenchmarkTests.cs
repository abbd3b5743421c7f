namespace SmartCommunity.Edge.Tests.Relays;

using System;
using Stopwatch = System.Diagnostics.Stopwatch;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>
/// How fast a backlog drains when the backend returns (BRIEF: 20,000 messages a second is the aim). Measured, written
/// to artifacts/relay-drain.json at the repository root, never asserted: the assertions are only that everything got there.
/// </summary>
[TestClass]
public sealed class RelayDrainBenchmarkTests
{
    private const int Backlog = 20_000;

    [TestMethod]
    public async Task Drain_BacklogAfterOutage_RateWrittenToArtifacts()
    {
        using var data = new TempFolder();
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        // One alarm in fifty, the rest telemetry, from 100 devices.
        await RelayRig.AppendAllAsync(log, Enumerable.Range(1, Backlog).Select(i =>
            i % 50 == 0 ? RelayRig.Alarm($"d{i % 100}", i) : RelayRig.State($"d{i % 100}", i)));

        // Mosquitto as installed (Nagle on: set_tcp_nodelay false) and tuned for a relay feed.
        await using Mosquitto plain = await Mosquitto.StartAsync(data);
        await plain.StopAsync();
        await using Mosquitto noDelay = await Mosquitto.StartAsync(data, "set_tcp_nodelay true");
        await noDelay.StopAsync();
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        receiver.Unavailable = true;
        RelayDeliveryOptions delivery = RelayRig.Fast(batchSize: 500);

        // One relay at a time, each over the whole backlog with its own cursors, so the figures do not share the CPU.
        Drain mqtt = await MeasureAsync(log, new RelayDefinition
        {
            Name = "mqtt-mosquitto-defaults",
            Kind = RelayKind.Mqtt,
            Delivery = delivery,
            Mqtt = new MqttRelayOptions { Host = "127.0.0.1", Port = plain.Port },
        }, () => plain.StartAsync());
        Drain mqttNoDelay = await MeasureAsync(log, new RelayDefinition
        {
            Name = "mqtt-mosquitto-nodelay",
            Kind = RelayKind.Mqtt,
            Delivery = delivery,
            Mqtt = new MqttRelayOptions { Host = "127.0.0.1", Port = noDelay.Port },
        }, () => noDelay.StartAsync());
        Drain webhook = await MeasureAsync(log, new RelayDefinition
        {
            Name = "webhook",
            Kind = RelayKind.Webhook,
            Delivery = delivery,
            Webhook = new WebhookRelayOptions { Url = receiver.Url },
        }, () =>
        {
            receiver.Unavailable = false;
            return Task.CompletedTask;
        });

        Assert.AreEqual(Backlog, receiver.Accepted.Count);
        var figures = new
        {
            measuredAt = DateTimeOffset.UtcNow,
            machine = new { Environment.ProcessorCount, os = Environment.OSVersion.VersionString },
#if DEBUG
            build = "Debug",
#else
            build = "Release",
#endif
            backlog = Backlog,
            batchSize = delivery.BatchSize,
            loadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
            note = "seconds from the backend coming back (including the rest of the backoff pause, at most 100 ms here) until the relay's cursor reached the end",
            relays = new[] { mqtt, mqttNoDelay, webhook },
        };
        string path = Path.Combine(RepositoryRoot(), "artifacts", "relay-drain.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"relay drain figures written to {path}");
    }

    private static async Task<Drain> MeasureAsync(EventLog log, RelayDefinition relay, Func<Task> backendReturns)
    {
        var configuration = new RelayConfiguration { EdgeId = RelayRig.Edge, Relays = [relay] };
        await using RelayHub hub = RelayHub.Create(configuration, log.Path, () => log.Committed, TimeProvider.System, NullLoggerFactory.Instance);
        hub.Start();
        await Eventually.WaitUntilAsync(() => hub.Status().Single().State == RelayState.BackingOff, $"the {relay.Name} backend is down");

        await backendReturns();
        var clock = Stopwatch.StartNew();
        double? first = null;
        long delivered = 0;
        while (delivered < Backlog && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            delivered = hub.Status().Single().Delivered;
            first ??= delivered > 0 ? clock.Elapsed.TotalSeconds : null;
            await Task.Delay(20);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        Assert.AreEqual((long)Backlog, delivered, $"the {relay.Name} relay drained the backlog within 60 s");
        return new Drain(relay.Name, first ?? seconds, seconds, Math.Round(Backlog / seconds), Math.Round(Backlog / (seconds - (first ?? 0))));
    }

    private sealed record Drain(string Relay, double SecondsToFirstDelivery, double SecondsToDrain, double MessagesPerSecond, double MessagesPerSecondAfterFirstDelivery);

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "nano.sln")))
            {
                return folder.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
