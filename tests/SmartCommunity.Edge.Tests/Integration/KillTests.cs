namespace SmartCommunity.Edge.Tests.Integration;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Tests.Relays;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>
/// "Nothing acknowledged is lost": the real sc-edge process is killed with SIGKILL, many times, while devices
/// publish as fast as they can and a webhook relay forwards to a backend; every message that got its PUBACK must
/// be in the event log afterwards and, once the relay has drained, at the backend (hardware-docs/protocol.md §8).
/// </summary>
[TestClass]
public sealed class KillTests
{
    private const int Rounds = 10;

    [TestMethod]
    public async Task Sigkill_RepeatedlyDuringLoad_EveryAcknowledgedMessageIsInTheLogAndReachesTheBackend()
    {
        using var data = new TempFolder();
        await using WebhookReceiver backend = await WebhookReceiver.StartAsync();
        string relays = data.File("relays.yaml");
        System.IO.File.WriteAllText(relays, $"edge: kill-test\nrelays:\n  - name: backend\n    type: webhook\n    url: {backend.Url}\n    backoff: {{ initialMs: 50, maxMs: 500 }}\n");
        BuildingLayout layout = DemoLayout.Load();
        var acknowledged = new ConcurrentBag<(string Device, long Seq)>();
        var nextSeq = layout.Devices.ToDictionary(d => d.Id, _ => 0L);
        int mqttPort = ScEdgeProcess.FreePort();
        int httpPort = ScEdgeProcess.FreePort();
        var random = new Random(20261128);
        long failedPublishes = 0;

        for (int round = 0; round < Rounds; round++)
        {
            // The same ports every time, as systemd restarts it: the broker must be able to listen again at once.
            using ScEdgeProcess edge = await ScEdgeProcess.StartAsync(DemoLayout.Path, data.Path, mqttPort, httpPort, null, "--relays", relays);
            using var stop = new CancellationTokenSource();
            var devices = layout.Devices.Select(d => PublishUntilStoppedAsync(d, edge.MqttPort, nextSeq, acknowledged, stop.Token)).ToList();

            await Eventually.WaitUntilAsync(() => acknowledged.Count > (round + 1) * 200, "devices get PUBACKs in this round");
            await Task.Delay(random.Next(0, 50));
            edge.Kill();
            stop.Cancel();
            foreach (long failed in await Task.WhenAll(devices))
            {
                failedPublishes += failed;
            }
        }

        var logged = ReadLogged(data.File("edge.db"));
        var lost = acknowledged.Where(a => !logged.Contains(a)).OrderBy(a => a.Device).ThenBy(a => a.Seq).ToList();
        Assert.IsEmpty(lost, $"{lost.Count} acknowledged messages are missing from the log, e.g. " + string.Join(", ", lost.Take(10)));

        // One last, undisturbed run lets the relay drain: the backend must end up with every acknowledged message.
        using (await ScEdgeProcess.StartAsync(DemoLayout.Path, data.Path, mqttPort, httpPort, null, "--relays", relays))
        {
            await Eventually.WaitUntilAsync(() => acknowledged.All(Received(backend).Contains), "the backend has every acknowledged message");
        }

        Console.WriteLine($"{Rounds} kills, {acknowledged.Count} messages acknowledged, {logged.Count} logged, {Received(backend).Count} at the backend, "
            + $"{backend.Accepted.Count - Received(backend).Count} duplicates there, {failedPublishes} publishes cut off by a kill");
        Assert.IsGreaterThan(Rounds * 200, acknowledged.Count, "enough load to mean something");
        Assert.IsGreaterThan(0L, failedPublishes, "the kills must land while messages are in flight");
    }

    // One device: QoS 1 telemetry with growing sequence numbers, recorded only once the PUBACK is in.
    private static async Task<long> PublishUntilStoppedAsync(DeviceDefinition device, int port, Dictionary<string, long> nextSeq,
        ConcurrentBag<(string, long)> acknowledged, CancellationToken stop)
    {
        long failed = 0;
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        try
        {
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(device.Id)
                .WithProtocolVersion(MqttProtocolVersion.V311).WithCleanSession(true).Build(), stop);
            string topic = $"sc/v1/{device.Site}/{device.Building}/{device.Kind}/{device.Id}/telemetry";
            while (!stop.IsCancellationRequested)
            {
                long seq;
                lock (nextSeq)
                {
                    seq = ++nextSeq[device.Id];
                }

                var message = new MqttApplicationMessageBuilder().WithTopic(topic)
                    .WithPayload($$"""{"v":1,"dev":"{{device.Id}}","seq":{{seq}},"boot":1,"up":{{seq}},"level":100}""")
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                try
                {
                    MqttClientPublishResult result = await client.PublishAsync(message, CancellationToken.None);
                    if (result.IsSuccess)
                    {
                        acknowledged.Add((device.Id, seq));
                    }
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException or OperationCanceledException or ObjectDisposedException)
                {
                    failed++;
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            failed++;
        }

        return failed;
    }

    private static HashSet<(string, long)> Received(WebhookReceiver backend) =>
        backend.Accepted.Where(e => e.Channel == "telemetry" && e.Boot == 1).Select(e => (e.Source, e.Sequence)).ToHashSet();

    private static HashSet<(string, long)> ReadLogged(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT source, seq FROM events WHERE channel = 'telemetry' AND boot = 1";
        using var reader = command.ExecuteReader();
        var logged = new HashSet<(string, long)>();
        while (reader.Read())
        {
            logged.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return logged;
    }
}
