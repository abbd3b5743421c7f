namespace SmartCommunity.Edge.Metering;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using SmartCommunity.Edge.Configuration;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Rules;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads a building's <c>metering</c> block of the layout (hardware-docs/metering.md, "Layout"): M-Bus buses and
/// meters, every problem reported with file, line and column like the rest of the layout. The M-Bus addresses and
/// poll schedules are only checked here; the master that polls them comes later.
/// </summary>
public sealed partial class MeterLayoutReader(string file, HashSet<string> meterIds) : YamlConfigReader(file)
{
    public const int MaxPulseChannel = 4;
    public const int MaxPrimaryAddress = 250;

    /// <summary>The longest reading gap anyone may configure: beyond a day, interpolating a boundary is guesswork.</summary>
    public static readonly TimeSpan LongestMaxGap = TimeSpan.FromDays(1);

    /// <param name="devices">The building's devices, for the pulse sources.</param>
    public MeteringLayout Read(YamlNode node, string building, IReadOnlyList<DeviceDefinition> devices)
    {
        var metering = Mapping(node, "metering");
        Keys(metering, "timeZone", "maxGap", "buses", "meters");
        TimeZoneInfo? zone = null;
        if (metering.Children.TryGetValue(new YamlScalarNode("timeZone"), out YamlNode? zoneNode))
        {
            string id = Scalar(zoneNode, "timeZone");
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone))
            {
                throw Error(zoneNode, $"unknown time zone '{id}'; give an IANA zone id such as Europe/Berlin, or leave timeZone out to use the edge's local zone");
            }
        }

        TimeSpan maxGap = metering.Children.TryGetValue(new YamlScalarNode("maxGap"), out YamlNode? gapNode)
            ? Gap(gapNode)
            : MeteringLayout.DefaultMaxGap;

        var buses = new Dictionary<string, MbusBus>(StringComparer.Ordinal);
        if (metering.Children.TryGetValue(new YamlScalarNode("buses"), out YamlNode? busesNode))
        {
            foreach (YamlNode item in Sequence(busesNode, "buses"))
            {
                MbusBus bus = ReadBus(item);
                if (!buses.TryAdd(bus.Id, bus))
                {
                    throw Error(Mapping(item, "bus")["id"], $"M-Bus bus '{bus.Id}' is declared twice in building '{building}'");
                }
            }
        }

        var meters = new List<MeterDefinition>();
        var pulseChannels = new Dictionary<(string, int), string>();
        var addresses = new Dictionary<(string, string), string>();
        if (metering.Children.TryGetValue(new YamlScalarNode("meters"), out YamlNode? metersNode))
        {
            foreach (YamlNode item in Sequence(metersNode, "meters"))
            {
                MeterDefinition meter = ReadMeter(item, building, devices, buses);
                var map = Mapping(item, "meter");
                switch (meter.Source)
                {
                    case PulseSource pulse when !pulseChannels.TryAdd((pulse.Device, pulse.Channel), meter.Id):
                        throw Error(map["pulse"], $"channel {pulse.Channel} of '{pulse.Device}' already feeds meter '{pulseChannels[(pulse.Device, pulse.Channel)]}'; one channel counts for one meter");
                    case MbusSource mbus when !addresses.TryAdd((mbus.Bus, mbus.PrimaryAddress?.ToString(CultureInfo.InvariantCulture) ?? mbus.SecondaryAddress!.ToUpperInvariant()), meter.Id):
                        throw Error(map["mbus"], $"this address on bus '{mbus.Bus}' is already meter '{addresses[(mbus.Bus, mbus.PrimaryAddress?.ToString(CultureInfo.InvariantCulture) ?? mbus.SecondaryAddress!.ToUpperInvariant())]}'");
                }

                meters.Add(meter);
            }
        }

        return new MeteringLayout(zone, maxGap, buses.Values.ToList(), meters);
    }

    protected override ConfigFileException Error(long line, long column, string reason) => new LayoutException(File, line, column, reason);

    private MbusBus ReadBus(YamlNode node)
    {
        var bus = Mapping(node, "bus");
        Keys(bus, "id", "port", "baud");
        string id = Id(Required(bus, "id"), "bus id");
        string port = Scalar(Required(bus, "port"), "port");
        if (!port.StartsWith('/'))
        {
            throw Error(bus["port"], $"port '{port}' must be the serial device's path, e.g. /dev/ttyAMA0 or /dev/serial/by-id/...");
        }

        int baud = MbusBus.DefaultBaud;
        if (bus.Children.TryGetValue(new YamlScalarNode("baud"), out YamlNode? baudNode))
        {
            long value = Integer(baudNode, "baud");
            if (!MbusBus.Bauds.Contains((int)value) || value > int.MaxValue)
            {
                throw Error(baudNode, $"baud {value} is not an M-Bus speed; use one of {string.Join(", ", MbusBus.Bauds)} (2400 is the default)");
            }

            baud = (int)value;
        }

        return new MbusBus(id, port, baud);
    }

    private MeterDefinition ReadMeter(YamlNode node, string building, IReadOnlyList<DeviceDefinition> devices, Dictionary<string, MbusBus> buses)
    {
        var meter = Mapping(node, "meter");
        Keys(meter, "id", "unit", "medium", "measuredIn", "pulse", "mbus", "rollover", "conversion", "maxGap");
        string id = Id(Required(meter, "id"), "meter id");
        if (!meterIds.Add(id))
        {
            throw Error(meter["id"], $"meter '{id}' is declared twice; meter ids must be unique within the site");
        }

        string? unit = null;
        if (meter.Children.TryGetValue(new YamlScalarNode("unit"), out YamlNode? unitNode))
        {
            unit = Scalar(unitNode, "unit");
            if (unit.Length is 0 or > 64)
            {
                throw Error(unitNode, "unit must be 1-64 characters naming the flat, e.g. 'flat 12' (leave it out for a common or building supply meter)");
            }
        }

        string medium = Scalar(Required(meter, "medium"), "medium");
        if (!MeterMedia.UnitsByMedium.TryGetValue(medium, out string[]? units))
        {
            throw Error(meter["medium"], $"unknown medium '{medium}'; use one of: {string.Join(", ", MeterMedia.UnitsByMedium.Keys)}");
        }

        string measuredIn = Scalar(Required(meter, "measuredIn"), "measuredIn");
        if (!units.Contains(measuredIn))
        {
            throw Error(meter["measuredIn"], $"a {medium} meter cannot be measured in '{measuredIn}'; use one of: {string.Join(", ", units)}");
        }

        bool hasPulse = meter.Children.ContainsKey(new YamlScalarNode("pulse"));
        bool hasMbus = meter.Children.ContainsKey(new YamlScalarNode("mbus"));
        if (hasPulse == hasMbus)
        {
            throw Error(meter, $"meter '{id}' needs exactly one source: pulse: {{ device, channel }} or mbus: {{ bus, primary or secondary, every }}");
        }

        MeterSource source = hasPulse
            ? ReadPulse(meter["pulse"], building, devices)
            : ReadMbus(meter["mbus"], building, buses);

        decimal? rollover = null;
        if (meter.Children.TryGetValue(new YamlScalarNode("rollover"), out YamlNode? rolloverNode))
        {
            rollover = Decimal(rolloverNode, "rollover");
            if (rollover <= 0)
            {
                throw Error(rolloverNode, "rollover is the register's largest value (e.g. 99999.999 for 8 digits, 3 of them decimals) and must be above 0");
            }
        }

        MeterConversion? conversion = null;
        if (meter.Children.TryGetValue(new YamlScalarNode("conversion"), out YamlNode? conversionNode))
        {
            var map = Mapping(conversionNode, "conversion");
            Keys(map, "from", "factor");
            string from = Scalar(Required(map, "from"), "from");
            if (!MeterMedia.AllUnits.Contains(from))
            {
                throw Error(map["from"], $"unknown unit '{from}'; use one of: {string.Join(", ", MeterMedia.AllUnits)}");
            }

            decimal factor = Decimal(Required(map, "factor"), "factor");
            if (factor <= 0)
            {
                throw Error(map["factor"], "factor multiplies the source's figure into measuredIn (e.g. 0.001 from L to m3) and must be above 0");
            }

            conversion = new MeterConversion(from, factor);
        }

        TimeSpan? maxGap = meter.Children.TryGetValue(new YamlScalarNode("maxGap"), out YamlNode? gapNode) ? Gap(gapNode) : null;
        var definition = new MeterDefinition(id, building, unit, medium, measuredIn, source) { Rollover = rollover, Conversion = conversion, MaxGap = maxGap };
        if (source is PulseSource pulse && WhyRegisterDiffers(definition, pulse, devices) is { } why)
        {
            throw Error(rolloverNode ?? meter["pulse"], why);
        }

        return definition;
    }

    /// <summary>
    /// A pulse device whose channel wraps like the meter's dial (its chNRolloverMilli, hardware-docs/pulse-meter.md,
    /// "Register rollover") must wrap where this meter's rollover says: otherwise every wrap would read as a reset and
    /// the consumption across it would be lost, or the wrong modulus added.
    /// </summary>
    private static string? WhyRegisterDiffers(MeterDefinition meter, PulseSource pulse, IReadOnlyList<DeviceDefinition> devices)
    {
        string key = $"ch{pulse.Channel}RolloverMilli";
        long deviceMilli = devices.First(d => d.Id == pulse.Device).Parameter(key, 0);
        if (deviceMilli <= 0)
        {
            return null;
        }

        decimal deviceModulus = meter.Convert(deviceMilli / 1000m);
        if (meter.Modulus is not { } modulus)
        {
            return $"device '{pulse.Device}' wraps channel {pulse.Channel} at {MeterValues.Format(deviceModulus)} {meter.MeasuredIn} ({key}), so meter '{meter.Id}' needs the same register: " +
                $"a rollover (the register's largest value) that wraps there, e.g. rollover: {MeterValues.Format(deviceModulus - 0.001m)} for a register with 3 decimals";
        }

        return modulus == deviceModulus ? null
            : $"rollover {MeterValues.Format(meter.Rollover!.Value)} {meter.MeasuredIn} wraps at {MeterValues.Format(modulus)}, but device '{pulse.Device}' wraps channel {pulse.Channel} at " +
              $"{MeterValues.Format(deviceModulus)} {meter.MeasuredIn} ({key}); give both the same register";
    }

    private PulseSource ReadPulse(YamlNode node, string building, IReadOnlyList<DeviceDefinition> devices)
    {
        var pulse = Mapping(node, "pulse");
        Keys(pulse, "device", "channel");
        string device = Scalar(Required(pulse, "device"), "device");
        DeviceDefinition? definition = devices.FirstOrDefault(d => d.Id == device);
        if (definition is null)
        {
            throw Error(pulse["device"], $"no device '{device}' in building '{building}'; declare the pulse meter device under the building's floors");
        }

        if (definition.Kind != DeviceKinds.Meter || definition.Role != DeviceKinds.RolePulse)
        {
            throw Error(pulse["device"], $"device '{device}' is a {definition.Kind} ({definition.Role}), not a {DeviceKinds.Meter} with role {DeviceKinds.RolePulse}");
        }

        long channel = Integer(Required(pulse, "channel"), "channel");
        if (channel < 1 || channel > MaxPulseChannel)
        {
            throw Error(pulse["channel"], $"channel {channel} is out of range; a pulse meter device has channels 1-{MaxPulseChannel}");
        }

        return new PulseSource(device, (int)channel);
    }

    private MbusSource ReadMbus(YamlNode node, string building, Dictionary<string, MbusBus> buses)
    {
        var mbus = Mapping(node, "mbus");
        Keys(mbus, "bus", "primary", "secondary", "every");
        string bus = Scalar(Required(mbus, "bus"), "bus");
        if (!buses.ContainsKey(bus))
        {
            throw Error(mbus["bus"], buses.Count == 0
                ? $"unknown M-Bus bus '{bus}'; declare it under metering: buses: of building '{building}'"
                : $"unknown M-Bus bus '{bus}'; buses of building '{building}': {string.Join(", ", buses.Keys)}");
        }

        bool hasPrimary = mbus.Children.TryGetValue(new YamlScalarNode("primary"), out YamlNode? primaryNode);
        bool hasSecondary = mbus.Children.TryGetValue(new YamlScalarNode("secondary"), out YamlNode? secondaryNode);
        if (hasPrimary == hasSecondary)
        {
            throw Error(mbus, "give the meter's address as either primary (0-250) or secondary (its 8-digit id, or the full 16 hex digits), not both or neither");
        }

        int? primary = null;
        string? secondary = null;
        if (hasPrimary)
        {
            long value = Integer(primaryNode!, "primary");
            if (value < 0 || value > MaxPrimaryAddress)
            {
                throw Error(primaryNode!, $"primary address {value} is out of range; M-Bus primary addresses are 0-{MaxPrimaryAddress} (251-255 are reserved)");
            }

            primary = (int)value;
        }
        else
        {
            secondary = Scalar(secondaryNode!, "secondary");
            if (!SecondaryAddress().IsMatch(secondary))
            {
                throw Error(secondaryNode!, $"secondary address '{secondary}' must be the meter's 8-digit id (e.g. 12345678) or the full 16 hex digits of id, manufacturer, version and medium");
            }
        }

        YamlNode everyNode = Required(mbus, "every");
        if (!Durations.TryParse(Scalar(everyNode, "every"), out TimeSpan every, out string why))
        {
            throw Error(everyNode, why);
        }

        if (every < TimeSpan.FromMinutes(1) || every > TimeSpan.FromDays(1))
        {
            throw Error(everyNode, "every must be from 1m to 1d: how often the master reads this meter (15m suits 15-minute consumption)");
        }

        return new MbusSource(bus, primary, secondary, every);
    }

    private TimeSpan Gap(YamlNode node)
    {
        if (!Durations.TryParse(Scalar(node, "maxGap"), out TimeSpan gap, out string why))
        {
            throw Error(node, why);
        }

        if (gap < TimeSpan.FromMinutes(1) || gap > LongestMaxGap)
        {
            throw Error(node, "maxGap must be from 1m to 1d: the longest span between two readings across which a boundary is interpolated");
        }

        return gap;
    }

    private decimal Decimal(YamlNode node, string what)
    {
        string text = Scalar(node, what);
        return MeterValues.TryParse(text, out decimal value)
            ? value
            : throw Error(node, $"{what} '{text}' must be a plain decimal number such as 99999.999");
    }

    [GeneratedRegex("^([0-9]{8}|[0-9A-Fa-f]{16})$")]
    private static partial Regex SecondaryAddress();
}
