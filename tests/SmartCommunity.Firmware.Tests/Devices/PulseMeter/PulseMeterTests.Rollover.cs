namespace SmartCommunity.Firmware.Tests.Devices.PulseMeter;

using System;
using System.Collections.Generic;
using System.Numerics;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.PulseMeter;

/// <summary>
/// A channel with <c>chNRolloverMilli</c>: its total follows the meter's register, which wraps to zero at its modulus,
/// while the pulses stay cumulative (hardware-docs/pulse-meter.md, "Register rollover").
/// </summary>
public sealed partial class PulseMeterTests
{
    [TestMethod]
    public void Step_RegisterReachesItsModulus_TotalWrapsToZeroAndPulsesStayCumulative()
    {
        // Gas at 0.01 m3/pulse on a register that shows 999.999 at most: 3 pulses from 999.970 reach the modulus.
        PulseMeterSettings settings = new PulseMeterSettings();
        PulseRig.Fit(settings, 1, MeterMedium.Gas, 10, 999970);
        settings.Channel(1).RolloverMilli = 1000000;
        PulseRig rig = new PulseRig(settings);
        rig.Step();

        rig.PulsesAt(1, rig.Now + 100, 2, 50, 200);
        rig.Run(settings.ReportMs + 1000);
        Assert.AreEqual("999.990", rig.LastReading(1).GetProperty("total").GetRawText());

        rig.PulseAt(1, rig.Now + 100, 50);
        rig.Run(settings.ReportMs + 1000);
        JsonElement atModulus = rig.LastReading(1);
        Assert.AreEqual("0.000", atModulus.GetProperty("total").GetRawText(), "999.990 + 0.010 is the modulus: the register shows zero");
        Assert.AreEqual(3L, atModulus.GetProperty("pulses").GetInt64());

        rig.PulsesAt(1, rig.Now + 100, 2, 50, 200);
        rig.Run(settings.ReportMs + 1000);
        JsonElement after = rig.LastReading(1);
        Assert.AreEqual("0.020", after.GetProperty("total").GetRawText());
        Assert.AreEqual(5L, after.GetProperty("pulses").GetInt64(), "pulses never wrap");
        Assert.AreEqual(20L, rig.Meter.Channel(1).TotalMilli);
        Assert.AreEqual("0.020", rig.LastState().GetProperty("ch1Total").GetRawText(), "the state's total is the register's too");
    }

    [TestMethod]
    public void Step_ManyWrapsAtTheSmallestRollover_EveryReadingIsTheRegisterExactly()
    {
        // The smallest rollover allowed: 10 000 pulses per turn (1 L/pulse, 10 000.000 L). 20 005 pulses from 9 999 L wrap
        // three times and end at 4 L.
        PulseMeterSettings settings = new PulseMeterSettings { ReportMs = 1000 };
        PulseRig.Fit(settings, 1, MeterMedium.Water, 1000, 9999000);
        settings.Channel(1).RolloverMilli = PulseMeterSettings.MinPulsesPerRollover * 1000;
        Assert.IsNull(settings.Validate());
        PulseRig rig = new PulseRig(settings, keepMessages: true);
        rig.Step();

        long last = rig.PulsesAt(1, rig.Now + 100, 20005, 40, 100);
        rig.Run(last - rig.Now + settings.ReportMs + 1000);

        Assert.AreEqual(20005L, rig.Meter.Channel(1).Pulses);
        Assert.AreEqual("4.000", rig.LastReading(1).GetProperty("total").GetRawText());
        List<JsonElement> readings = rig.Readings(1);
        Assert.IsGreaterThan(1000, readings.Count, "a reading about every second");
        int wraps = 0;
        decimal previous = -1;
        foreach (JsonElement reading in readings)
        {
            long pulses = reading.GetProperty("pulses").GetInt64();
            decimal total = reading.GetProperty("total").GetDecimal();
            Assert.AreEqual(Register(9999000, pulses, 1000, 10000000), total * 1000, "reading of " + pulses + " pulses");
            wraps += total < previous ? 1 : 0;
            previous = total;
        }

        Assert.AreEqual(3, wraps);
    }

    [TestMethod]
    public void RegisterMilli_LargestSettingsAndCounts_ExactWithoutOverflow()
    {
        Random random = new Random(8);
        long[] rollovers = [PulseMeterSettings.MaxRolloverMilli, 100000000000, 999999999999999, 10000000000000];
        long[] constants = [PulseMeterSettings.MaxMilliPerPulse, 1, 1250, 999999937, 1073741823 / 2];
        long[] counts = [0, 1, long.MaxValue, long.MaxValue / 3, 9223372036L, 123456789012345678];
        foreach (long rollover in rollovers)
        {
            foreach (long constant in constants)
            {
                if (rollover / PulseMeterSettings.MinPulsesPerRollover < constant)
                {
                    continue;
                }

                foreach (long pulses in counts)
                {
                    long start = random.NextInt64(rollover);
                    PulseChannelSettings c = new PulseChannelSettings { Medium = MeterMedium.Water, MilliPerPulse = constant, StartMilli = start, RolloverMilli = rollover };
                    Assert.AreEqual(Register(start, pulses, constant, rollover), (decimal)c.RegisterMilli(pulses), $"start {start}, {pulses} x {constant} mod {rollover}");
                }
            }
        }
    }

    [TestMethod]
    public void RegisterMilli_NoRollover_StartPlusPulsesTimesConstant()
    {
        PulseChannelSettings c = new PulseChannelSettings { MilliPerPulse = 1250, StartMilli = PulseMeterSettings.MaxStartMilli };

        Assert.AreEqual(PulseMeterSettings.MaxStartMilli + (1000000L * 1250), c.RegisterMilli(1000000), "0 = a register that never wraps");
    }

    [TestMethod]
    public void Constructor_PowerCutJustAfterTheWrap_PulsesRestoredAndTheWrappedTotalRecomputed()
    {
        // Electricity at 1 Wh/pulse on an 8-digit kWh register (modulus 100 000 kWh = 10^11 thousandths of a Wh), 5 Wh below its wrap.
        PulseMeterSettings settings = new PulseMeterSettings { SaveEveryMs = 1000 };
        PulseRig.Fit(settings, 4, MeterMedium.Electricity, 1000, 99999995000);
        settings.Channel(4).RolloverMilli = 100000000000;
        PulseRig rig = new PulseRig(settings);
        rig.Step();
        rig.PulsesAt(4, rig.Now + 100, 3, 50, 200);
        rig.Run(3000);
        Dictionary<string, byte[]> beforeTheWrap = rig.Store.Snapshot();
        rig.PulsesAt(4, rig.Now + 100, 4, 50, 200);
        rig.Run(1000);
        Assert.AreEqual(2000L, rig.Meter.Channel(4).TotalMilli, "7 Wh from 5 Wh below the wrap");

        // The power-fail warning saves the last pulses, and the power goes.
        rig.PowerFail!.Active = true;
        rig.Step(PulseRig.StepMs);
        PulseRig after = new PulseRig(settings, FlashStore.From(rig.Store.Snapshot()));
        after.Step();

        Assert.AreEqual(7L, after.Meter.Channel(4).Pulses);
        Assert.AreEqual("2.000", after.LastReading(4).GetProperty("total").GetRawText());
        Assert.AreEqual(7L, after.LastReading(4).GetProperty("pulses").GetInt64());

        // A cut before the wrap's save: the older record is the truth, and counting on from it wraps as the register did.
        PulseRig older = new PulseRig(settings, FlashStore.From(beforeTheWrap));
        older.Step();
        Assert.AreEqual("99999998.000", older.LastReading(4).GetProperty("total").GetRawText());
        older.PulsesAt(4, older.Now + 100, 4, 50, 200);
        older.Run(settings.ReportMs + 1000);
        Assert.AreEqual("2.000", older.LastReading(4).GetProperty("total").GetRawText(), "the same 7 pulses show the same wrapped register");
    }

    [TestMethod]
    public void Constructor_RolloverSetOnACountingChannel_PulsesKeptAndTotalWrapped()
    {
        // The rollover is not part of the commissioning record: giving the register's modulus later keeps the count.
        PulseMeterSettings plain = new PulseMeterSettings { SaveEveryMs = 1000 };
        PulseRig.Fit(plain, 1, MeterMedium.Water, 1000, 99998000);
        PulseRig rig = new PulseRig(plain);
        rig.Step();
        rig.PulsesAt(1, rig.Now + 100, 3, 50, 200);
        rig.Run(plain.ReportMs + 1000);
        Assert.AreEqual("100001.000", rig.LastReading(1).GetProperty("total").GetRawText(), "without a rollover the total counts on past the display");

        PulseMeterSettings wrapping = new PulseMeterSettings { SaveEveryMs = 1000 };
        PulseRig.Fit(wrapping, 1, MeterMedium.Water, 1000, 99998000);
        wrapping.Channel(1).RolloverMilli = 100000000;
        PulseRig after = new PulseRig(wrapping, rig.Store);
        after.Step();

        Assert.AreEqual(3L, after.Meter.Channel(1).Pulses);
        Assert.AreEqual("1.000", after.LastReading(1).GetProperty("total").GetRawText());
    }

    private static decimal Register(long start, long pulses, long constant, long rollover) =>
        (decimal)((new BigInteger(start) + (new BigInteger(pulses) * constant)) % rollover);
}
