namespace SmartCommunity.Edge.Tests.Parking;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Parking;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>Occupancy from the barriers' passages, recounts and corrections (hardware-docs/parking.md, "Occupancy").</summary>
[TestClass]
public sealed class OccupancyTests
{
    [TestMethod]
    public async Task Passage_EntryRampAndExit_EachLevelCountedAndTheCarParkIsTheirSum()
    {
        await using var rig = new ParkingRig();

        await rig.PassageAsync(ParkingRig.Entry, "in");
        await rig.PassageAsync(ParkingRig.Entry, "in");
        Assert.AreEqual((2L, 0L, 2L), (rig.Level("p0"), rig.Level("p1"), rig.Parking.Occupancy(ParkingRig.Garage)!.Occupied));

        await rig.PassageAsync(ParkingRig.Ramp, "in");
        Assert.AreEqual((1L, 1L, 2L), (rig.Level("p0"), rig.Level("p1"), rig.Parking.Occupancy(ParkingRig.Garage)!.Occupied), "the ramp moves a vehicle up, not in");

        await rig.PassageAsync(ParkingRig.Ramp, "out");
        await rig.PassageAsync(ParkingRig.ExitLane, "in");
        Assert.AreEqual((1L, 0L), (rig.Level("p0"), rig.Level("p1")));

        await rig.PassageAsync(ParkingRig.Entry, "out");
        Assert.AreEqual(0L, rig.Parking.Occupancy(ParkingRig.Garage)!.Occupied, "a vehicle backing out through the entry lane leaves");
        JsonElement last = rig.Records(ParkingControl.PassageEvent).Last();
        Assert.AreEqual(("out", "p0", "outside"), (last.GetProperty("direction").GetString(), last.GetProperty("from").GetString(), last.GetProperty("to").GetString()));
    }

    [TestMethod]
    public async Task Passage_OutOfAnEmptyLevel_StaysAtZeroCountedLoggedAndAlerted()
    {
        await using var rig = new ParkingRig();

        await rig.PassageAsync(ParkingRig.ExitLane, "in");
        await rig.PassageAsync(ParkingRig.Ramp, "in");

        Assert.AreEqual((0L, 1L), (rig.Level("p0"), rig.Level("p1")), "the ramp still puts the vehicle on p1");
        Assert.AreEqual(2L, rig.Parking.Refused["count-below-zero"]);
        Assert.AreEqual(2L, rig.Parking.Occupancy(ParkingRig.Garage)!.Clamped);
        Assert.HasCount(2, rig.Records("count-below-zero"));
        Alert alert = rig.Alerts.List().Single(a => a.Rule == ParkingControl.BelowZeroAlert && a.Device == ParkingRig.ExitLane);
        StringAssert.Contains(alert.Text, "POST /parking/garage/count");
    }

    [TestMethod]
    public async Task Passage_SentAgainWithTheSameBootAndSeq_CountedOnce()
    {
        await using var rig = new ParkingRig();
        string json = await rig.PassageAsync(ParkingRig.Entry, "in");

        await rig.SendAsync(ParkingRig.Entry, "event", json);
        Assert.AreEqual(1L, rig.Level("p0"), "the ingest pipeline drops the repeat");

        // After a restart the twins may not remember the last sequence; parking's own record of it does.
        await rig.RestartAsync();
        await rig.Parking.OnMessageAsync(Messages.Decode(Messages.TopicOf(rig.Device(ParkingRig.Entry), "event"), json), rig.Device(ParkingRig.Entry));

        Assert.AreEqual(1L, rig.Level("p0"));
        Assert.AreEqual(1L, rig.Parking.Refused["passage-repeated"]);
    }

    [TestMethod]
    public async Task Restart_OccupancyAndCorrectionKept()
    {
        await using var rig = new ParkingRig();
        await rig.PassageAsync(ParkingRig.Entry, "in");
        await rig.PassageAsync(ParkingRig.Entry, "in");
        await rig.PassageAsync(ParkingRig.Ramp, "in");
        await rig.Parking.CorrectAsync(ParkingRig.Garage, new Dictionary<string, long> { ["p1"] = 2 }, "bob");

        await rig.RestartAsync();

        CarParkOccupancy occupancy = rig.Parking.Occupancy(ParkingRig.Garage)!;
        Assert.AreEqual((1L, 2L, 3L, true, "bob"), (rig.Level("p0"), rig.Level("p1"), occupancy.Occupied, occupancy.Full, occupancy.CorrectedBy));
        await rig.PassageAsync(ParkingRig.ExitLane, "in");
        Assert.AreEqual(0L, rig.Level("p0"));
    }

    [TestMethod]
    public async Task Recount_AtTheConfiguredLocalTime_SetsEachLevelToItsCountAndAudits()
    {
        // 08:00 UTC is 10:00 here; the recount is at 03:30 local, i.e. 01:30 UTC the next day.
        TimeZoneInfo zone = TimeZoneInfo.CreateCustomTimeZone("parking-test+2", TimeSpan.FromHours(2), "UTC+2", "UTC+2");
        await using var rig = new ParkingRig(zone);
        for (int i = 0; i < 2; i++)
        {
            await rig.PassageAsync(ParkingRig.Entry, "in");
        }

        await rig.PassageAsync(ParkingRig.Ramp, "in");
        DateTimeOffset due = new(ParkingRig.Start.Year, ParkingRig.Start.Month, ParkingRig.Start.Day + 1, 1, 30, 0, TimeSpan.Zero);
        Assert.AreEqual(due, rig.Parking.NextRecount(new TimeOnly(3, 30), rig.Time.GetUtcNow()));

        rig.Time.Advance(due - rig.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.AreEqual((1L, 1L), (rig.Level("p0"), rig.Level("p1")), "not yet");

        rig.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitUntilAsync(() => rig.Level("p1") == 0, "the recount ran");
        Assert.AreEqual(1L, rig.Level("p0"), "p0's recountTo");
        Assert.AreEqual("recount", rig.Parking.Occupancy(ParkingRig.Garage)!.CorrectedBy);

        await rig.PassageAsync(ParkingRig.Entry, "in");
        rig.Time.Advance(TimeSpan.FromDays(1));
        await Eventually.WaitUntilAsync(() => rig.Level("p0") == 1, "the next day's recount ran");
        await Eventually.WaitUntilAsync(() => rig.Log.ReadRecent(1000, "edge").Count(e => e.Name == "parking-count-corrected") == 2, "both recounts audited");
    }

    [TestMethod]
    public async Task Correct_ByAnOperator_SetsTheLevelAndIsAuditedWithWhoAndBefore()
    {
        await using var rig = new ParkingRig();
        await rig.PassageAsync(ParkingRig.Entry, "in");

        IReadOnlyList<string> problems = await rig.Parking.CorrectAsync(ParkingRig.Garage, new Dictionary<string, long> { ["p0"] = 0, ["p1"] = 2 }, "alice");

        Assert.IsEmpty(problems);
        CarParkOccupancy occupancy = rig.Parking.Occupancy(ParkingRig.Garage)!;
        Assert.AreEqual((0L, 2L, "alice", rig.Time.GetUtcNow()), (rig.Level("p0"), rig.Level("p1"), occupancy.CorrectedBy, occupancy.CorrectedAt));
        string audit = rig.Log.ReadRecent(100, "edge").Single(e => e.Channel == "operator" && e.Name == "parking-count-corrected").Payload;
        using JsonDocument record = JsonDocument.Parse(audit);
        Assert.AreEqual(("alice", 1L, 2L), (record.RootElement.GetProperty("by").GetString(), record.RootElement.GetProperty("before").GetProperty("p0").GetInt64(),
            record.RootElement.GetProperty("after").GetProperty("p1").GetInt64()));
    }

    [TestMethod]
    [DataRow("p9", 1L, "has no level 'p9'")]
    [DataRow("p0", -1L, "is not a count of vehicles")]
    public async Task Correct_BadFigure_RefusedWithWhatToFixAndNothingChanged(string level, long count, string problem)
    {
        await using var rig = new ParkingRig();
        await rig.PassageAsync(ParkingRig.Entry, "in");

        IReadOnlyList<string> problems = await rig.Parking.CorrectAsync(ParkingRig.Garage, new Dictionary<string, long> { [level] = count }, "alice");

        StringAssert.Contains(problems.Single(), problem);
        Assert.AreEqual(1L, rig.Level("p0"));
    }

    [TestMethod]
    public async Task Passage_AtABarrierWithoutCarPark_CountsNothing()
    {
        await using var rig = new ParkingRig();

        await rig.PassageAsync(ParkingRig.Gate, "in");

        Assert.AreEqual(0L, rig.Parking.Occupancy(ParkingRig.Garage)!.Occupied);
        Assert.IsEmpty(rig.Records(ParkingControl.PassageEvent));
    }
}
