namespace SmartCommunity.Firmware.Tests.Devices.PulseMeter;

using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.PulseMeter;
using SmartCommunity.Firmware.Tests.TestSupport;

[TestClass]
public sealed partial class PulseMeterTests
{
    [TestMethod]
    public void Step_PulsesCounted_ReadingCarriesTheExactCumulativeTotal()
    {
        PulseMeterSettings settings = new PulseMeterSettings();
        PulseRig.Fit(settings, 1, MeterMedium.Electricity, 1250, 1234567);
        PulseRig rig = new PulseRig(settings);
        rig.Step();

        rig.PulsesAt(1, rig.Now + 100, 3, 50, 200);
        rig.Run(settings.ReportMs + 1000);

        JsonElement reading = rig.LastReading(1);
        Assert.AreEqual(3L, reading.GetProperty("pulses").GetInt64());
        Assert.AreEqual("1238.317", reading.GetProperty("total").GetRawText(), "1234.567 Wh + 3 x 1.25 Wh, exactly");
        Assert.AreEqual("Wh", reading.GetProperty("unit").GetString());
        Assert.AreEqual("electricity", reading.GetProperty("medium").GetString());
        Assert.AreEqual(1, reading.GetProperty("ch").GetInt32());
        Assert.AreEqual(1238317L, rig.Meter.Channel(1).TotalMilli);
    }

    [TestMethod]
    public void Step_AfterBoot_EveryChannelReportsItsReadingOnce()
    {
        PulseRig rig = new PulseRig(PulseRig.FourChannels());

        rig.Step();

        string[] media = { "water", "hot-water", "gas", "electricity" };
        string[] units = { "L", "L", "m3", "Wh" };
        for (int ch = 1; ch <= 4; ch++)
        {
            JsonElement reading = rig.LastReading(ch);
            Assert.AreEqual(media[ch - 1], reading.GetProperty("medium").GetString());
            Assert.AreEqual(units[ch - 1], reading.GetProperty("unit").GetString());
            Assert.AreEqual("0.000", reading.GetProperty("total").GetRawText());
            Assert.AreEqual(0L, reading.GetProperty("pulses").GetInt64());
        }

        Assert.HasCount(1, rig.States());
    }

    [TestMethod]
    public void Step_TotalChangingAllTheTime_ReadingAtMostOncePerReportMs()
    {
        PulseMeterSettings settings = new PulseMeterSettings { ReportMs = 5000, HeartbeatMs = 3600000 };
        PulseRig rig = new PulseRig(settings);
        rig.Step();
        rig.PulsesAt(1, rig.Now + 100, 150, 40, 200);

        rig.Run(31000);

        List<JsonElement> readings = rig.Readings(1);
        for (int i = 1; i < readings.Count; i++)
        {
            long gap = readings[i].GetProperty("up").GetInt64() - readings[i - 1].GetProperty("up").GetInt64();
            Assert.IsGreaterThanOrEqualTo(settings.ReportMs, gap, "readings " + (i - 1) + " and " + i);
        }

        Assert.HasCount(7, readings, "the boot reading, then one per 5 s while counting for 30 s");
        Assert.AreEqual(150L, rig.LastReading(1).GetProperty("pulses").GetInt64());
    }

    [TestMethod]
    public void Step_Heartbeat_RepeatsEveryChannelsReadingEvenUnchanged()
    {
        PulseMeterSettings settings = PulseRig.FourChannels();
        PulseRig rig = new PulseRig(settings);

        rig.Run((3 * settings.HeartbeatMs) + 1000);

        for (int ch = 1; ch <= 4; ch++)
        {
            Assert.HasCount(4, rig.Readings(ch), "channel " + ch + ": at boot and on three heartbeats");
        }

        Assert.HasCount(4, rig.States());
    }

    [TestMethod]
    public void Step_ReadingRefusedWhileOffline_SentAgainOnceBackAndStillCumulative()
    {
        PulseRig rig = new PulseRig(new PulseMeterSettings { HeartbeatMs = 3600000 });
        rig.Step();
        rig.Transport.Disconnect();
        rig.PulsesAt(1, rig.Now + 100, 4, 50, 200);
        rig.Run(30000);
        rig.Transport.Reconnect();

        rig.Run(rig.Settings.ReportMs);

        Assert.AreEqual(4L, rig.LastReading(1).GetProperty("pulses").GetInt64());
        Assert.AreEqual("4.000", rig.LastReading(1).GetProperty("total").GetRawText());
    }

    [TestMethod]
    public void Step_NoisePulses_RejectedAndCountedInTheState()
    {
        PulseRig rig = new PulseRig();
        rig.Step();
        rig.PulsesAt(1, rig.Now + 100, 3, 15, 300);
        rig.PulseAt(1, rig.Now + 1000, 60);

        rig.Run(rig.Settings.HeartbeatMs);

        JsonElement state = rig.LastState();
        Assert.AreEqual(3L, state.GetProperty("ch1Rejected").GetInt64());
        Assert.AreEqual("1.000", state.GetProperty("ch1Total").GetRawText());
        Assert.AreEqual(1L, rig.Meter.Channel(1).Pulses);
    }

    [TestMethod]
    public void Step_FlowWithoutQuietGapForLeakSuspicionTime_RaisedOnceThenClearedByAQuietGap()
    {
        PulseMeterSettings settings = new PulseMeterSettings();
        settings.Channel(1).QuietGapMs = 10000;
        settings.Channel(1).LeakSuspicionMs = 60000;
        PulseRig rig = new PulseRig(settings);
        rig.Step();
        long firstEnd = rig.PulsesAt(1, rig.Now + 1000, 19, 100, 5000) - (18 * 5000);

        rig.RunUntil(firstEnd + 60000 - 1000);
        Assert.AreEqual(0, rig.Count("leak-suspicion"));
        rig.RunUntil(firstEnd + 60000 + PulseRig.StepMs);
        Assert.AreEqual(1, rig.Count("leak-suspicion"));
        JsonElement raised = rig.EventPayloads().Find(e => e.GetProperty("event").GetString() == "leak-suspicion");
        Assert.AreEqual(1, raised.GetProperty("ch").GetInt32());
        Assert.AreEqual(firstEnd, raised.GetProperty("since").GetInt64(), "since the first pulse of the run");
        Assert.AreEqual("water", raised.GetProperty("medium").GetString());
        Assert.IsTrue(rig.LastState().GetProperty("ch1Leak").GetBoolean());

        rig.Run(30000);
        Assert.AreEqual(1, rig.Count("leak-suspicion"), "raised once per run");
        Assert.AreEqual(0, rig.Count("leak-suspicion-cleared"), "still flowing (last pulse at 91 s)");
        rig.Run(10000);

        Assert.AreEqual(1, rig.Count("leak-suspicion-cleared"));
        Assert.IsFalse(rig.LastState().GetProperty("ch1Leak").GetBoolean());
    }

    [TestMethod]
    public void Step_FlowWithQuietGaps_NoLeakSuspicion()
    {
        PulseMeterSettings settings = new PulseMeterSettings();
        settings.Channel(1).QuietGapMs = 10000;
        settings.Channel(1).LeakSuspicionMs = 60000;
        PulseRig rig = new PulseRig(settings);
        rig.Step();
        for (int burst = 0; burst < 5; burst++)
        {
            rig.PulsesAt(1, rig.Now + 1000 + (burst * 52000), 9, 100, 5000);
        }

        rig.Run(5 * 52000);

        Assert.AreEqual(0, rig.Count("leak-suspicion"), "each 40 s run ends with a 12 s pause");
        Assert.AreEqual(45L, rig.Meter.Channel(1).Pulses);
    }

    [TestMethod]
    public void Step_TamperHeldAndReleased_TamperEventsAndCounter()
    {
        PulseRig rig = new PulseRig();
        rig.Step();
        rig.Tamper!.Active = true;
        rig.Step(100);
        rig.Tamper.Active = false;
        rig.Run(1000);
        Assert.AreEqual(0, rig.Count("tamper"), "a 100 ms flicker is below the debounce");

        rig.Tamper.Active = true;
        rig.Run(1000);
        rig.Tamper.Active = false;
        rig.Run(1000);

        CollectionAssert.AreEqual(new[] { "tamper", "tamper-cleared" }, rig.Events().FindAll(e => e.StartsWith("tamper", StringComparison.Ordinal)));
        Assert.AreEqual(1L, rig.EventPayloads().Find(e => e.GetProperty("event").GetString() == "tamper").GetProperty("tampers").GetInt64());
        JsonElement state = rig.LastState();
        Assert.AreEqual(1L, state.GetProperty("tampers").GetInt64());
        Assert.IsFalse(state.GetProperty("tamper").GetBoolean());
    }

    [TestMethod]
    public void Step_TamperCount_SurvivesARestart()
    {
        PulseRig rig = new PulseRig(new PulseMeterSettings { SaveEveryMs = 1000 });
        rig.Tamper!.Active = true;
        rig.Run(2000);

        PulseRig after = new PulseRig(store: rig.Store);

        Assert.AreEqual(1L, after.Meter.Tampers);
    }

    [TestMethod]
    public void Step_CountingContinuously_SavesAtMostOncePerSaveEveryMs()
    {
        PulseMeterSettings settings = new PulseMeterSettings { SaveEveryMs = 60000 };
        PulseRig rig = new PulseRig(settings);
        rig.Step();
        rig.PulsesAt(1, rig.Now + 100, 600, 100, 1000);
        List<long> writeTimes = new List<long>();

        while (rig.Now < 610000)
        {
            int before = rig.Store.Writes;
            rig.Step(PulseRig.StepMs);
            if (rig.Store.Writes != before)
            {
                writeTimes.Add(rig.Now);
            }
        }

        for (int i = 1; i < writeTimes.Count; i++)
        {
            Assert.IsGreaterThanOrEqualTo(settings.SaveEveryMs, writeTimes[i] - writeTimes[i - 1]);
        }

        Assert.HasCount(11, writeTimes, "the first pulse at once, then one per minute for 10 minutes");
        Assert.AreEqual(11L, rig.Meter.Records.Saves);
        Assert.AreEqual(600L, new PulseRig(settings, rig.Store).Meter.Channel(1).Pulses, "the last save has every pulse");
    }

    [TestMethod]
    public void Step_NoPulses_NeverWritesTheStore()
    {
        PulseRig rig = new PulseRig(PulseRig.FourChannels());

        rig.Run(3600000);

        Assert.AreEqual(0, rig.Store.Writes);
    }

    [TestMethod]
    public void Step_PowerFailWarning_SavesAtOnceDespiteTheRateLimit()
    {
        PulseMeterSettings settings = new PulseMeterSettings { SaveEveryMs = 600000 };
        PulseRig rig = new PulseRig(settings);
        rig.Step();
        rig.PulsesAt(1, rig.Now + 100, 10, 50, 500);
        rig.Run(10000);
        Assert.AreEqual(1, rig.Store.Writes, "only the first pulse's save: the next is 10 minutes away");

        rig.PowerFail!.Active = true;
        rig.Step(PulseRig.StepMs);

        Assert.AreEqual(2, rig.Store.Writes);
        Assert.AreEqual(1L, rig.Meter.PowerFailSaves);
        Assert.AreEqual(10L, new PulseRig(settings, FlashStore.From(rig.Store.Snapshot())).Meter.Channel(1).Pulses);
        rig.Run(10000);
        Assert.AreEqual(2, rig.Store.Writes, "a warning that stays on writes once");
    }

    [TestMethod]
    public void Step_PowerFailWarningWithNothingNew_DoesNotWrite()
    {
        PulseRig rig = new PulseRig();
        rig.Run(1000);

        rig.PowerFail!.Active = true;
        rig.Run(1000);

        Assert.AreEqual(0, rig.Store.Writes);
    }

    [TestMethod]
    public void Step_StoreFails_CountingGoesOnAndTheFailureIsReported()
    {
        PulseRig rig = new PulseRig(new PulseMeterSettings { SaveEveryMs = 1000 });
        rig.Store.Failing = true;
        rig.Step();
        rig.PulsesAt(1, rig.Now + 100, 5, 50, 200);

        rig.Run(rig.Settings.HeartbeatMs);

        Assert.AreEqual(5L, rig.Meter.Channel(1).Pulses);
        Assert.IsGreaterThan(0L, rig.LastState().GetProperty("saveFailures").GetInt64());
        rig.Command("st-1", "self-test");
        Assert.AreEqual("fail", rig.LastEvent("self-test-report").GetProperty("result").GetString());
    }

    [TestMethod]
    public void Constructor_RecordsOfAnEarlierBoot_TotalsContinue()
    {
        PulseMeterSettings settings = PulseRig.FourChannels();
        settings.SaveEveryMs = 1000;
        PulseRig rig = new PulseRig(settings);
        rig.Step();
        rig.PulsesAt(3, rig.Now + 100, 7, 50, 200);
        rig.PulsesAt(4, rig.Now + 100, 2, 50, 200);
        rig.Run(5000);

        PulseRig after = new PulseRig(settings, rig.Store);
        after.Step();

        Assert.AreEqual(7L, after.LastReading(3).GetProperty("pulses").GetInt64());
        Assert.AreEqual("0.070", after.LastReading(3).GetProperty("total").GetRawText());
        Assert.AreEqual("2.500", after.LastReading(4).GetProperty("total").GetRawText());
        Assert.AreEqual(0L, after.Meter.Channel(1).Pulses);
    }

    [TestMethod]
    public void Constructor_NewestRecordTorn_FallsBackToThePreviousRecordAndOverwritesTheTornOne()
    {
        PulseMeterSettings settings = new PulseMeterSettings { SaveEveryMs = 1000 };
        PulseRig rig = new PulseRig(settings);
        rig.Step();
        rig.PulsesAt(1, rig.Now + 100, 3, 50, 200);
        rig.Run(3000);
        rig.PulsesAt(1, rig.Now + 100, 2, 50, 200);
        rig.Run(3000);
        StoreWrite last = rig.Store.History[^1];
        long before = new PulseRig(settings, FlashStore.From(last.Before)).Meter.Channel(1).Pulses;
        Assert.IsLessThan(5L, before, "the record before the last save lacks its pulses");

        FlashStore torn = FlashStore.From(FlashStore.Torn(last, last.Data.Length / 2, truncate: false));
        PulseRig after = new PulseRig(settings, torn);

        Assert.AreEqual(before, after.Meter.Channel(1).Pulses, "the record before the torn one");
        Assert.AreEqual(1, after.Meter.Records.InvalidRecords);
        after.Step();
        after.PulseAt(1, after.Now + 100, 50);
        after.Run(2000);
        Assert.AreEqual(last.Key, after.Store.History[0].Key, "the next save replaces the torn record, never the good one");
    }

    [TestMethod]
    public void Constructor_ChannelConstantChanged_ThatChannelRestartsAtZero()
    {
        PulseMeterSettings settings = PulseRig.FourChannels();
        settings.SaveEveryMs = 1000;
        PulseRig rig = new PulseRig(settings);
        rig.Step();
        rig.PulsesAt(1, rig.Now + 100, 4, 50, 200);
        rig.PulsesAt(2, rig.Now + 100, 6, 50, 200);
        rig.Run(5000);

        PulseMeterSettings changed = PulseRig.FourChannels();
        changed.Channel(1).MilliPerPulse = 10000;
        PulseRig after = new PulseRig(changed, rig.Store);

        Assert.AreEqual(0L, after.Meter.Channel(1).Pulses, "a new constant is a new commissioning");
        Assert.IsTrue(after.Meter.Records.Recommissioned(1));
        Assert.AreEqual(6L, after.Meter.Channel(2).Pulses);
        Assert.IsFalse(after.Meter.Records.Recommissioned(2));
    }

    [TestMethod]
    public void Constructor_InvalidSettings_ThrowsNamingTheKey()
    {
        PulseMeterSettings settings = new PulseMeterSettings();
        settings.Channel(2).Medium = MeterMedium.Electricity;
        settings.Channel(2).Unit = MeterUnit.Litre;

        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(() => new PulseRig(settings));

        Assert.Contains("ch2Unit", error.Message);
    }

    [TestMethod]
    public void Execute_SelfTest_ReportsPassWithTheStoreChecked()
    {
        PulseRig rig = new PulseRig(new PulseMeterSettings { SaveEveryMs = 1000 });
        rig.Step();
        rig.PulseAt(1, rig.Now + 100, 50);
        rig.Run(2000);

        rig.Command("st-1", "self-test");

        JsonElement report = rig.LastEvent("self-test-report");
        Assert.AreEqual("pass", report.GetProperty("result").GetString());
        Assert.AreEqual("ok", report.GetProperty("store").GetString());
        Assert.AreEqual(1, report.GetProperty("channels").GetInt32());
        Assert.AreEqual("done", rig.LastAck().GetProperty("result").GetString());
    }

    [TestMethod]
    public void Execute_CommandForAnotherDevice_RejectedNotSupported()
    {
        PulseRig rig = new PulseRig();
        rig.Step();

        rig.Command("c-1", "close");

        Assert.AreEqual("rejected", rig.LastAck().GetProperty("result").GetString());
        Assert.AreEqual(1L, rig.Meter.Commands.Rejected);
    }

    [TestMethod]
    public void Step_FourChannelsAtTheirLargestFigures_StateAndReadingsFitAMessage()
    {
        PulseMeterSettings settings = PulseRig.FourChannels();
        for (int ch = 1; ch <= 4; ch++)
        {
            settings.Channel(ch).StartMilli = PulseMeterSettings.MaxStartMilli;
            settings.Channel(ch).MilliPerPulse = PulseMeterSettings.MaxMilliPerPulse;
        }

        PulseRig rig = new PulseRig(settings, deviceId: new string('m', 32));
        rig.Step();
        for (int ch = 1; ch <= 4; ch++)
        {
            rig.PulsesAt(ch, rig.Now + 100, 3, 50, 200);
            rig.PulsesAt(ch, rig.Now + 1000, 2, 10, 200);
        }

        rig.Tamper!.Active = true;
        rig.Run(settings.HeartbeatMs);

        Assert.AreEqual(0L, rig.Meter.Uplink.Dropped);
        JsonElement state = rig.LastState();
        Assert.AreEqual("1000003000000.000", state.GetProperty("ch4Total").GetRawText());
        Assert.AreEqual(2L, state.GetProperty("ch4Rejected").GetInt64());
    }
}
