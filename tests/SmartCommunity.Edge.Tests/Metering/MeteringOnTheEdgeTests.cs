namespace SmartCommunity.Edge.Tests.Metering;

using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>The real edge on loopback: the embedded broker, edge.db, the HTTP API, and a pulse meter device over MQTT.</summary>
[TestClass]
public sealed class MeteringOnTheEdgeTests
{
    [TestMethod]
    public async Task Ingest_PulseReadingOverMqtt_StoredExactlyInTheMetersUnitBeforeThePuback()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await StartEdgeAsync(data);
        await using PulseMeterClient device = await PulseMeterClient.ConnectAsync(edge, MeterRig.PulseDevice);

        await device.ReadingAsync(1, 1234567, "1234.567", "L", "water");

        MeterReading reading = edge.Meters.Latest(MeterRig.Flat12Water)!;
        Assert.AreEqual(1.234567m, reading.Value, "1234.567 L in m3, digit for digit");
        Assert.AreEqual(1234.567m, reading.Raw);
        Assert.AreEqual("pulse", reading.Source);
        Assert.AreEqual($"{MeterRig.PulseDevice} ch 1 pulses 1234567", reading.Detail);
    }

    [TestMethod]
    public async Task Ingest_ReadingOfAChannelNoMeterMaps_CountedNotStoredAndTheDeviceStaysAccepted()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await StartEdgeAsync(data);
        await using PulseMeterClient device = await PulseMeterClient.ConnectAsync(edge, MeterRig.PulseDevice);

        await device.ReadingAsync(3, 10, "10", "L", "water");
        await device.ReadingAsync(3, 11, "11", "L", "water");
        await device.ReadingAsync(2, 500, "500", "Wh", "electricity");

        Assert.AreEqual(2, edge.Meters.Refused["unmapped-channel"]);
        Assert.AreEqual(500m, edge.Meters.Latest(MeterRig.Flat12Power)!.Value, "the device's mapped channel still counts");
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);
        JsonElement list = await OperatorClient.GetJsonAsync(http, "/meters");
        Assert.AreEqual(2, list.GetProperty("refused").GetProperty("unmapped-channel").GetInt64());
        JsonElement power = list.GetProperty("meters").EnumerateArray().Single(m => m.GetProperty("id").GetString() == MeterRig.Flat12Power);
        Assert.AreEqual(500m, power.GetProperty("latest").GetProperty("value").GetDecimal());
        Assert.AreEqual(JsonValueKind.Null, list.GetProperty("meters").EnumerateArray().Single(m => m.GetProperty("id").GetString() == MeterRig.MainWater)
            .GetProperty("latest").ValueKind, "no reading yet: null");
    }

    [TestMethod]
    public async Task Api_ReadingsConsumptionAndReplacement_AsAnOperatorSeesThem()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await StartEdgeAsync(data);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset hour = new(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        DateTimeOffset start = hour.AddHours(-3);
        await edge.Meters.RecordReadingAsync(MeterRig.Flat14Water, start, 10.000m, "m3", "mbus", "mbus1 primary 6");
        await edge.Meters.RecordReadingAsync(MeterRig.Flat14Water, start.AddHours(1), 10.250m, "m3", "mbus", "mbus1 primary 6");
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge, "alice");
        string range = $"from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(start.AddHours(1).ToString("O"))}";

        JsonElement readings = await OperatorClient.GetJsonAsync(http, $"/meters/{MeterRig.Flat14Water}/readings?{range}");
        JsonElement consumption = await OperatorClient.GetJsonAsync(http, $"/meters/{MeterRig.Flat14Water}/consumption?interval=hour&{range}");
        JsonElement flat = await OperatorClient.GetJsonAsync(http, $"/buildings/b1/flats/{Uri.EscapeDataString("flat 14")}/consumption?interval=hour&{range}");
        HttpResponseMessage replaced = await OperatorClient.PostJsonAsync(http, $"/meters/{MeterRig.Flat14Water}/replacement",
            $$"""{"at":"{{start.AddHours(2):O}}","oldFinal":10.400,"newStart":"0.005","note":"swapped after a leak"}""");

        Assert.HasCount(2, readings.GetProperty("readings").EnumerateArray().ToList());
        JsonElement interval = consumption.GetProperty("intervals").EnumerateArray().Single();
        Assert.AreEqual(0.25m, interval.GetProperty("value").GetDecimal());
        Assert.AreEqual("measured", interval.GetProperty("status").GetString());
        Assert.AreEqual(0.25m, flat.GetProperty("sums").EnumerateArray().Single().GetProperty("value").GetDecimal());
        JsonElement created = await OperatorClient.JsonAsync(replaced, HttpStatusCode.Created);
        Assert.AreEqual("alice", created.GetProperty("replacement").GetProperty("by").GetString());
        var audit = edge.EventLog.ReadRecent(100, MeterRig.Flat14Water).Single(e => e.Channel == OperatorAudit.Channel);
        Assert.AreEqual("meter-replace", audit.Name);
        Assert.Contains("\"by\":\"alice\"", audit.Payload);
    }

    [TestMethod]
    public async Task Api_BadRequests_ProblemsThatSayWhatToFix()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        JsonElement unknown = await OperatorClient.ProblemAsync(await http.GetAsync("/meters/b1-nowhere/consumption"), HttpStatusCode.NotFound);
        JsonElement interval = await OperatorClient.ProblemAsync(await http.GetAsync($"/meters/{MeterRig.Flat14Water}/consumption?interval=week"), HttpStatusCode.BadRequest);
        JsonElement body = await OperatorClient.ProblemAsync(
            await OperatorClient.PostJsonAsync(http, $"/meters/{MeterRig.Flat14Water}/replacement", """{"oldFinal":-1,"newStart":0}"""), HttpStatusCode.BadRequest);
        JsonElement future = await OperatorClient.ProblemAsync(
            await OperatorClient.PostJsonAsync(http, $"/meters/{MeterRig.Flat14Water}/replacement", """{"at":"2999-01-01T00:00:00Z","oldFinal":1,"newStart":0}"""), HttpStatusCode.Conflict);
        using HttpClient nobody = EdgeRig.Http(edge);
        HttpResponseMessage anonymous = await nobody.GetAsync("/meters");

        Assert.Contains("GET /meters", unknown.GetProperty("detail").GetString()!);
        Assert.Contains("15m, hour, day or month", interval.GetProperty("detail").GetString()!);
        Assert.Contains("oldFinal", body.GetProperty("detail").GetString()!);
        Assert.Contains("future", future.GetProperty("detail").GetString()!);
        Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private static Task<EdgeHost> StartEdgeAsync(TempFolder data) =>
        EdgeHost.StartAsync(
            new EdgeOptions { LayoutPath = MeterRig.WriteLayout(data), DataDirectory = data.Path, MqttPort = 0, HttpPort = 0 },
            NullLoggerFactory.Instance,
            TimeProvider.System);
}
