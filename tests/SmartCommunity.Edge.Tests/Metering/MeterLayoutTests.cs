namespace SmartCommunity.Edge.Tests.Metering;

using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Metering;

[TestClass]
public sealed class MeterLayoutTests
{
    private const string File = "site.yaml";

    // Line numbers below refer to this text: the first meter's "- id" is on line 20, its keys at column 11.
    private const string Head = """
        schema: 1
        site:
          id: s1
        buildings:
          - id: b1
            floors:
              - id: g
                zones:
                  - id: z
                    devices:
                      - id: m1
                        kind: meter
                      - id: d1
                        kind: door
            metering:
              buses:
                - id: bus1
                  port: /dev/ttyUSB0
              meters:

        """;

    [TestMethod]
    public void Parse_MetersOfEachSource_ReadsEveryField()
    {
        BuildingLayout layout = LayoutLoader.Parse(MeterRig.LayoutText, File);

        MeteringLayout metering = layout.Buildings.Single().Metering;
        Assert.AreEqual(MeterRig.TimeZone, metering.TimeZone!.Id);
        Assert.AreEqual(TimeSpan.FromHours(2), metering.MaxGap);
        Assert.AreEqual(new MbusBus("mbus1", "/dev/ttyAMA0", 2400), metering.Buses.Single());
        MeterDefinition water = metering.Meters.Single(m => m.Id == MeterRig.Flat12Water);
        Assert.AreEqual("flat 12", water.Unit);
        Assert.AreEqual(new PulseSource(MeterRig.PulseDevice, 1), water.Source);
        Assert.AreEqual(new MeterConversion("L", 0.001m), water.Conversion);
        Assert.AreEqual("L", water.SourceUnit);
        MeterDefinition wrapping = metering.Meters.Single(m => m.Id == MeterRig.Flat14Water);
        Assert.AreEqual(99999.999m, wrapping.Rollover);
        Assert.AreEqual(100000.000m, wrapping.Modulus);
        Assert.AreEqual(new MbusSource("mbus1", 6, null, TimeSpan.FromMinutes(15)), wrapping.Source);
        MeterDefinition main = metering.Meters.Single(m => m.Id == MeterRig.MainWater);
        Assert.IsNull(main.Unit, "no flat: the building's supply");
        Assert.AreEqual("12345678", ((MbusSource)main.Source).SecondaryAddress);
    }

    [TestMethod]
    public void Parse_PulseChannelOutOfRange_SaysWhereAndTheRange()
    {
        LayoutException error = ParseFails(Meter("w1", "medium: water", "measuredIn: m3", "pulse: { device: m1, channel: 5 }"));

        AssertLine(error, 23);
        Assert.Contains("channel 5 is out of range", error.Reason);
        Assert.Contains("1-4", error.Reason);
    }

    [TestMethod]
    public void Parse_PulseSourceIsNotAPulseMeter_NamesTheDevicesKind()
    {
        LayoutException error = ParseFails(Meter("w1", "medium: water", "measuredIn: m3", "pulse: { device: d1, channel: 1 }"));

        AssertLine(error, 23);
        Assert.Contains("'d1' is a door", error.Reason);
    }

    [TestMethod]
    public void Parse_OneChannelForTwoMeters_Refused()
    {
        LayoutException error = ParseFails(
            Meter("w1", "medium: water", "measuredIn: m3", "pulse: { device: m1, channel: 1 }")
            + Meter("w2", "medium: water", "measuredIn: m3", "pulse: { device: m1, channel: 1 }"));

        AssertLine(error, 27);
        Assert.Contains("already feeds meter 'w1'", error.Reason);
    }

    [TestMethod]
    public void Parse_UnknownBus_ListsTheDeclaredBuses()
    {
        LayoutException error = ParseFails(Meter("h1", "medium: heat", "measuredIn: kWh", "mbus: { bus: bus2, primary: 3, every: 15m }"));

        AssertLine(error, 23);
        Assert.Contains("unknown M-Bus bus 'bus2'", error.Reason);
        Assert.Contains("bus1", error.Reason);
    }

    [TestMethod]
    public void Parse_PrimaryAddressReserved_Refused()
    {
        LayoutException error = ParseFails(Meter("h1", "medium: heat", "measuredIn: kWh", "mbus: { bus: bus1, primary: 254, every: 15m }"));

        AssertLine(error, 23);
        Assert.Contains("0-250", error.Reason);
    }

    [TestMethod]
    public void Parse_UnitThatDoesNotFitTheMedium_ListsTheUnitsThatDo()
    {
        LayoutException error = ParseFails(Meter("e1", "medium: electricity", "measuredIn: m3", "pulse: { device: m1, channel: 2 }"));

        AssertLine(error, 22);
        Assert.Contains("cannot be measured in 'm3'", error.Reason);
        Assert.Contains("kWh", error.Reason);
    }

    [TestMethod]
    public void Parse_MeterWithoutASource_Refused()
    {
        LayoutException error = ParseFails(Meter("w1", "medium: water", "measuredIn: m3"));

        AssertLine(error, 20);
        Assert.Contains("exactly one source", error.Reason);
    }

    [TestMethod]
    public void Parse_RolloverNotANumber_Refused()
    {
        LayoutException error = ParseFails(Meter("w1", "medium: water", "measuredIn: m3", "pulse: { device: m1, channel: 1 }", "rollover: 1e5"));

        AssertLine(error, 24);
        Assert.Contains("plain decimal", error.Reason);
    }

    [TestMethod]
    public void Parse_UnknownTimeZone_Refused()
    {
        LayoutException error = ParseFails(Head.Replace("    metering:\n", "    metering:\n      timeZone: Mars/Olympus\n", StringComparison.Ordinal)
            + Meter("w1", "medium: water", "measuredIn: m3", "pulse: { device: m1, channel: 1 }"));

        AssertLine(error, 16);
        Assert.Contains("unknown time zone 'Mars/Olympus'", error.Reason);
    }

    // m1's channel 1 wraps like an 8-digit litre dial: at 100 000 L (hardware-docs/pulse-meter.md, "Register rollover").
    private static readonly string HeadWithWrappingChannel = Head.Replace("kind: meter\n", "kind: meter\n                params: { ch1RolloverMilli: 100000000 }\n", StringComparison.Ordinal);

    [TestMethod]
    public void Parse_RolloverMatchingTheDevicesRegister_Accepted()
    {
        BuildingLayout layout = LayoutLoader.Parse(HeadWithWrappingChannel + Meter("w1", "medium: water", "measuredIn: m3", "pulse: { device: m1, channel: 1 }",
            "conversion: { from: L, factor: 0.001 }", "rollover: 99.999"), File);

        Assert.AreEqual(100m, layout.Buildings.Single().Metering.Meters.Single().Modulus);
    }

    [TestMethod]
    public void Parse_DeviceWrapsButMeterHasNoRollover_RefusedWithTheRegisterToGive()
    {
        LayoutException error = ParseFails(HeadWithWrappingChannel + Meter("w1", "medium: water", "measuredIn: m3", "pulse: { device: m1, channel: 1 }",
            "conversion: { from: L, factor: 0.001 }"));

        Assert.Contains("wraps channel 1 at 100", error.Reason);
        Assert.Contains("needs the same register", error.Reason);
    }

    [TestMethod]
    public void Parse_RolloverDifferentFromTheDevicesRegister_Refused()
    {
        LayoutException error = ParseFails(HeadWithWrappingChannel + Meter("w1", "medium: water", "measuredIn: m3", "pulse: { device: m1, channel: 1 }",
            "conversion: { from: L, factor: 0.001 }", "rollover: 999.999"));

        Assert.Contains("give both the same register", error.Reason);
        Assert.Contains("ch1RolloverMilli", error.Reason);
    }

    private static string Meter(string id, params string[] keys) =>
        $"        - id: {id}\n" + string.Concat(keys.Select(k => $"          {k}\n"));

    private static LayoutException ParseFails(string meters) =>
        Assert.ThrowsExactly<LayoutException>(() => LayoutLoader.Parse(meters.StartsWith("schema", StringComparison.Ordinal) ? meters : Head + meters, File));

    private static void AssertLine(LayoutException error, long line)
    {
        Assert.AreEqual(File, error.File);
        Assert.AreEqual(line, error.Line, error.Message);
    }
}
