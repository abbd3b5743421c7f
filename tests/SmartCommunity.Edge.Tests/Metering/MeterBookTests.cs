namespace SmartCommunity.Edge.Tests.Metering;

using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Metering;

[TestClass]
public sealed class MeterBookTests
{
    private static readonly DateTimeOffset Morning = MeterRig.Utc("2026-03-02T07:00:00Z");

    [TestMethod]
    public async Task Consumption_ReadingsOnHourBoundaries_ExactDecimalDifferences()
    {
        await using var rig = new MeterRig(Morning);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T08:00:00Z", 0.1m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:00:00Z", 0.3m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T10:00:00Z", 1234.567m);

        IntervalConsumption first = rig.One(MeterRig.Flat14Water, IntervalKind.Hour, "2026-03-02T08:00:00Z");
        IntervalConsumption second = rig.One(MeterRig.Flat14Water, IntervalKind.Hour, "2026-03-02T09:00:00Z");

        Assert.AreEqual(IntervalStatus.Measured, first.Status);
        Assert.AreEqual(0.2m, first.Value, "0.3 - 0.1 in decimal, not 0.19999999999999998");
        Assert.AreEqual(1234.267m, second.Value);
        Assert.IsEmpty(first.Flags);
    }

    [TestMethod]
    public async Task Consumption_BoundaryBetweenReadings_InterpolatedAndMarkedEstimated()
    {
        await using var rig = new MeterRig(Morning);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T08:50:00Z", 100.000m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:10:00Z", 100.400m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:50:00Z", 101.000m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T10:10:00Z", 101.200m);

        IntervalConsumption hour = rig.One(MeterRig.Flat14Water, IntervalKind.Hour, "2026-03-02T09:00:00Z");

        Assert.AreEqual(IntervalStatus.Estimated, hour.Status);
        Assert.AreEqual(100.200m, hour.StartValue, "halfway between 100.000 at 08:50 and 100.400 at 09:10");
        Assert.AreEqual(101.100m, hour.EndValue, "halfway between 101.000 at 09:50 and 101.200 at 10:10");
        Assert.AreEqual(0.900m, hour.Value);
        CollectionAssert.Contains(hour.Flags.ToList(), "interpolated");
    }

    [TestMethod]
    public async Task Consumption_QuartersOfAnHour_AddUpToTheHourExactly()
    {
        await using var rig = new MeterRig(Morning);
        string[] times = ["07:52:00", "08:07:00", "08:21:00", "08:38:00", "08:52:00", "09:08:00"];
        decimal[] totals = [10.001m, 10.337m, 10.338m, 11.0m, 11.999m, 12.5m];
        for (int i = 0; i < times.Length; i++)
        {
            await rig.ReadAsync(MeterRig.Flat14Water, $"2026-03-02T{times[i]}Z", totals[i]);
        }

        var quarters = rig.Book.Consumption(rig.Meter(MeterRig.Flat14Water), IntervalKind.Quarter, MeterRig.Utc("2026-03-02T08:00:00Z"), MeterRig.Utc("2026-03-02T09:00:00Z"));
        IntervalConsumption hour = rig.One(MeterRig.Flat14Water, IntervalKind.Hour, "2026-03-02T08:00:00Z");

        Assert.HasCount(4, quarters);
        Assert.IsTrue(quarters.All(q => q.Status == IntervalStatus.Estimated && q.Value >= 0), "every boundary falls between readings");
        Assert.AreEqual(hour.Value, quarters.Sum(q => q.Value), "the quarters share their boundaries' values, so they add up to the hour");
    }

    [TestMethod]
    public async Task Consumption_LocalDayOfFrequentReadings_EqualsTheSumOfItsHours()
    {
        await using var rig = new MeterRig(MeterRig.Utc("2026-03-01T20:00:00Z"));
        DateTimeOffset at = MeterRig.Utc("2026-03-01T22:53:00Z");
        decimal total = 700.000m;
        for (int i = 0; at <= MeterRig.Utc("2026-03-02T23:10:00Z"); i++, at = at.AddMinutes(7))
        {
            total += (i % 5) * 0.007m;
            await rig.ReadAsync(MeterRig.Flat14Water, at.ToString("O"), total);
        }

        DateTimeOffset dayStart = MeterRig.Utc("2026-03-01T23:00:00Z"); // 2 March 00:00 CET
        IntervalConsumption day = rig.One(MeterRig.Flat14Water, IntervalKind.Day, "2026-03-01T23:00:00Z");
        var hours = rig.Book.Consumption(rig.Meter(MeterRig.Flat14Water), IntervalKind.Hour, dayStart, day.End);

        Assert.AreEqual(dayStart.AddHours(24), day.End);
        Assert.HasCount(24, hours);
        Assert.AreEqual(IntervalStatus.Estimated, day.Status);
        Assert.IsTrue(hours.All(h => h.Value is not null), "every hour is bracketed by readings 7 minutes apart");
        Assert.AreEqual(day.Value, hours.Sum(h => h.Value));
    }

    [TestMethod]
    public async Task Consumption_ReadingsFurtherApartThanMaxGap_GapWithNullNotZero()
    {
        await using var rig = new MeterRig(Morning);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T08:00:00Z", 10.000m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T12:30:00Z", 10.000m);
        rig.Advance("2026-03-02T13:00:00Z");

        var hours = rig.Book.Consumption(rig.Meter(MeterRig.Flat14Water), IntervalKind.Hour, MeterRig.Utc("2026-03-02T08:00:00Z"), MeterRig.Utc("2026-03-02T12:00:00Z"));

        Assert.HasCount(4, hours);
        foreach (IntervalConsumption hour in hours)
        {
            Assert.AreEqual(IntervalStatus.Gap, hour.Status, $"{hour.Start:HH:mm}: 4.5 h between readings is over the 2 h maximum gap");
            Assert.IsNull(hour.Value, "a gap has no figure, not 0 (even though the register did not move)");
        }
    }

    [TestMethod]
    public async Task Consumption_RegisterWrapsOnAMeterWithRollover_CountsTheWrap()
    {
        await using var rig = new MeterRig(Morning);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T08:00:00Z", 99999.500m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:00:00Z", 0.250m);

        IntervalConsumption hour = rig.One(MeterRig.Flat14Water, IntervalKind.Hour, "2026-03-02T08:00:00Z");

        Assert.AreEqual(IntervalStatus.Measured, hour.Status);
        Assert.AreEqual(0.750m, hour.Value, "0.499 to the top, one step to zero, then 0.250");
        CollectionAssert.Contains(hour.Flags.ToList(), MeterEvent.Rollover);
        Assert.HasCount(1, rig.Records("meter-rollover"));
        Assert.IsEmpty(rig.Alerts.List(), "a wrap is normal, nobody is alerted");
    }

    [TestMethod]
    public async Task Consumption_DecreaseWithoutRollover_ResetFlaggedAlertedAndResumesFromNewBaseline()
    {
        await using var rig = new MeterRig(Morning);
        await rig.ReadAsync(MeterRig.Flat12Power, "2026-03-02T08:00:00Z", 5000m, "Wh");
        await rig.ReadAsync(MeterRig.Flat12Power, "2026-03-02T08:30:00Z", 5200m, "Wh");
        await rig.ReadAsync(MeterRig.Flat12Power, "2026-03-02T09:00:00Z", 40m, "Wh");
        await rig.ReadAsync(MeterRig.Flat12Power, "2026-03-02T10:00:00Z", 240m, "Wh");

        IntervalConsumption before = rig.One(MeterRig.Flat12Power, IntervalKind.Hour, "2026-03-02T08:00:00Z");
        IntervalConsumption after = rig.One(MeterRig.Flat12Power, IntervalKind.Hour, "2026-03-02T09:00:00Z");

        Assert.AreEqual(200m, before.Value, "what was counted before the reset; the lost part is not invented");
        Assert.AreEqual(IntervalStatus.Estimated, before.Status);
        CollectionAssert.Contains(before.Flags.ToList(), MeterEvent.Reset);
        Assert.AreEqual(200m, after.Value, "from the new baseline 40 to 240");
        Assert.AreEqual(IntervalStatus.Measured, after.Status);
        Assert.HasCount(1, rig.Records("meter-reset"));
        Alert alert = rig.Alerts.List().Single();
        Assert.AreEqual("meter-reset", alert.Rule);
        Assert.AreEqual(MeterRig.PulseDevice, alert.Device);
    }

    [TestMethod]
    public async Task Consumption_DecreaseFarFromTheTopOnAMeterWithRollover_IsAResetNotAWrap()
    {
        await using var rig = new MeterRig(Morning);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T08:00:00Z", 50000.000m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:00:00Z", 0.010m);

        IntervalConsumption hour = rig.One(MeterRig.Flat14Water, IntervalKind.Hour, "2026-03-02T08:00:00Z");

        Assert.AreEqual(0m, hour.Value, "not 49999.990 m3 of water in an hour");
        CollectionAssert.Contains(hour.Flags.ToList(), MeterEvent.Reset);
        CollectionAssert.DoesNotContain(hour.Flags.ToList(), MeterEvent.Rollover);
    }

    [TestMethod]
    public async Task Replace_OldFinalAndNewStart_ConsumptionContinuesAcrossIt()
    {
        await using var rig = new MeterRig(Morning);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T08:00:00Z", 500.000m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:00:00Z", 500.300m);
        rig.Advance("2026-03-02T09:30:00Z");
        ReplacementResult replaced = await rig.Book.ReplaceAsync(MeterRig.Flat14Water, MeterRig.Utc("2026-03-02T09:30:00Z"), 500.450m, 0.010m, "alice", "meter swapped");
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T10:00:00Z", 0.110m);

        IntervalConsumption hour = rig.One(MeterRig.Flat14Water, IntervalKind.Hour, "2026-03-02T09:00:00Z");

        Assert.IsTrue(replaced.Recorded, replaced.Error);
        Assert.AreEqual(0.250m, hour.Value, "0.150 on the old meter, 0.100 on the new");
        Assert.AreEqual(IntervalStatus.Measured, hour.Status);
        CollectionAssert.Contains(hour.Flags.ToList(), MeterEvent.Replacement);
        CollectionAssert.DoesNotContain(hour.Flags.ToList(), MeterEvent.Reset);
        Assert.IsEmpty(rig.Records("meter-reset"), "the new meter's low reading is not a reset");
    }

    [TestMethod]
    public async Task Replace_RecordedAfterTheNewMeterReported_CountsTheSwapOnce()
    {
        await using var rig = new MeterRig(Morning);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T08:00:00Z", 500.000m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:00:00Z", 500.300m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:40:00Z", 0.060m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T10:00:00Z", 0.110m);
        rig.Advance("2026-03-02T10:10:00Z");

        // The operator records the swap later, giving the time of the record rather than of the swap.
        ReplacementResult replaced = await rig.Book.ReplaceAsync(MeterRig.Flat14Water, MeterRig.Utc("2026-03-02T10:05:00Z"), 500.450m, 0.010m, "alice", "meter swapped");
        IntervalConsumption hour = rig.One(MeterRig.Flat14Water, IntervalKind.Hour, "2026-03-02T09:00:00Z");

        Assert.IsTrue(replaced.Recorded, replaced.Error);
        Assert.AreEqual(0.250m, hour.Value, "0.150 on the old meter, 0.100 on the new, and the drop between them not counted again");
        CollectionAssert.Contains(hour.Flags.ToList(), MeterEvent.Replacement);
    }

    [TestMethod]
    public async Task Replace_FinalBelowTheLastReading_RefusedWithTheReason()
    {
        await using var rig = new MeterRig(Morning);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-02T09:00:00Z", 500.300m);

        ReplacementResult result = await rig.Book.ReplaceAsync(MeterRig.Flat14Water, MeterRig.Utc("2026-03-02T09:00:00Z"), 500.100m, 0m, "alice", null);

        Assert.IsFalse(result.Recorded);
        Assert.Contains("below its last reading 500.300", result.Error!);
    }

    [TestMethod]
    public async Task Sums_FlatAndBuilding_PerMediumAndUnitIncompleteWhenAMemberIsAGap()
    {
        await using var rig = new MeterRig(Morning);
        await rig.ReadAsync(MeterRig.Flat12Water, "2026-03-02T08:00:00Z", 1500m, "L");
        await rig.ReadAsync(MeterRig.Flat12Power, "2026-03-02T08:00:00Z", 7000m, "Wh");
        await rig.ReadAsync(MeterRig.MainWater, "2026-03-02T08:00:00Z", 20.000m);
        await rig.ReadAsync(MeterRig.Flat12Water, "2026-03-02T09:00:00Z", 1623m, "L");
        await rig.ReadAsync(MeterRig.Flat12Power, "2026-03-02T09:00:00Z", 7450m, "Wh");
        await rig.ReadAsync(MeterRig.MainWater, "2026-03-02T09:00:00Z", 20.400m);
        rig.Advance("2026-03-02T12:00:00Z");
        DateTimeOffset from = MeterRig.Utc("2026-03-02T08:00:00Z"), to = MeterRig.Utc("2026-03-02T09:00:00Z");

        var flat = rig.Book.Sums("b1", "flat 12", IntervalKind.Hour, from, to);
        var building = rig.Book.Sums("b1", null, IntervalKind.Hour, from, to);

        ConsumptionSum flatWater = flat.Single(s => s.Medium == "water");
        ConsumptionSum flatPower = flat.Single(s => s.Medium == "electricity");
        Assert.AreEqual(0.123m, flatWater.Value, "1623 L - 1500 L in m3");
        Assert.AreEqual("m3", flatWater.MeasuredIn);
        Assert.IsFalse(flatWater.Incomplete);
        Assert.AreEqual(450m, flatPower.Value);
        Assert.AreEqual("Wh", flatPower.MeasuredIn);

        ConsumptionSum flats = building.Single(s => s.Medium == "water" && s.Scope == "flats");
        ConsumptionSum common = building.Single(s => s.Medium == "water" && s.Scope == "common");
        Assert.IsNull(flats.Value, "flat 14's meter has no readings: the sum is unknown, not flat 12's alone");
        Assert.AreEqual(0.123m, flats.Partial);
        Assert.IsTrue(flats.Incomplete);
        CollectionAssert.AreEqual(new[] { MeterRig.Flat14Water }, flats.Gaps.ToList());
        Assert.AreEqual(0.400m, common.Value);
        Assert.IsFalse(common.Incomplete);
    }

    [TestMethod]
    public async Task Sums_MemberEstimated_SumKnownButIncomplete()
    {
        await using var rig = new MeterRig(Morning);
        await rig.ReadAsync(MeterRig.Flat12Water, "2026-03-02T07:55:00Z", 1000m, "L");
        await rig.ReadAsync(MeterRig.Flat12Water, "2026-03-02T08:05:00Z", 1010m, "L");
        await rig.ReadAsync(MeterRig.Flat12Water, "2026-03-02T09:00:00Z", 1100m, "L");
        await rig.ReadAsync(MeterRig.Flat12Power, "2026-03-02T08:00:00Z", 1m, "Wh");
        await rig.ReadAsync(MeterRig.Flat12Power, "2026-03-02T09:00:00Z", 2m, "Wh");

        var sums = rig.Book.Sums("b1", "flat 12", IntervalKind.Hour, MeterRig.Utc("2026-03-02T08:00:00Z"), MeterRig.Utc("2026-03-02T09:00:00Z"));

        ConsumptionSum water = sums.Single(s => s.Medium == "water");
        Assert.AreEqual(0.095m, water.Value, "08:00 interpolated to 1.005 m3");
        Assert.IsTrue(water.Incomplete);
        CollectionAssert.AreEqual(new[] { MeterRig.Flat12Water }, water.Estimated.ToList());
        Assert.IsFalse(sums.Single(s => s.Medium == "electricity").Incomplete);
    }

    [TestMethod]
    public async Task Consumption_MonthInBerlin_BoundedByLocalMidnights()
    {
        await using var rig = new MeterRig(MeterRig.Utc("2026-02-28T20:00:00Z"));
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-02-28T23:00:00Z", 50.000m); // 1 March 00:00 CET
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-01T00:00:00Z", 50.100m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-31T21:00:00Z", 100.000m);
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-31T22:00:00Z", 100.500m); // 1 April 00:00 CEST
        await rig.ReadAsync(MeterRig.Flat14Water, "2026-03-31T23:00:00Z", 101.000m);

        IntervalConsumption march = rig.One(MeterRig.Flat14Water, IntervalKind.Month, "2026-02-28T23:00:00Z");

        Assert.AreEqual(MeterRig.Utc("2026-03-31T22:00:00Z"), march.End, "March ends at local midnight, in summer time");
        Assert.AreEqual(IntervalStatus.Measured, march.Status);
        Assert.AreEqual(50.500m, march.Value);
    }

    [TestMethod]
    public async Task Calendar_DayOfTheSpringClockChange_Lasts23Hours()
    {
        await using var rig = new MeterRig(Morning);
        MeteringCalendar calendar = rig.Book.CalendarOf("b1");

        DateTimeOffset start = calendar.Floor(IntervalKind.Day, MeterRig.Utc("2026-03-29T12:00:00Z"));
        DateTimeOffset end = calendar.Next(IntervalKind.Day, start);

        Assert.AreEqual(MeterRig.TimeZone, calendar.Zone.Id);
        Assert.AreEqual(MeterRig.Utc("2026-03-28T23:00:00Z"), start);
        Assert.AreEqual(TimeSpan.FromHours(23), end - start);
        Assert.HasCount(23, rig.Book.Starts("b1", IntervalKind.Hour, start, end));
    }

    [TestMethod]
    public async Task RecordReading_WrongUnitOrUnknownMeter_RefusedAndCounted()
    {
        await using var rig = new MeterRig(Morning);

        ReadingOutcome wrongUnit = await rig.Book.RecordReadingAsync(MeterRig.Flat14Water, Morning, 1m, "kWh", "mbus", null);
        ReadingOutcome unknown = await rig.Book.RecordReadingAsync("b1-nowhere", Morning, 1m, "m3", "mbus", null);

        Assert.AreEqual(ReadingOutcome.WrongUnit, wrongUnit);
        Assert.AreEqual(ReadingOutcome.UnknownMeter, unknown);
        Assert.AreEqual(1, rig.Book.Refused["wrong-unit"]);
        Assert.AreEqual(1, rig.Book.Refused["unknown-meter"]);
        Assert.IsNull(rig.Book.Latest(MeterRig.Flat14Water));
    }

    [TestMethod]
    public async Task RecordReading_FromTheMbusMaster_StoredExactlyAndLogged()
    {
        await using var rig = new MeterRig(Morning);

        await rig.ReadAsync(MeterRig.MainWater, "2026-03-02T08:00:00Z", 123456.789m);

        MeterReading latest = rig.Book.Latest(MeterRig.MainWater)!;
        Assert.AreEqual(123456.789m, latest.Value);
        Assert.AreEqual("123456.789", MeterValues.Format(latest.Value));
        Assert.Contains("\"total\":123456.789", rig.Records(MeterBook.ReadingEvent).Single().Payload);
    }
}
