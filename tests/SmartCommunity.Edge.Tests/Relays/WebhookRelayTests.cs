namespace SmartCommunity.Edge.Tests.Relays;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>
/// The webhook relay against a real HTTP receiver on loopback that fails on purpose: an outage (503), a poisoned
/// item (422 with a rejection list), a request left hanging across an edge restart.
/// </summary>
[TestClass]
public sealed class WebhookRelayTests
{
    private const string Token = "t0ken";

    [TestMethod]
    public async Task Deliver_OutageThenPoisonedItem_AllArriveExceptTheDeadLetterWhichIsVisibleAndCounted()
    {
        using var data = new TempFolder();
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(Token);
        receiver.Unavailable = true;
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        var records = Enumerable.Range(1, 150).SelectMany(i => new[] { RelayRig.State("meter", i), RelayRig.Alarm("smoke", i) }).ToList();
        string poisoned = RelayRig.KeyOf(records.Single(r => r.Source == "smoke" && r.Sequence == 77));
        receiver.Poisoned[poisoned] = "level out of range";
        await using RelayHub hub = WebhookHub(log, receiver, batchSize: 40);
        await using WebApplication api = await StartApiAsync(hub);
        using var http = new HttpClient { BaseAddress = new Uri(api.Urls.First()) };

        await RelayRig.AppendAllAsync(log, records);
        hub.Start();
        await Eventually.WaitUntilAsync(() => receiver.Requests >= 3, "the receiver has refused a few attempts");
        JsonElement down = (await http.GetFromJsonAsync<JsonElement>("/relays/web"));
        Assert.AreEqual("backing-off", down.GetProperty("state").GetString());
        StringAssert.Contains(down.GetProperty("lastError").GetString(), "503");
        Assert.AreEqual(150, down.GetProperty("priority").GetProperty("lag").GetInt32(), "nothing left the outbox");

        receiver.Unavailable = false;
        await Eventually.WaitUntilAsync(() => hub.Status().Single().Lag == 0, "the outbox is drained after the outage");

        var expected = records.Select(r => RelayRig.KeyOf(r)).Where(k => k != poisoned).ToList();
        CollectionAssert.AreEquivalent(expected, receiver.Accepted.Select(e => e.Key).ToList(), "everything but the dead letter, each once");
        foreach (var device in receiver.Accepted.GroupBy(e => e.Source))
        {
            var sequences = device.Select(e => e.Sequence).ToList();
            CollectionAssert.AreEqual(sequences.Order().ToList(), sequences, $"{device.Key} in order");
        }

        Assert.IsTrue(receiver.AcceptedBatches.Take(4).SelectMany(b => b).All(e => e.Lane == "priority"), "priority before bulk");
        JsonElement letters = await http.GetFromJsonAsync<JsonElement>("/relays/web/dead-letters");
        Assert.AreEqual(1, letters.GetArrayLength());
        Assert.AreEqual(poisoned, letters[0].GetProperty("key").GetString());
        StringAssert.Contains(letters[0].GetProperty("reason").GetString(), "level out of range");
        JsonElement all = await http.GetFromJsonAsync<JsonElement>("/relays");
        JsonElement status = all.GetProperty("relays")[0];
        Assert.AreEqual("connected", status.GetProperty("state").GetString());
        Assert.AreEqual(1, status.GetProperty("deadLettered").GetInt32());
        Assert.AreEqual(299, status.GetProperty("delivered").GetInt32());
        Assert.IsTrue(status.GetProperty("failedAttempts").GetInt32() >= 3);
        Assert.AreEqual("webhook", status.GetProperty("kind").GetString());
        Assert.AreEqual(HttpStatusCode.NotFound, (await http.GetAsync("/relays/nope/dead-letters")).StatusCode);
    }

    [TestMethod]
    public async Task Deliver_AlarmAppendedBehindBulkBacklogDuringOutage_ArrivesBeforeTheRemainingBulk()
    {
        using var data = new TempFolder();
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(Token);
        receiver.Unavailable = true;
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        await RelayRig.AppendAllAsync(log, Enumerable.Range(1, 3000).Select(i => RelayRig.State("meter", i)));
        await using RelayHub hub = WebhookHub(log, receiver, batchSize: 200);
        hub.Start();
        await Eventually.WaitUntilAsync(() => receiver.Requests >= 1, "the relay tries the bulk backlog");

        await log.AppendAsync(RelayRig.Alarm("smoke", 1));
        // Two more requests: the later one was read after the alarm was committed.
        int seen = receiver.Requests;
        await Eventually.WaitUntilAsync(() => receiver.Requests >= seen + 2, "the relay has tried again since the alarm");
        receiver.Unavailable = false;
        await Eventually.WaitUntilAsync(() => receiver.Accepted.Count == 3001, "the backlog drains");

        Envelope[] first = receiver.AcceptedBatches[0];
        Assert.AreEqual(1, first.Length);
        Assert.AreEqual("test-edge:smoke:1:1", first[0].Key, "the alarm is the first thing the backend gets after the outage");
        Assert.AreEqual("alarm", first[0].Payload.GetProperty("event").GetString());
    }

    [TestMethod]
    public async Task EdgeRestart_DuringAnUnansweredBatch_CursorsSurviveAndOnlyThatBatchComesAgain()
    {
        using var data = new TempFolder();
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(Token);
        RelayConfiguration relays = Configuration(receiver, batchSize: 25);

        await using (EdgeHost edge = await StartEdgeAsync(data, relays))
        {
            await RelayRig.AppendAllAsync(edge.EventLog, Enumerable.Range(1, 60).Select(i => RelayRig.Alarm("smoke", i)));
            await Eventually.WaitUntilAsync(() => edge.Relays!.Status().Single().Lag == 0, "the first rows are delivered");
            receiver.HoldNext();
            await RelayRig.AppendAllAsync(edge.EventLog, Enumerable.Range(61, 20).Select(i => RelayRig.Alarm("smoke", i)));
            await Eventually.WaitUntilAsync(() => receiver.Holding, "a batch is on its way, unanswered");
        }

        receiver.Release();
        Envelope[] unanswered = receiver.Received[^1];
        await using (EdgeHost edge = await StartEdgeAsync(data, relays))
        {
            await RelayRig.AppendAllAsync(edge.EventLog, Enumerable.Range(81, 10).Select(i => RelayRig.Alarm("smoke", i)));
            await Eventually.WaitUntilAsync(() => edge.Relays!.Status().Single().Lag == 0, "the rest is delivered after the restart");

            var keys = RelayRig.KeysInLog(edge.EventLog, relays.EdgeId);
            var received = receiver.Received.SelectMany(b => b).Select(e => e.Key).ToList();
            CollectionAssert.IsSubsetOf(keys.ToList(), received, "nothing is lost across the restart");
            var twice = received.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            CollectionAssert.AreEquivalent(unanswered.Select(e => e.Key).ToList(), twice, "only the batch that got no answer is sent again");
            CollectionAssert.AreEquivalent(keys.ToList(), receiver.Accepted.Select(e => e.Key).ToList(), "the backend accepted each key once");
        }
    }

    [TestMethod]
    public async Task Deliver_WrongToken_RetriedWithTheStatusShownNothingDeadLettered()
    {
        using var data = new TempFolder();
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync("the-right-one");
        await using EventLog log = EventLog.Open(data.File("edge.db"), NullLogger.Instance);
        await log.AppendAsync(RelayRig.Alarm("smoke", 1));
        await using RelayHub hub = WebhookHub(log, receiver, batchSize: 10);
        hub.Start();
        await Eventually.WaitUntilAsync(() => receiver.Requests >= 2, "the relay retries");

        RelayStatus status = hub.Status().Single();
        Assert.AreEqual(RelayState.BackingOff, status.State);
        StringAssert.Contains(status.LastError, "401");
        Assert.AreEqual(0L, status.DeadLettered, "a 4xx without a rejection list is the configuration's fault, not the message's");
        Assert.AreEqual(1L, status.Priority.Lag);
    }

    private static RelayHub WebhookHub(EventLog log, WebhookReceiver receiver, int batchSize)
    {
        var relay = new WebhookRelay("web", new WebhookRelayOptions { Url = receiver.Url, Token = Token }, TimeSpan.FromSeconds(5), NullLogger.Instance);
        return new RelayHub(RelayRig.Edge, log.Path, [new RelayRegistration(relay, "webhook", receiver.Url.ToString(), RelayRig.Fast(batchSize))],
            () => log.Committed, TimeProvider.System, NullLoggerFactory.Instance);
    }

    private static RelayConfiguration Configuration(WebhookReceiver receiver, int batchSize) => new()
    {
        EdgeId = RelayRig.Edge,
        Relays =
        [
            new RelayDefinition
            {
                Name = "web",
                Kind = RelayKind.Webhook,
                Delivery = RelayRig.Fast(batchSize),
                Webhook = new WebhookRelayOptions { Url = receiver.Url, Token = Token },
            },
        ],
    };

    private static Task<EdgeHost> StartEdgeAsync(TempFolder data, RelayConfiguration relays) =>
        EdgeHost.StartAsync(
            new EdgeOptions { LayoutPath = DemoLayout.Path, DataDirectory = data.Path, MqttPort = 0, HttpPort = 0, Relays = relays },
            NullLoggerFactory.Instance,
            TimeProvider.System);

    /// <summary>The relay routes on their own, as the edge's API mounts them.</summary>
    private static async Task<WebApplication> StartApiAsync(RelayHub hub)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        app.MapRelayEndpoints(hub);
        await app.StartAsync();
        return app;
    }
}
