namespace SmartCommunity.Edge.Metering;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SmartCommunity.Protocol.MBus;

/// <summary>
/// Which data record of a meter's answer is its billing register, and that register in the unit the layout expects
/// (hardware-docs/mbus-master.md §5): the first record that is instantaneous, storage 0, tariff 0, subunit 0, with no
/// VIF extension, an exact number, of the quantity the meter is measured in (volume for m3/L, energy for Wh/J and
/// their multiples, mass for kg/t). The value is converted by an exact decimal factor, never through floating point.
/// </summary>
public static class MBusRegister
{
    private static readonly Dictionary<(string From, string To), decimal> Factors = new()
    {
        [("m3", "m3")] = 1m,
        [("m3", "L")] = 1000m,
        [("Wh", "Wh")] = 1m,
        [("Wh", "kWh")] = 0.001m,
        [("Wh", "MWh")] = 0.000001m,
        [("Wh", "J")] = 3600m,
        [("Wh", "kJ")] = 3.6m,
        [("Wh", "MJ")] = 0.0036m,
        [("Wh", "GJ")] = 0.0000036m,
        [("J", "J")] = 1m,
        [("J", "kJ")] = 0.001m,
        [("J", "MJ")] = 0.000001m,
        [("J", "GJ")] = 0.000000001m,
        [("kg", "kg")] = 1m,
        [("kg", "t")] = 0.001m,
    };

    /// <summary>The quantity word (<see cref="MBusQuantities"/>) a meter read in <paramref name="unit"/> has.</summary>
    public static string QuantityOf(string unit) =>
        MeterMedia.VolumeUnits.Contains(unit) ? MBusQuantities.Volume
        : MeterMedia.EnergyUnits.Contains(unit) ? MBusQuantities.Energy
        : MeterMedia.MassUnits.Contains(unit) ? MBusQuantities.Mass
        : MBusQuantities.Unknown;

    /// <summary>Picks the register of <paramref name="meter"/> from <paramref name="records"/>; null with <paramref name="problem"/> saying why.</summary>
    public static MBusRegisterValue? Choose(MeterDefinition meter, IReadOnlyList<MBusRecord> records, out string? problem)
    {
        string unit = meter.SourceUnit;
        string quantity = QuantityOf(unit);
        for (int i = 0; i < records.Count; i++)
        {
            MBusRecord record = records[i];
            if (record.Quantity != quantity || record.Function != MBusFunction.Instantaneous || record.StorageNumber != 0 || record.Tariff != 0
                || record.Subunit != 0 || record.Vifes.Length != 0 || record.HasAdditiveCorrection || record.Value.Kind != MBusValueKind.Decimal)
            {
                continue;
            }

            string text = record.Value.ToDecimalText();
            if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal raw))
            {
                problem = $"record {i + 1} ({quantity}) holds {text} {record.Unit}, which does not fit a decimal";
                return null;
            }

            if (!Factors.TryGetValue((record.Unit, unit), out decimal factor))
            {
                problem = $"the meter reports {quantity} in {record.Unit}, which the edge cannot turn exactly into {unit}; set measuredIn (or conversion.from) to a unit of {record.Unit}'s family";
                return null;
            }

            problem = null;
            return new MBusRegisterValue(i, record, raw, raw * factor, unit);
        }

        problem = $"no record is an instantaneous {quantity} of storage 0, tariff 0, subunit 0 ({records.Count} records in the answer); "
            + $"check the meter's medium and measuredIn ({unit})";
        return null;
    }
}

/// <param name="Index">Which record of the merged answer it is (0-based).</param>
/// <param name="Raw">The record's value in its base unit (<see cref="MBusRecord.Unit"/>).</param>
/// <param name="Value">The value in <paramref name="Unit"/>, the meter's source unit.</param>
public sealed record MBusRegisterValue(int Index, MBusRecord Record, decimal Raw, decimal Value, string Unit)
{
    public string Describe() => $"record {Index + 1} VIF 0x{Record.Vif:X2} {MBusValue.DecimalText(Record.Value.Mantissa, Record.Value.Exponent)} {Record.Unit}";
}
