namespace SmartCommunity.Simulator.Scenarios.Running;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Protocol.MBus;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// The wired M-Bus meters of a scenario (hardware-docs/mbus-master.md §7, simulators/README.md): every bus of the
/// layout becomes a pseudo-terminal with a <see cref="VirtualMBusBus"/> on its other side, one virtual meter per
/// layout meter on that bus, and the edge opens the pseudo-terminal instead of the layout's port
/// (<see cref="Edge.EdgeOptions.MBusPorts"/>). The meters' registers run on the scenario clock and start at zero;
/// stimuli set their flow and make them fall silent.
/// </summary>
public sealed partial class ScenarioWorld
{
    private readonly List<VirtualMBusBus> _mbusBuses = [];
    private readonly Dictionary<string, VirtualMBusMeter> _mbusMeters = new(StringComparer.Ordinal);
    private Dictionary<string, string>? _mbusPorts;

    /// <summary>The virtual meter behind a layout meter read by M-Bus.</summary>
    public VirtualMBusMeter MBusMeter(string meterId) => _mbusMeters[meterId];

    /// <summary>
    /// How a layout meter's measuredIn maps to the virtual meter's register: the VIF it sends and how many register
    /// units make one unit of measuredIn. Null (and why) for a unit the virtual meter cannot send.
    /// </summary>
    public static (byte Vif, long UnitsPerMeasured)? RegisterOf(MeterDefinition meter, out string? why)
    {
        why = null;
        switch (meter.MeasuredIn)
        {
            case "L": return (0x13, 1);
            case "m3": return (0x13, 1000);
            case "Wh": return (0x03, 1);
            case "kWh": return (0x06, 1);
            case "MWh": return (0x06, 1000);
            default:
                why = $"the virtual M-Bus meter sends volume in litres or energy in Wh/kWh; {meter.Id} is measured in {meter.MeasuredIn}";
                return null;
        }
    }

    private void StartMBusBuses()
    {
        var buses = Scenario.Layout.Buildings.SelectMany(b => b.Metering.Buses.Select(bus => (Building: b, Bus: bus))).ToList();
        if (buses.Count == 0)
        {
            return;
        }

        if (!PseudoTerminal.IsSupported(out string? why))
        {
            throw new ScenarioRunException($"the layout has M-Bus buses ({string.Join(", ", buses.Select(b => b.Bus.Id))}), which the scenario serves on pseudo-terminals, but {why}");
        }

        _mbusPorts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((BuildingDefinition building, MbusBus bus) in buses)
        {
            var meters = new List<VirtualMBusMeter>();
            foreach (MeterDefinition meter in building.Metering.Meters)
            {
                if (meter.Source is MbusSource source && source.Bus == bus.Id)
                {
                    VirtualMBusMeter virtualMeter = VirtualMeter(meter, source);
                    meters.Add(virtualMeter);
                    _mbusMeters[meter.Id] = virtualMeter;
                }
            }

            var virtualBus = new VirtualMBusBus(meters);
            _mbusBuses.Add(virtualBus);
            _mbusPorts[bus.Id] = virtualBus.DevicePath;
        }
    }

    private void StopMBusBuses()
    {
        foreach (VirtualMBusBus bus in _mbusBuses)
        {
            bus.Dispose();
        }

        _mbusBuses.Clear();
    }

    // Identification, manufacturer, version and medium from the secondary address where it gives them (F = any: 0),
    // else a made-up identification from the primary address and the medium from the layout.
    private VirtualMBusMeter VirtualMeter(MeterDefinition meter, MbusSource source)
    {
        (byte vif, _) = RegisterOf(meter, out string? why) ?? throw new ScenarioRunException(why!);
        int medium = MediumCode(meter.Medium);
        long identification = 90_000_000 + (source.PrimaryAddress ?? 0);
        string manufacturer = "SCM";
        int version = 1;
        if (source.SecondaryAddress is { } secondary)
        {
            identification = long.Parse(new string(secondary[..8].Select(c => c is 'F' or 'f' ? '0' : c).ToArray()), CultureInfo.InvariantCulture);
            if (secondary.Length == 16)
            {
                int code = int.Parse(secondary[8..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                manufacturer = code == MBusSecondaryAddress.AnyManufacturer ? manufacturer : MBusManufacturer.Decode(code);
                version = secondary[12..14] is "FF" or "ff" ? version : int.Parse(secondary[12..14], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                medium = secondary[14..16] is "FF" or "ff" ? medium : int.Parse(secondary[14..16], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        return new VirtualMBusMeter(source.PrimaryAddress ?? 0, identification, Time)
        {
            Manufacturer = manufacturer, Version = version, Medium = medium, RegisterVif = vif,
        };
    }

    // EN 13757-3 medium codes for the layout's media.
    private static int MediumCode(string medium) => medium switch
    {
        MeterMedia.Electricity => 0x02,
        MeterMedia.Gas => 0x03,
        MeterMedia.Heat => 0x04,
        MeterMedia.HotWater => 0x06,
        MeterMedia.Cooling => 0x0A,
        _ => 0x07,
    };
}
