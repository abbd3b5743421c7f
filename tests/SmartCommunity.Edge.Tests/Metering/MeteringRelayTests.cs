namespace SmartCommunity.Edge.Tests.Metering;

using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Edge.Storage;

[TestClass]
public sealed class MeteringRelayTests
{
    [TestMethod]
    public async Task CloseIntervals_HourEndedAndItsEndKnown_AppendsOneConsumptionRecordOnTheMeteringChannel()
    {
        await using var rig = new MeterRig(MeterRig.Utc("2026-03-02T07:00:00Z"));
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T08:00:00Z", 10.000m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:00:00Z", 10.125m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:40:00Z", 10.200m);
        rig.Advance("2026-03-02T10:05:00Z");

        int first = await rig.Book.CloseIntervalsAsync();

        StoredEvent record = rig.Records(MeterBook.ConsumptionRecord).Single();
        Assert.AreEqual(1, first, "09-10 waits: its end at 10:00 still expects a reading within the 2 h maximum gap");
        Assert.AreEqual(MeterRig.Flat14Water, record.Source);
        Assert.AreEqual("b1", record.Building);
        JsonElement payload = JsonDocument.Parse(record.Payload).RootElement;
        Assert.AreEqual("hour", payload.GetProperty("interval").GetString());
        Assert.AreEqual("2026-03-02T08:00:00.000Z", payload.GetProperty("start").GetString());
        Assert.AreEqual("2026-03-02T09:00:00+01:00", payload.GetProperty("local").GetString());
        Assert.AreEqual(0.125m, payload.GetProperty("value").GetDecimal());
        Assert.AreEqual("measured", payload.GetProperty("status").GetString());
        Assert.AreEqual("flat 14", payload.GetProperty("unit").GetString());
    }

    [TestMethod]
    public async Task CloseIntervals_NextReadingArrives_RelaysTheWaitingHourOnceAndNeverTwice()
    {
        await using var rig = new MeterRig(MeterRig.Utc("2026-03-02T07:00:00Z"));
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T08:00:00Z", 10.000m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:40:00Z", 10.200m);
        rig.Advance("2026-03-02T10:05:00Z");
        await rig.Book.CloseIntervalsAsync();
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T10:20:00Z", 10.300m);

        int second = await rig.Book.CloseIntervalsAsync();
        int third = await rig.Book.CloseIntervalsAsync();

        Assert.AreEqual(1, second);
        Assert.AreEqual(0, third, "each interval is relayed once");
        StoredEvent[] records = rig.Records(MeterBook.ConsumptionRecord);
        Assert.HasCount(2, records);
        JsonElement waited = JsonDocument.Parse(records[1].Payload).RootElement;
        Assert.AreEqual("2026-03-02T09:00:00.000Z", waited.GetProperty("start").GetString());
        Assert.AreEqual("estimated", waited.GetProperty("status").GetString());
        Assert.AreEqual(0.130m, waited.GetProperty("value").GetDecimal(), "10.250 at 10:00 (20 of 40 min from 10.200 to 10.300) minus 10.120 at 09:00 (60 of 100 min from 10.000 to 10.200)");
    }

    [TestMethod]
    public async Task CloseIntervals_MeterFallsSilent_RelaysTheGapWithANullValue()
    {
        await using var rig = new MeterRig(MeterRig.Utc("2026-03-02T07:00:00Z"));
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T08:00:00Z", 10.000m);
        rig.Advance("2026-03-02T11:30:00Z");

        await rig.Book.CloseIntervalsAsync();

        StoredEvent[] records = rig.Records(MeterBook.ConsumptionRecord);
        Assert.HasCount(3, records, "08-09, 09-10 and 10-11 closed: no reading can bracket them any more");
        foreach (StoredEvent record in records)
        {
            JsonElement payload = JsonDocument.Parse(record.Payload).RootElement;
            Assert.AreEqual("gap", payload.GetProperty("status").GetString());
            Assert.AreEqual(JsonValueKind.Null, payload.GetProperty("value").ValueKind, "a gap is relayed as null, never 0");
        }
    }

    [TestMethod]
    public async Task CloseIntervals_DayEndsAtLocalMidnight_RelaysTheDay()
    {
        await using var rig = new MeterRig(MeterRig.Utc("2026-03-01T22:00:00Z"));
        await rig.ReadAsync(MeterRig.MainWater, "2026-03-01T23:00:00Z", 1.000m); // 2 March 00:00 CET
        await rig.ReadAsync(MeterRig.MainWater, "2026-03-02T23:00:00Z", 3.500m); // 3 March 00:00 CET
        rig.Advance("2026-03-02T23:10:00Z");

        await rig.Book.CloseIntervalsAsync();

        JsonElement day = rig.Records(MeterBook.ConsumptionRecord).Select(r => JsonDocument.Parse(r.Payload).RootElement)
            .Single(p => p.GetProperty("interval").GetString() == "day");
        Assert.AreEqual("2026-03-02T00:00:00+01:00", day.GetProperty("local").GetString());
        Assert.AreEqual(2.5m, day.GetProperty("value").GetDecimal());
        Assert.AreEqual("Europe/Berlin", day.GetProperty("timeZone").GetString());
    }
}
