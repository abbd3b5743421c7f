namespace SmartCommunity.Edge.Metering;

using System;
using System.Globalization;
using System.Text.Json;
using SmartCommunity.Protocol.MBus;
using SmartCommunity.Protocol.WirelessMBus;

/// <summary>
/// Writes a wireless M-Bus telegram as JSON (hardware-docs/wireless-mbus.md, "sc-edge mbus decode"): the link and
/// transport fields under "wireless", and, only when the telegram decoded (unencrypted, or decrypted and verified),
/// the same header and records as a wired frame (<see cref="MBusJson"/>). An encrypted or undecryptable telegram
/// never gets records.
/// </summary>
public static class WirelessMBusJson
{
    /// <summary>
    /// Decodes the records of a decoded telegram's payload into <paramref name="records"/>, with the meter's identity
    /// from the telegram's address. Returns the record decoder's error, or null.
    /// </summary>
    public static MBusError? DecodeRecords(WirelessMBusTelegram telegram, MBusTelegram records)
    {
        ArgumentNullException.ThrowIfNull(telegram);
        ArgumentNullException.ThrowIfNull(records);
        if (!telegram.IsDecoded)
        {
            throw new ArgumentException("only a decoded telegram has records", nameof(telegram));
        }

        // The transport header is already read: what is left is records only (CI 0x78, no header).
        MBusError? error = MBusDecoder.DecodeApplication(MBusLink.CiResponseNone, telegram.Data, telegram.PayloadOffset, telegram.PayloadLength,
            telegram.PayloadOffset, records);
        records.SetIdentification(WirelessMBusAddress.IdText(telegram.MeterId), telegram.MeterManufacturerCode, telegram.MeterVersion, telegram.MeterDeviceType);
        return error;
    }

    /// <summary>The whole document: { "wireless": {...}, header..., "records": [...] } (records only when decoded).</summary>
    public static void WriteTelegram(Utf8JsonWriter writer, WirelessMBusTelegram telegram, MBusTelegram? records)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(telegram);
        writer.WriteStartObject();
        writer.WriteStartObject("wireless");
        writer.WriteString("result", WirelessMBusResultNames.Name(telegram.Result));
        if (telegram.Reason is { Length: > 0 } reason)
        {
            writer.WriteString("reason", reason);
        }

        writer.WriteString("format", FormatName(telegram.FrameFormat));
        writer.WriteString("c", Hex(telegram.Control));
        writer.WriteString("manufacturer", telegram.Manufacturer);
        writer.WriteString("id", telegram.IdText);
        writer.WriteNumber("version", telegram.Version);
        writer.WriteNumber("deviceType", telegram.DeviceType);
        writer.WriteString("ci", Hex(telegram.Ci));
        writer.WriteNumber("accessNumber", telegram.AccessNumber);
        writer.WriteNumber("status", telegram.Status);
        writer.WriteNumber("securityMode", telegram.SecurityMode);
        writer.WriteNumber("encryptedBlocks", telegram.EncryptedBlockCount);
        if (telegram.HasLongAddress)
        {
            writer.WriteStartObject("meter");
            writer.WriteString("manufacturer", WirelessMBusAddress.ManufacturerText(telegram.LongManufacturerCode));
            writer.WriteString("id", WirelessMBusAddress.IdText(telegram.LongId));
            writer.WriteNumber("version", telegram.LongVersion);
            writer.WriteNumber("deviceType", telegram.LongDeviceType);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        if (records is not null && telegram.IsDecoded)
        {
            MBusJson.WriteHeaderProperties(writer, records);
            writer.WritePropertyName("records");
            MBusJson.WriteRecords(writer, records);
        }

        writer.WriteEndObject();
    }

    public static string FormatName(WirelessMBusFrameFormat format) => format switch
    {
        WirelessMBusFrameFormat.A => "A",
        WirelessMBusFrameFormat.B => "B",
        _ => "no-crc",
    };

    private static string Hex(int value) => "0x" + value.ToString("X2", CultureInfo.InvariantCulture);
}
