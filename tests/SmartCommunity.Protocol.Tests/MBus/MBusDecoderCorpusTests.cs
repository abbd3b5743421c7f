namespace SmartCommunity.Protocol.Tests.MBus;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.MBus;

/// <summary>
/// Every libmbus test frame decoded and compared in meaning with libmbus's normalised decoding (.norm.xml): id,
/// manufacturer, medium, and per record function, storage, tariff, subunit, unit and value. Where libmbus and
/// EN 13757-3 part ways we follow the standard; each such place is listed in <see cref="Exceptions"/> with why.
/// </summary>
[TestClass]
public sealed class MBusDecoderCorpusTests
{
    /// <summary>Frame (and record index, -1 for the header) → why our reading differs from libmbus's on purpose.</summary>
    private static readonly Dictionary<string, string> Exceptions = new()
    {
        // libmbus prints fixed-format (CI 0x73) counters in the meter's own unit; we scale to the base unit like every other record.
        ["sen_pollusonic_2#0"] = "fixed format unit kWh: we report Wh (6531 kWh = 6531000 Wh)",
        ["sen_pollusonic_2#1"] = "fixed format unit l: we report m3 (69 l = 0.069 m3)",

        // Dates that are not dates: EN 13757-3 Annex A gives day 1-31 and month 1-12, and type F has an "invalid"
        // bit. libmbus prints them anyway (2000-00-00, 1900-01-00T00:00:00Z); we report an invalid value.
        ["ACW_Itron-BM-plus-m#2"] = "date G all zero (not set)",
        ["itron_bm_+m#2"] = "date G all zero (not set)",
        ["siemens_wfh21#3"] = "date G all zero (not set)",
        ["REL-Relay-Padpuls2#1"] = "date-time F with the invalid bit set",
    };

    public static IEnumerable<object[]> Frames => LibmbusCorpus.Names("test-frames");

    public static IEnumerable<object[]> ErrorFrames => LibmbusCorpus.Names("error-frames");

    [TestMethod]
    [DynamicData(nameof(Frames))]
    public void DecodeFrame_LibmbusTestFrame_MatchesLibmbusNormalisedDecoding(string name)
    {
        string corpus = LibmbusCorpus.Require(name);
        byte[] frame = LibmbusCorpus.ReadHex(Path.Combine(corpus, "test-frames", name + ".hex"));
        XElement expected = LoadXml(Path.Combine(corpus, "test-frames", name + ".norm.xml")).Root!;
        var telegram = new MBusTelegram();

        MBusError? error = MBusDecoder.DecodeFrame(frame, 0, frame.Length, telegram);

        Assert.IsNull(error, name + ": " + error);
        var problems = new List<string>();
        XElement slave = expected.Element("SlaveInformation")!;
        string? id = slave.Element("Id")?.Value;
        // libmbus drops leading zeros; a non-BCD nibble (electricity-meter-1 has 0x3E) shows as its hex digit in both.
        if (id is not null && id.TrimStart('0') != telegram.Identification.TrimStart('0'))
        {
            problems.Add($"id {telegram.Identification}, libmbus {id}");
        }

        string? manufacturer = slave.Element("Manufacturer")?.Value;
        if (manufacturer is not null && manufacturer != telegram.Manufacturer)
        {
            problems.Add($"manufacturer {telegram.Manufacturer}, libmbus {manufacturer}");
        }

        string? medium = slave.Element("Medium")?.Value;
        if (medium is not null && MediumName(medium) != MBusNames.Medium(telegram.Medium))
        {
            problems.Add($"medium {MBusNames.Medium(telegram.Medium)}, libmbus {medium}");
        }

        List<XElement> records = expected.Elements("DataRecord").ToList();
        if (records.Count != telegram.RecordCount)
        {
            problems.Add($"{telegram.RecordCount} records, libmbus {records.Count}");
        }

        int exceptionsUsed = 0;
        for (int i = 0; i < Math.Min(records.Count, telegram.RecordCount); i++)
        {
            string? difference = Compare(records[i], telegram.Record(i));
            if (difference is null)
            {
                continue;
            }

            if (Exceptions.ContainsKey(name + "#" + i))
            {
                exceptionsUsed++;
                continue;
            }

            problems.Add($"record {i} (byte {telegram.Record(i).Offset}): {difference}");
        }

        Assert.IsEmpty(problems, name + ":\n  " + string.Join("\n  ", problems));
        int listed = Exceptions.Keys.Count(k => k.StartsWith(name + "#", StringComparison.Ordinal));
        Assert.AreEqual(listed, exceptionsUsed, name + ": a listed exception no longer differs; remove it from the list");
    }

    [TestMethod]
    [DynamicData(nameof(ErrorFrames))]
    public void DecodeFrame_LibmbusErrorFrame_GivesAReasonWithoutThrowing(string name)
    {
        string corpus = LibmbusCorpus.Require(name);
        byte[] frame = LibmbusCorpus.ReadHex(Path.Combine(corpus, "error-frames", name + ".hex"));
        var telegram = new MBusTelegram();

        MBusError? error = MBusDecoder.DecodeFrame(frame, 0, frame.Length, telegram);

        Assert.IsNotNull(error, name + " decoded without complaint");
        Assert.IsFalse(string.IsNullOrWhiteSpace(error.Message));
        Assert.IsTrue(error.Offset >= 0 && error.Offset <= frame.Length, $"{name}: offset {error.Offset} outside the frame");
        string xml = Path.Combine(corpus, "error-frames", name + ".xml");
        if (File.Exists(xml))
        {
            // libmbus's own words for the slave's error, e.g. "More than 10 DIFE´s": the key word must appear in ours.
            string libmbus = LoadXml(xml).Root!.Element("SlaveInformation")!.Element("Error")!.Value;
            StringAssert.Contains(error.Message.ToUpperInvariant(), KeyWord(libmbus).ToUpperInvariant(), $"{name}: ours \"{error}\", libmbus \"{libmbus}\"");
        }
    }

    /// <summary>The files declare ISO-8859-1 but are written in UTF-8 (°C is C2 B0), so the declaration is ignored.</summary>
    private static XDocument LoadXml(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
        return XDocument.Load(reader);
    }

    private static string KeyWord(string libmbus) => libmbus switch
    {
        "Application busy" => "busy",
        "Unspecified error" => "unspecified",
        "More than 10 DIFE´s" => "10 DIFEs",
        "More than 10 VIFE´s" => "10 VIFEs",
        "Too many records" => "too many records",
        "Unimplemented CI-Field" => "unimplemented CI",
        _ => libmbus,
    };

    private static string? Compare(XElement expected, MBusRecord record)
    {
        string function = FunctionName(expected.Element("Function")!.Value);
        if (function != MBusNames.Function(record.Function))
        {
            return $"function {MBusNames.Function(record.Function)}, libmbus {function}";
        }

        long storage = long.Parse(expected.Element("StorageNumber")?.Value ?? "0", CultureInfo.InvariantCulture);
        int tariff = int.Parse(expected.Element("Tariff")?.Value ?? "0", CultureInfo.InvariantCulture);
        int subunit = int.Parse(expected.Element("Device")?.Value ?? "0", CultureInfo.InvariantCulture);
        if (storage != record.StorageNumber || tariff != record.Tariff || subunit != record.Subunit)
        {
            return $"storage/tariff/subunit {record.StorageNumber}/{record.Tariff}/{record.Subunit}, libmbus {storage}/{tariff}/{subunit}";
        }

        string unit = UnitName(expected.Element("Unit")?.Value ?? "");
        if (unit != "*" && unit != record.Unit)
        {
            return $"unit '{record.Unit}', libmbus '{expected.Element("Unit")?.Value}'";
        }

        return CompareValue(expected.Element("Value")?.Value ?? "", record.Value);
    }

    private static string? CompareValue(string expected, MBusValue value)
    {
        switch (value.Kind)
        {
            case MBusValueKind.Decimal:
                decimal ours = decimal.Parse(value.ToDecimalText()!, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!decimal.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal theirs))
                {
                    return $"value {ours}, libmbus '{expected}'";
                }

                // libmbus computes in double and prints 6 decimals.
                return Math.Abs(ours - theirs) <= 0.0000005m + (Math.Abs(theirs) * 0.000000000001m) ? null : $"value {ours}, libmbus {theirs}";
            case MBusValueKind.Real:
                double real = double.Parse(expected, CultureInfo.InvariantCulture);
                return Math.Abs(real - value.Real) <= 0.0000005 + (Math.Abs(real) * 1e-6) ? null : $"value {value.Real}, libmbus {real}";
            case MBusValueKind.Date:
            case MBusValueKind.DateTime:
                // libmbus appends Z, but meter time is local time (EN 13757-3 Annex A has no zone): compared without it.
                return value.ToIsoText() == expected.TrimEnd('Z') ? null : $"value {value.ToIsoText()}, libmbus {expected}";
            case MBusValueKind.Text:
                return value.Text!.Trim() == expected.Trim() ? null : $"value '{value.Text}', libmbus '{expected}'";
            case MBusValueKind.Bytes:
                return value.ToHexText() == expected.Replace(" ", "", StringComparison.Ordinal) ? null : $"value {value.ToHexText()}, libmbus '{expected}'";
            case MBusValueKind.Invalid:
                return $"invalid ({value.Problem}), libmbus '{expected}'";
            default:
                return expected.Length == 0 ? null : $"no value, libmbus '{expected}'";
        }
    }

    private static string FunctionName(string libmbus) => libmbus switch
    {
        "Instantaneous value" => "instantaneous",
        "Actual value" => "instantaneous",
        "Maximum value" => "maximum",
        "Minimum value" => "minimum",
        "Value during error state" => "error",
        "Manufacturer specific" => "manufacturer-specific",
        "More records follow" => "more-records-follow",
        _ => libmbus,
    };

    /// <summary>libmbus's unit text in our spelling; "*" where libmbus names no unit but a quantity ("-", "Units for H.C.A.").</summary>
    private static string UnitName(string libmbus) => libmbus switch
    {
        "m^3" => "m3",
        "m^3/h" => "m3/h",
        "-" or "" or "Units for H.C.A." or "Reserved" => "*",
        _ => libmbus,
    };

    private static string MediumName(string libmbus) => libmbus switch
    {
        "Other" => "other",
        "Oil" => "oil",
        "Electricity" => "electricity",
        "Gas" => "gas",
        "Heat: Outlet" => "heat-outlet",
        "Heat" => "heat-outlet",
        "Warm water (30-90°C)" => "warm-water",
        "Water" => "water",
        "Heat Cost Allocator" => "heat-cost-allocator",
        "Heat: Inlet" => "heat-inlet",
        "Heat / Cooling load meter" => "heat-cooling",
        "Cold water" => "cold-water",
        "Breaker: Electricity" => "breaker-electricity",
        _ => libmbus,
    };
}
