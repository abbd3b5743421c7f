namespace SmartCommunity.Edge.Tests.Metering;

using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// The M-Bus master against virtual meters served on a pseudo-terminal through the real serial port class
/// (hardware-docs/mbus-master.md).
/// </summary>
[TestClass]
public sealed class MBusMasterTests
{
    private const string Water = "b1-flat14-water";

    [TestInitialize]
    public void RequirePty() => MBusMasterRig.RequirePseudoTerminals();

    [TestMethod]
    public async Task Poll_PrimaryMeter_RecordsItsRegisterExactly()
    {
        await using var rig = new MBusMasterRig(MBusMasterRig.Meter(Water, "primary: 6, every: 15m"));
        var meter = new VirtualMBusMeter(6, 14839120, rig.Time, startUnits: 12_345_678);
        rig.StartMaster([meter]);

        await rig.WaitAsync(() => rig.Status(Water).Readings == 1, "the first reading is stored");

        MeterReading latest = rig.Book.Latest(Water)!;
        Assert.AreEqual(12345.678m, latest.Value, "litres from VIF 13 become m3 exactly");
        Assert.AreEqual(MBusMasterRig.Start, latest.At);
        Assert.AreEqual("mbus", latest.Source);
        StringAssert.Contains(latest.Detail, "mbus1 primary 6");
        Assert.AreEqual(1, meter.Resets, "SND_NKE once at start");
        Assert.AreEqual(MBusMeterStates.Ok, rig.Status(Water).State);
        Assert.AreEqual("14839120", rig.Status(Water).Identification);
    }

    [TestMethod]
    public async Task Poll_TelegramFullOfTerminalControlBytes_ArrivesUnchanged()
    {
        // XON, XOFF, CR, ETX, EOT, LF, SUB, DEL: a serial port left in a terminal mode would eat or translate them.
        const long Register = 0x0F1A0A04_11130D03;
        await using var rig = new MBusMasterRig(MBusMasterRig.Meter(Water, "primary: 6, every: 15m"));
        var meter = new VirtualMBusMeter(6, 14839120, rig.Time, startUnits: Register) { RegisterDif = 0x07 };
        rig.StartMaster([meter]);

        await rig.WaitAsync(() => rig.Status(Water).Readings == 1, "the reading is stored");

        Assert.AreEqual(Register / 1000m, rig.Book.Latest(Water)!.Value);
        Assert.AreEqual(0, rig.Status(Water).Garbled + rig.Status(Water).Retries);
    }

    [TestMethod]
    public async Task Poll_ReplyLost_RepeatsWithSameFcbAndRecordsTheTelegramOnce()
    {
        await using var rig = new MBusMasterRig(MBusMasterRig.Meter(Water, "primary: 6, every: 15m"));
        var meter = new VirtualMBusMeter(6, 14839120, rig.Time, startUnits: 1_000, unitsPerHour: 4_000);
        rig.StartMaster([meter]);
        await rig.WaitAsync(() => rig.Status(Water).Readings == 1, "the first reading is stored");

        rig.Line!.Arm(MBusLineFault.Lost, MBusFaultLine.IsReqUd2);
        await rig.AdvanceAsync(TimeSpan.FromMinutes(15), () => rig.Status(Water).Readings == 2, "the second reading is stored");
        await rig.AdvanceAsync(TimeSpan.FromMinutes(15), () => rig.Status(Water).Readings == 3, "the third reading is stored");

        Assert.AreEqual(1, rig.Line.Applied, "one answer was lost");
        Assert.AreEqual(1, meter.Repeats, "the repeat kept the FCB, so the meter sent the same telegram again");
        Assert.AreEqual(3, meter.Telegrams, "each poll after that toggled the FCB and got a new telegram");
        Assert.AreEqual(1, meter.Resets, "a repeat that succeeds needs no link reset");
        var readings = rig.Book.Readings(Water, MBusMasterRig.Start, MBusMasterRig.Start.AddHours(1), 100);
        CollectionAssert.AreEqual(new[] { 1m, 2m, 3m }, readings.Select(r => r.Value).ToArray(), "1000 L, then +1000 L per quarter hour, each once");
        Assert.AreEqual(1, rig.Status(Water).Retries);
    }

    [TestMethod]
    public async Task Poll_MoreRecordsFollow_MergesTelegramsAndFindsTheRegister()
    {
        await using var rig = new MBusMasterRig(MBusMasterRig.Meter(Water, "primary: 6, every: 15m"));
        var meter = new VirtualMBusMeter(6, 14839120, rig.Time, startUnits: 77_777) { RecordsPerTelegram = 1 }
            .WithRecord(0x44, 0x13, 55_555)   // storage 1: last billing date's volume, not the register
            .WithRecord(0x02, 0x5B, 40);      // flow temperature
        rig.StartMaster([meter]);

        await rig.WaitAsync(() => rig.Status(Water).Readings == 1, "the reading is stored");

        Assert.AreEqual(3, meter.Telegrams, "three telegrams, toggling the FCB each time");
        Assert.AreEqual(0, meter.Repeats);
        Assert.AreEqual(77.777m, rig.Book.Latest(Water)!.Value, "the instantaneous storage-0 volume from the third telegram");
        StringAssert.Contains(rig.Book.Latest(Water)!.Detail, "record 5", "records of all telegrams merged (each 1F marker counts as one)");
    }

    [TestMethod]
    public async Task Poll_SecondaryAddresses_SelectsEachMeterOnAddressZero()
    {
        const string Main = "b1-main-water";
        const string Garden = "b1-garden-water";
        await using var rig = new MBusMasterRig(
            MBusMasterRig.Meter(Main, "secondary: \"12345678\", every: 15m") + "\n" + MBusMasterRig.Meter(Garden, "secondary: \"87654321\", every: 15m"));
        var main = new VirtualMBusMeter(0, 12345678, rig.Time, startUnits: 5_000_001);
        var garden = new VirtualMBusMeter(0, 87654321, rig.Time, startUnits: 42_000);
        rig.StartMaster([main, garden]);

        await rig.WaitAsync(() => rig.Status(Main).Readings == 1 && rig.Status(Garden).Readings == 1, "both meters are read");

        Assert.AreEqual(5000.001m, rig.Book.Latest(Main)!.Value);
        Assert.AreEqual(42m, rig.Book.Latest(Garden)!.Value);
        Assert.AreEqual(1, main.Selections);
        Assert.AreEqual(1, garden.Selections);
        StringAssert.Contains(rig.Book.Latest(Main)!.Detail, "secondary 12345678");

        await rig.AdvanceAsync(TimeSpan.FromMinutes(15), () => rig.Status(Main).Readings == 2 && rig.Status(Garden).Readings == 2, "both meters are read again");
        Assert.AreEqual(0, main.Repeats + garden.Repeats, "each selection's REQ_UD2 carried a new FCB");
    }

    [TestMethod]
    public async Task Poll_FullSecondaryAddress_SelectsOnlyWhenManufacturerVersionAndMediumMatch()
    {
        const string Right = "b1-right";
        const string WrongMedium = "b1-wrong-medium";
        string manufacturer = SmartCommunity.Protocol.MBus.MBusManufacturer.Encode("SCM").ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        await using var rig = new MBusMasterRig(
            MBusMasterRig.Meter(Right, $"secondary: \"12345678{manufacturer}0107\", every: 15m") + "\n"
            + MBusMasterRig.Meter(WrongMedium, $"secondary: \"87654321{manufacturer}0104\", every: 15m"));
        var right = new VirtualMBusMeter(0, 12345678, rig.Time, startUnits: 3_000);
        var water = new VirtualMBusMeter(0, 87654321, rig.Time, startUnits: 4_000);
        rig.StartMaster([right, water]);

        await rig.WaitAsync(() => rig.Status(Right).Readings == 1 && rig.Status(WrongMedium).FailedPolls == 1, "one meter is read, the other's selection fails");

        Assert.AreEqual(3m, rig.Book.Latest(Right)!.Value);
        Assert.AreEqual(0, water.Selections, "a water meter (07) does not answer a selection for heat (04)");
        Assert.IsNull(rig.Book.Latest(WrongMedium));
        StringAssert.Contains(rig.Status(WrongMedium).LastProblem, "selection");
    }

    [TestMethod]
    public async Task Poll_MeterSilent_RetriesThenUnreachableAlertClearedWhenItAnswers()
    {
        await using var rig = new MBusMasterRig(MBusMasterRig.Meter(Water, "primary: 6, every: 15m"));
        var meter = new VirtualMBusMeter(6, 14839120, rig.Time, startUnits: 9_000) { Silent = true };
        rig.StartMaster([meter], alertAfter: 2);

        await rig.WaitAsync(() => rig.Status(Water).FailedPolls == 1, "the first poll fails");
        Assert.AreEqual(MBusMeterStates.Failing, rig.Status(Water).State);
        Assert.AreEqual(3, rig.Status(Water).Retries, "three retries after the first SND_NKE");
        Assert.AreEqual(4, rig.Status(Water).Timeouts);
        Assert.IsFalse(rig.Alerts.List().Any(a => a.Rule == MBusMaster.UnreachableAlert), "one failed poll raises no alert");

        await rig.AdvanceAsync(TimeSpan.FromMinutes(15), () => rig.Status(Water).FailedPolls == 2, "the second poll fails");
        Assert.AreEqual(MBusMeterStates.Unreachable, rig.Status(Water).State);
        var alert = rig.Alerts.List().Single(a => a.Rule == MBusMaster.UnreachableAlert);
        Assert.AreEqual(Water, alert.Device);
        Assert.IsNull(rig.Book.Latest(Water), "nothing recorded while it is silent");

        meter.Silent = false;
        await rig.AdvanceAsync(TimeSpan.FromMinutes(15), () => rig.Status(Water).Readings == 1, "the meter is read again");
        Assert.AreEqual(MBusMeterStates.Ok, rig.Status(Water).State);
        Assert.AreEqual(0, rig.Status(Water).ConsecutiveFailures);
        Assert.IsFalse(rig.Alerts.List().Any(a => a.Rule == MBusMaster.UnreachableAlert), "the alert is cleared");
        Assert.AreEqual(MBusMaster.ClearedBy, rig.Alerts.Find(alert.Id)!.ClearedBy);
        Assert.AreEqual(9m, rig.Book.Latest(Water)!.Value);
    }

    [TestMethod]
    public async Task Poll_ParityErrorsAndGarbage_DiscardedRetriedAndOnlyTrueReadingsRecorded()
    {
        await using var rig = new MBusMasterRig(MBusMasterRig.Meter(Water, "primary: 6, every: 15m"));
        var meter = new VirtualMBusMeter(6, 14839120, rig.Time, startUnits: 123_456, unitsPerHour: 1_234);
        rig.StartMaster([meter]);
        await rig.WaitAsync(() => rig.Status(Water).Readings == 1, "the first reading is stored");

        rig.Line!.Arm(MBusLineFault.ParityError, MBusFaultLine.IsReqUd2);
        rig.Line.Arm(MBusLineFault.NoiseBefore, MBusFaultLine.IsReqUd2);
        await rig.AdvanceAsync(TimeSpan.FromMinutes(15), () => rig.Status(Water).Readings == 2, "the second reading is stored");
        rig.Line.Arm(MBusLineFault.FlippedBit, MBusFaultLine.IsReqUd2);
        rig.Line.Arm(MBusLineFault.DuplicatedByte, MBusFaultLine.IsReqUd2);
        await rig.AdvanceAsync(TimeSpan.FromMinutes(15), () => rig.Status(Water).Readings == 3, "the third reading is stored");

        Assert.AreEqual(4, rig.Line.Applied);
        Assert.AreEqual(4, rig.Status(Water).Garbled, "each spoiled answer was refused");
        Assert.AreEqual(4, meter.Repeats, "each retry kept the FCB and got the same telegram");
        var readings = rig.Book.Readings(Water, MBusMasterRig.Start, MBusMasterRig.Start.AddHours(1), 100);
        decimal[] expected = [.. Enumerable.Range(0, 3).Select(i => meter.RegisterAt(MBusMasterRig.Start.AddMinutes(15 * i)) / 1000m)];
        CollectionAssert.AreEqual(expected, readings.Select(r => r.Value).ToArray(), "only the meter's true registers, once each");
        Assert.AreEqual(0, rig.Book.Refused.Count);
    }

    [TestMethod]
    public async Task Schedule_TwoMetersWithDifferentEvery_EachPolledOnItsOwn()
    {
        const string Fast = "b1-fast";
        const string Slow = "b1-slow";
        await using var rig = new MBusMasterRig(
            MBusMasterRig.Meter(Fast, "primary: 1, every: 1m") + "\n" + MBusMasterRig.Meter(Slow, "primary: 2, every: 2m"));
        var fast = new VirtualMBusMeter(1, 11111111, rig.Time, unitsPerHour: 60_000);
        var slow = new VirtualMBusMeter(2, 22222222, rig.Time, unitsPerHour: 60_000);
        rig.StartMaster([fast, slow]);
        await rig.WaitAsync(() => rig.Status(Fast).Readings == 1 && rig.Status(Slow).Readings == 1, "both are read at start");

        for (int minute = 1; minute <= 4; minute++)
        {
            int fastWanted = 1 + minute;
            int slowWanted = 1 + (minute / 2);
            await rig.AdvanceAsync(TimeSpan.FromMinutes(1), () => rig.Status(Fast).Readings == fastWanted && rig.Status(Slow).Readings == slowWanted,
                $"minute {minute}: fast read {fastWanted} times, slow {slowWanted}");
        }

        Assert.AreEqual(5, fast.Telegrams);
        Assert.AreEqual(3, slow.Telegrams);
        var slowAt = rig.Book.Readings(Slow, MBusMasterRig.Start, MBusMasterRig.Start.AddHours(1), 100).Select(r => r.At).ToArray();
        CollectionAssert.AreEqual(new[] { MBusMasterRig.Start, MBusMasterRig.Start.AddMinutes(2), MBusMasterRig.Start.AddMinutes(4) }, slowAt, "on the even minutes");
        Assert.AreEqual(MBusMasterRig.Start.AddMinutes(6), rig.Status(Slow).NextPoll);
    }

    [TestMethod]
    public async Task Edge_BusWhoseSerialDeviceIsMissing_StartsAndShowsItInGetMbus()
    {
        using var data = new TempFolder();
        string layout = data.File("layout.yaml");
        System.IO.File.WriteAllText(layout, MeterRig.LayoutText.Replace("/dev/ttyAMA0", "/dev/sc-no-such-mbus", StringComparison.Ordinal));
        await using EdgeHost edge = await EdgeHost.StartAsync(
            new EdgeOptions { LayoutPath = layout, DataDirectory = data.Path, MqttPort = 0, HttpPort = 0 }, NullLoggerFactory.Instance, TimeProvider.System);
        using HttpClient http = await OperatorClient.AsOperatorAsync(edge);

        await Eventually.WaitUntilAsync(() => edge.MBus!.Status()[0].OpenFailures >= 1, "the master has tried the port");
        JsonElement bus = (await OperatorClient.GetJsonAsync(http, "/mbus")).GetProperty("buses").EnumerateArray().Single();

        Assert.AreEqual("mbus1", bus.GetProperty("bus").GetString());
        Assert.IsFalse(bus.GetProperty("open").GetBoolean());
        StringAssert.Contains(bus.GetProperty("lastOpenError").GetString(), "sc-no-such-mbus");
        CollectionAssert.AreEquivalent(new[] { MeterRig.Flat14Water, MeterRig.MainWater },
            bus.GetProperty("meters").EnumerateArray().Select(m => m.GetProperty("meter").GetString()).ToArray());
        Assert.AreEqual(MBusMeterStates.Pending, bus.GetProperty("meters")[0].GetProperty("state").GetString());
    }

    [TestMethod]
    public async Task Start_SerialDeviceMissing_CountedAndOpenedLater()
    {
        await using var rig = new MBusMasterRig(MBusMasterRig.Meter(Water, "primary: 6, every: 15m")) { FailOpens = 1 };
        var meter = new VirtualMBusMeter(6, 14839120, rig.Time, startUnits: 500);
        MBusMaster master = rig.StartMaster([meter]);

        await rig.WaitAsync(() => master.Status().OpenFailures == 1, "the failed open is counted");
        Assert.IsFalse(master.Status().Open);
        StringAssert.Contains(master.Status().LastOpenError, MBusMasterRig.BusPort);

        await rig.AdvanceAsync(TimeSpan.FromMinutes(1), () => rig.Status(Water).Readings == 1, "the port opens a minute later and the meter is read");
        Assert.IsTrue(master.Status().Open);
        Assert.AreEqual(2, rig.Opens);
    }
}
