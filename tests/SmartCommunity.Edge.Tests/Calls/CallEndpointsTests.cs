namespace SmartCommunity.Edge.Tests.Calls;

using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Calls;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.Relays;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>
/// Calls end to end on loopback: a real edge with its HTTP listener, a call point as a raw MQTT client, and webhook
/// backends (Kestrel) as relays. A backend's 2xx only means it has the record; the call is acknowledged by a person
/// naming it: an operator through the API, or the backend's callback with the call's token.
/// </summary>
[TestClass]
public sealed class CallEndpointsTests
{
    private const string Point = CallRig.Flat12;
    private const string AckPath = "/calls/" + Point + "/7/ack";

    [TestMethod]
    public async Task Call_WebhookAnswers2xx_StaysOpenUntilTheCallbackWithItsToken()
    {
        using var data = new TempFolder();
        await using WebhookReceiver care = await WebhookReceiver.StartAsync();
        await using WebhookReceiver analytics = await WebhookReceiver.StartAsync();
        await using EdgeHost edge = await StartEdgeAsync(data, $"""
            edge: {RelayRig.Edge}
            relays:
              - name: care
                type: webhook
                url: {care.Url}
                backoff: {"{"} initialMs: 20, maxMs: 100 {"}"}
              - name: analytics
                type: webhook
                url: {analytics.Url}
                backoff: {"{"} initialMs: 20, maxMs: 100 {"}"}
            calls:
              chain: [care]
            """);
        await using CallPointClient point = await CallPointClient.ConnectAsync(edge, Point);

        await point.EventAsync("call", "7");

        await Eventually.WaitUntilAsync(() => point.Heard(CommandNames.CallReceived, "7"), "the call point hears that the edge has call 7");
        await Eventually.WaitUntilAsync(() => Dispatched(care) is not null, "the care backend accepts the dispatched call with a 2xx");
        await Eventually.WaitUntilAsync(() => CallRecordsIn(analytics).Contains("7"), "the other backend gets the call's unaddressed records");
        Assert.IsNull(Dispatched(analytics), "the dispatch is addressed to the first relay of the chain only");
        Assert.AreEqual(CallState.Open, edge.Calls.Find(Point, "7")!.State, "a relay's 2xx is not an acknowledgement");
        Assert.IsFalse(point.Heard(CommandNames.CallHandled, "7"));
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);
        JsonElement open = (await OperatorClient.GetJsonAsync(alice, "/calls")).GetProperty("open").EnumerateArray().Single();
        Assert.AreEqual(("7", "flat 12", "open", "dispatched", "call"),
            (open.GetProperty("call").GetString(), open.GetProperty("unit").GetString(), open.GetProperty("state").GetString(),
             open.GetProperty("stage").GetString(), open.GetProperty("kind").GetString()));
        Assert.AreEqual(("care", "operator-alert"), (open.GetProperty("steps")[0].GetProperty("relay").GetString(), open.GetProperty("next").GetProperty("stage").GetString()));

        JsonElement callback = Dispatched(care)!.Value.GetProperty("callback");
        Assert.AreEqual(("POST", AckPath), (callback.GetProperty("method").GetString(), callback.GetProperty("path").GetString()));
        using HttpClient backend = EdgeRig.Http(edge);
        await OperatorClient.ProblemAsync(await backend.PostAsync(AckPath, null), HttpStatusCode.Unauthorized);
        await OperatorClient.ProblemAsync(await PostCallbackAsync(backend, CallToken.New(), "{}"), HttpStatusCode.Forbidden);
        Assert.AreEqual(1L, edge.Api.Counters.UnauthorizedByReason["call-token-wrong"], "a wrong call token is counted with the API's refused tokens");
        Assert.AreEqual(1L, edge.Calls.Refused["callback-token-wrong"]);
        Assert.AreEqual(CallState.Open, edge.Calls.Find(Point, "7")!.State);

        JsonElement acknowledged = await OperatorClient.JsonAsync(
            await PostCallbackAsync(backend, callback.GetProperty("token").GetString()!, """{"by":"J. Smith, Riverside Care"}"""), HttpStatusCode.OK);

        Assert.AreEqual(("J. Smith, Riverside Care", "webhook", false),
            (acknowledged.GetProperty("acknowledgedBy").GetString(), acknowledged.GetProperty("via").GetString(), acknowledged.GetProperty("alreadyAcknowledged").GetBoolean()));
        Assert.AreEqual(CallState.Acknowledged, edge.Calls.Find(Point, "7")!.State);
        await Eventually.WaitUntilAsync(() => point.Heard(CommandNames.CallHandled, "7"), "the call point hears that help is coming");
        await Eventually.WaitUntilAsync(() => care.Accepted.Any(e => e.Channel == CallRecords.Channel && e.Payload.TryGetProperty("via", out _)),
            "the acknowledgement travels to the backend in the feed");
    }

    [TestMethod]
    public async Task Ack_OperatorThroughTheApi_AcknowledgesAndTheCallSaysWhoAndHow()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await StartEdgeAsync(data, relaysYaml: null);
        await using CallPointClient point = await CallPointClient.ConnectAsync(edge, Point);
        await point.EventAsync("call", "7");
        await Eventually.WaitUntilAsync(() => point.Heard(CommandNames.CallReceived, "7"), "the call point hears that the edge has call 7");
        using HttpClient alice = await OperatorClient.AsOperatorAsync(edge);
        JsonElement open = (await OperatorClient.GetJsonAsync(alice, "/calls")).GetProperty("open").EnumerateArray().Single();
        Assert.AreEqual("operator-alert", open.GetProperty("stage").GetString(), "with no backend in the chain the operators are alerted at once");
        StringAssert.StartsWith(open.GetProperty("alert").GetString(), "alert-");

        JsonElement answer = await OperatorClient.JsonAsync(await alice.PostAsync(AckPath, null), HttpStatusCode.OK);

        Assert.AreEqual(("alice", "operator"), (answer.GetProperty("acknowledgedBy").GetString(), answer.GetProperty("via").GetString()));
        JsonElement call = await OperatorClient.GetJsonAsync(alice, "/calls/" + Point + "/7");
        Assert.AreEqual(("acknowledged", "alice"), (call.GetProperty("state").GetString(), call.GetProperty("acknowledged").GetProperty("by").GetString()));
        Assert.AreEqual(0, (await OperatorClient.GetJsonAsync(alice, "/calls")).GetProperty("open").GetArrayLength());
        Assert.AreEqual(0, edge.Alerts.OpenCount, "the call's alert is cleared with it");
        await Eventually.WaitUntilAsync(() => point.Heard(CommandNames.CallHandled, "7"), "the call point hears that help is coming");
        using HttpClient backend = OperatorClient.WithToken(edge, edge.Calls.Find(Point, "7")!.Token);
        JsonElement late = await OperatorClient.JsonAsync(await backend.PostAsync(AckPath, null), HttpStatusCode.OK);
        Assert.AreEqual((true, "alice"), (late.GetProperty("alreadyAcknowledged").GetBoolean(), late.GetProperty("acknowledgedBy").GetString()),
            "a callback with the call's token as a bearer token, after the operator: the first acknowledgement stands");
        await OperatorClient.ProblemAsync(await alice.PostAsync("/calls/" + Point + "/99/ack", null), HttpStatusCode.NotFound);
        await OperatorClient.ProblemAsync(await EdgeRig.Http(edge).GetAsync("/calls"), HttpStatusCode.Unauthorized);
        Assert.IsTrue(edge.EventLog.ReadRecent(1000).Any(e => e.Channel == "operator" && e.Name == "call-ack" && e.Payload.Contains("\"by\":\"alice\"", StringComparison.Ordinal)),
            "the operator's acknowledgement is audited");
    }

    internal static async Task<EdgeHost> StartEdgeAsync(TempFolder data, string? relaysYaml) =>
        await EdgeHost.StartAsync(
            new EdgeOptions
            {
                LayoutPath = CallRig.WriteLayout(data),
                DataDirectory = data.Path,
                MqttPort = 0,
                HttpPort = 0,
                Relays = relaysYaml is null ? null : RelayConfigLoader.Parse(relaysYaml, "relays.yaml"),
            },
            NullLoggerFactory.Instance,
            TimeProvider.System);

    private static Task<HttpResponseMessage> PostCallbackAsync(HttpClient http, string token, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, AckPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(global::SmartCommunity.Edge.Http.CallEndpoints.CallTokenHeader, token);
        return http.SendAsync(request);
    }

    private static JsonElement? Dispatched(WebhookReceiver receiver) =>
        receiver.Accepted.Where(e => e.Channel == CallRecords.Channel && e.Payload.TryGetProperty("callback", out _)).Select(e => (JsonElement?)e.Payload).FirstOrDefault();

    private static string CallRecordsIn(WebhookReceiver receiver) =>
        string.Join(",", receiver.Accepted.Where(e => e.Channel == CallRecords.Channel).Select(e => e.Payload.GetProperty("call").GetString()));
}
