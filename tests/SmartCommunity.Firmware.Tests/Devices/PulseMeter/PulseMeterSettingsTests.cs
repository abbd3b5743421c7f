namespace SmartCommunity.Firmware.Tests.Devices.PulseMeter;

using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Devices.PulseMeter;

[TestClass]
public sealed class PulseMeterSettingsTests
{
    [TestMethod]
    public void Read_PerChannelKeys_FillThatChannel()
    {
        PulseMeterSettings settings = PulseMeterSettings.Read(Bundle(
            "\"ch1Medium\":1,\"ch1MilliPerPulse\":10000,\"ch1StartMilli\":123456789,"
            + "\"ch3Medium\":3,\"ch3MilliPerPulse\":10,\"ch3Unit\":2,\"ch3QuietGapMs\":60000,\"ch3LeakSuspicionMs\":3600000,"
            + "\"ch4Medium\":4,\"ch4MilliPerPulse\":1250,\"minOnMs\":25,\"saveEveryMs\":300000,\"reportMs\":30000"));

        Assert.AreEqual(MeterMedium.Water, settings.Channel(1).Medium);
        Assert.AreEqual(10000L, settings.Channel(1).MilliPerPulse);
        Assert.AreEqual(123456789L, settings.Channel(1).StartMilli);
        Assert.AreEqual(MeterMedium.None, settings.Channel(2).Medium);
        Assert.AreEqual(MeterUnit.CubicMetre, settings.Channel(3).EffectiveUnit);
        Assert.AreEqual(60000L, settings.Channel(3).QuietGapMs);
        Assert.AreEqual(3600000L, settings.Channel(3).LeakSuspicionMs);
        Assert.AreEqual(MeterUnit.WattHour, settings.Channel(4).EffectiveUnit);
        Assert.AreEqual(0L, settings.Channel(4).LeakSuspicionMs, "no leak suspicion on electricity unless asked");
        Assert.AreEqual(25L, settings.MinOnMs);
        Assert.AreEqual(300000L, settings.SaveEveryMs);
        Assert.AreEqual(30000L, settings.ReportMs);
        Assert.AreEqual(new PulseMeterSettings().MinOffMs, settings.MinOffMs, "a parameter not given keeps its default");
        Assert.AreEqual(3, settings.FittedChannels);
        Assert.IsNull(settings.Validate());
    }

    [TestMethod]
    public void Read_NoParameters_OneColdWaterChannelWithLeakSuspicion()
    {
        PulseMeterSettings settings = PulseMeterSettings.Read(Bundle(""));

        Assert.AreEqual(1, settings.FittedChannels);
        Assert.AreEqual(MeterMedium.Water, settings.Channel(1).Medium);
        Assert.AreEqual(MeterUnit.Litre, settings.Channel(1).EffectiveUnit);
        Assert.AreEqual(1000L, settings.Channel(1).MilliPerPulse);
        Assert.AreEqual(30L * 60 * 1000, settings.Channel(1).QuietGapMs);
        Assert.AreEqual(24L * 60 * 60 * 1000, settings.Channel(1).LeakSuspicionMs);
        Assert.AreEqual(30L, settings.MinOnMs);
        Assert.IsNull(settings.Validate());
    }

    [TestMethod]
    [DataRow("\"ch1Medium\":0", "no channel fitted")]
    [DataRow("\"ch2Medium\":9", "ch2Medium")]
    [DataRow("\"ch2Medium\":4,\"ch2Unit\":1", "ch2Unit")]
    [DataRow("\"ch1Unit\":3", "ch1Unit")]
    [DataRow("\"ch1Unit\":7", "ch1Unit")]
    [DataRow("\"ch1MilliPerPulse\":0", "ch1MilliPerPulse")]
    [DataRow("\"ch1StartMilli\":-5", "ch1StartMilli")]
    [DataRow("\"ch1QuietGapMs\":500", "ch1QuietGapMs")]
    [DataRow("\"ch1RolloverMilli\":-1", "ch1RolloverMilli")]
    [DataRow("\"ch1RolloverMilli\":9999999", "ch1RolloverMilli")]
    [DataRow("\"ch1RolloverMilli\":1000000000000001,\"ch1MilliPerPulse\":1", "ch1RolloverMilli")]
    [DataRow("\"ch1RolloverMilli\":10000000,\"ch1StartMilli\":10000000", "ch1StartMilli")]
    [DataRow("\"ch1LeakSuspicionMs\":60000,\"ch1QuietGapMs\":60000", "ch1LeakSuspicionMs")]
    [DataRow("\"minOnMs\":0", "minOnMs")]
    [DataRow("\"bounceMs\":30", "bounceMs")]
    [DataRow("\"saveEveryMs\":100", "saveEveryMs")]
    [DataRow("\"reportMs\":10", "reportMs")]
    [DataRow("\"heartbeatMs\":0", "heartbeatMs")]
    public void Validate_BadParameter_NamesTheKeyToFix(string parameters, string expected)
    {
        string? error = PulseMeterSettings.Read(Bundle(parameters)).Validate();

        Assert.IsNotNull(error);
        Assert.Contains(expected, error);
    }

    [TestMethod]
    public void Read_RolloverKey_ThatChannelWrapsAndOthersDoNot()
    {
        PulseMeterSettings settings = PulseMeterSettings.Read(Bundle(
            "\"ch2Medium\":4,\"ch2MilliPerPulse\":1000,\"ch2StartMilli\":99999900000,\"ch2RolloverMilli\":100000000000"));

        Assert.AreEqual(100000000000L, settings.Channel(2).RolloverMilli);
        Assert.AreEqual(0L, settings.Channel(1).RolloverMilli, "no rollover unless given");
        Assert.IsNull(settings.Validate());
    }

    [TestMethod]
    [DataRow(1000L, 10000000L)]
    [DataRow(1250L, 12500000L)]
    [DataRow(1L, 1000000000000000L)]
    public void Validate_RolloverOfTenThousandPulsesUpToTheMaximum_Accepted(long milliPerPulse, long rolloverMilli)
    {
        PulseMeterSettings settings = new PulseMeterSettings();
        settings.Channel(1).MilliPerPulse = milliPerPulse;
        settings.Channel(1).RolloverMilli = rolloverMilli;
        settings.Channel(1).StartMilli = rolloverMilli - 1;

        Assert.IsNull(settings.Validate());
        settings.Channel(1).RolloverMilli = rolloverMilli - 1;
        Assert.IsNotNull(settings.Validate(), "one less is refused: below 10 000 pulses, or the start not below it");
    }

    [TestMethod]
    public void Validate_UnfittedChannelWithLeftoverKeys_Accepted()
    {
        Assert.IsNull(PulseMeterSettings.Read(Bundle("\"ch2Medium\":0,\"ch2MilliPerPulse\":0")).Validate());
    }

    private static DeviceConfig Bundle(string parameters)
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"v\":1,\"site\":\"s\",\"building\":\"b\",\"kind\":\"meter\",\"id\":\"m\",\"role\":\"pulse\""
            + ",\"mqtt\":{\"host\":\"edge\",\"port\":1883},\"params\":{" + parameters + "}}");
        DeviceConfig? config = DeviceConfig.Parse(json, json.Length, out string? error);
        Assert.IsNotNull(config, error);
        return config;
    }
}
