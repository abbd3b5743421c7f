namespace SmartCommunity.Edge.Tests.Metering;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Protocol.MBus;

/// <summary>Which record of an answer is the billing register, and its exact conversion (hardware-docs/mbus-master.md §5).</summary>
[TestClass]
public sealed class MBusRegisterTests
{
    [TestMethod]
    public void Choose_StoredAndTariffValuesBeforeTheRegister_PicksInstantaneousStorageZero()
    {
        MBusRecord[] records = Decode(w =>
        {
            w.AddRecord(0x44, null, 0x13, null, 1111);              // storage 1
            w.AddRecord(0x84, [0x10], 0x13, null, 2222);            // tariff 1
            w.AddRecord(0x14, null, 0x13, null, 3333);              // maximum
            w.AddRecord(0x04, null, 0x93, [0x3B], 4444);            // with a VIFE (forward flow only)
            w.AddRecord(0x04, null, 0x13, null, 5555);              // the register
        });

        MBusRegisterValue? register = MBusRegister.Choose(Meter("water", "m3"), records, out string? problem);

        Assert.IsNull(problem);
        Assert.AreEqual(4, register!.Index);
        Assert.AreEqual(5.555m, register.Value);
    }

    [TestMethod]
    public void Choose_EnergyInWhForAMeterInKwh_ConvertsExactly()
    {
        MBusRecord[] records = Decode(w => w.AddRecord(0x0C, null, 0x03, null, 12345678));   // 8 BCD digits, Wh

        MBusRegisterValue? register = MBusRegister.Choose(Meter("heat", "kWh"), records, out _);

        Assert.AreEqual(12345.678m, register!.Value);
        Assert.AreEqual("kWh", register.Unit);
        Assert.AreEqual(12345678m, register.Raw);
    }

    [TestMethod]
    public void Choose_EnergyInJoulesForAMeterInWh_RefusedWithTheFix()
    {
        MBusRecord[] records = Decode(w => w.AddRecord(0x04, null, 0x0E, null, 360));   // MJ (10^6 J)

        MBusRegisterValue? register = MBusRegister.Choose(Meter("heat", "Wh"), records, out string? problem);

        Assert.IsNull(register);
        StringAssert.Contains(problem, "set measuredIn");
    }

    [TestMethod]
    public void Choose_NoVolumeInAnElectricityTelegram_SaysWhatIsMissing()
    {
        MBusRecord[] records = Decode(w => w.AddRecord(0x04, null, 0x13, null, 1));

        Assert.IsNull(MBusRegister.Choose(Meter("electricity", "kWh"), records, out string? problem));
        StringAssert.Contains(problem, "instantaneous energy");
    }

    private static MeterDefinition Meter(string medium, string unit) =>
        new("m1", "b1", null, medium, unit, new MbusSource("mbus1", 6, null, TimeSpan.FromMinutes(15)));

    private static MBusRecord[] Decode(Action<MBusUserDataWriter> records)
    {
        var writer = new MBusUserDataWriter();
        writer.AddLongHeader(12345678, MBusManufacturer.Encode("SCM"), 1, 7, 1, 0);
        records(writer);
        byte[] frame = MBusFrameWriter.RspUd(6, MBusLink.CiResponseLong, writer.ToArray(), false, false);
        var telegram = new MBusTelegram();
        Assert.IsNull(MBusDecoder.DecodeFrame(frame, 0, frame.Length, telegram));
        return telegram.Records();
    }
}
