namespace SmartCommunity.Edge.Metering;

using System;
using System.Globalization;
using System.Text.Json;
using SmartCommunity.Protocol.MBus;

/// <summary>
/// Writes a decoded M-Bus telegram as JSON (hardware-docs/mbus.md §5). The header and each record are written by
/// separate methods so a wireless M-Bus decoder, which adds its own link fields (RSSI, mode, encryption), can write
/// the same record objects inside its own envelope.
/// </summary>
public static class MBusJson
{
    /// <summary>The whole telegram: { "ci", header fields..., "records": [...] }.</summary>
    public static void WriteTelegram(Utf8JsonWriter writer, MBusTelegram telegram)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(telegram);
        writer.WriteStartObject();
        WriteHeaderProperties(writer, telegram);
        writer.WritePropertyName("records");
        WriteRecords(writer, telegram);
        writer.WriteEndObject();
    }

    /// <summary>The header as properties of the object the caller has open.</summary>
    public static void WriteHeaderProperties(Utf8JsonWriter writer, MBusTelegram telegram)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(telegram);
        writer.WriteString("ci", "0x" + telegram.ControlInformation.ToString("X2", CultureInfo.InvariantCulture));
        if (telegram.HasIdentification)
        {
            writer.WriteString("id", telegram.Identification);
            if (!string.IsNullOrEmpty(telegram.Manufacturer))
            {
                writer.WriteString("manufacturer", telegram.Manufacturer);
                writer.WriteNumber("version", telegram.Version);
            }

            writer.WriteString("medium", MBusNames.Medium(telegram.Medium));
            writer.WriteNumber("mediumCode", telegram.Medium);
        }

        if (telegram.HasAccessAndStatus)
        {
            writer.WriteNumber("accessNumber", telegram.AccessNumber);
            writer.WriteNumber("status", telegram.Status);
            writer.WriteNumber("signature", telegram.Signature);
        }

        writer.WriteBoolean("moreRecordsFollow", telegram.MoreRecordsFollow);
    }

    /// <summary>The records as a JSON array.</summary>
    public static void WriteRecords(Utf8JsonWriter writer, MBusTelegram telegram)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(telegram);
        writer.WriteStartArray();
        for (int i = 0; i < telegram.RecordCount; i++)
        {
            WriteRecord(writer, telegram.Record(i));
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// One record: { "offset", "dif", "vif", "vife", "function", "storage", "tariff", "subunit", "quantity", "unit",
    /// "value" } with the value scaled to the unit: an exact JSON number for integers and BCD, a number for reals, an
    /// ISO 8601 string for dates, a string for text, hex for manufacturer data, null for none or invalid (then
    /// "invalid" says why).
    /// </summary>
    public static void WriteRecord(Utf8JsonWriter writer, MBusRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteNumber("offset", record.Offset);
        if (!record.IsFixedFormat)
        {
            writer.WriteString("dif", Hex(record.Dif));
        }

        if (!record.IsFixedFormat && record.Function != MBusFunction.ManufacturerSpecific && record.Function != MBusFunction.MoreRecordsFollow && record.Function != MBusFunction.GlobalReadout)
        {
            writer.WriteString("vif", record.ExtensionCode >= 0 ? Hex(record.Vif) + Hex((byte)record.ExtensionCode).Substring(2) : Hex(record.Vif));
            if (record.Vifes.Length > 0)
            {
                writer.WriteString("vife", MBusValue.Hex(record.Vifes, 0, record.Vifes.Length));
            }
        }

        writer.WriteString("function", MBusNames.Function(record.Function));
        writer.WriteNumber("storage", record.StorageNumber);
        writer.WriteNumber("tariff", record.Tariff);
        writer.WriteNumber("subunit", record.Subunit);
        writer.WriteString("quantity", record.Quantity);
        writer.WriteString("unit", record.Unit);
        WriteValue(writer, record.Value);
        if (record.HasAdditiveCorrection)
        {
            writer.WriteBoolean("additiveCorrectionNotApplied", true);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, MBusValue value)
    {
        writer.WritePropertyName("value");
        switch (value.Kind)
        {
            case MBusValueKind.Decimal:
                // Exact decimal text; a JSON number is arbitrary precision, so no binary rounding happens here.
                writer.WriteRawValue(value.ToDecimalText(), skipInputValidation: false);
                break;
            case MBusValueKind.Real:
                if (double.IsFinite(value.Real))
                {
                    writer.WriteNumberValue(value.Real);
                }
                else
                {
                    writer.WriteNullValue();
                }

                break;
            case MBusValueKind.Date:
            case MBusValueKind.DateTime:
                writer.WriteStringValue(value.ToIsoText());
                break;
            case MBusValueKind.Text:
                writer.WriteStringValue(value.Text);
                break;
            case MBusValueKind.Bytes:
                writer.WriteStringValue(value.ToHexText());
                break;
            default:
                writer.WriteNullValue();
                break;
        }

        if (value.Kind == MBusValueKind.Invalid)
        {
            writer.WriteString("invalid", value.Problem);
        }
        else if (value.Kind == MBusValueKind.DateTime && value.SummerTime)
        {
            writer.WriteBoolean("summerTime", true);
        }
    }

    private static string Hex(byte b) => "0x" + b.ToString("X2", CultureInfo.InvariantCulture);
}
