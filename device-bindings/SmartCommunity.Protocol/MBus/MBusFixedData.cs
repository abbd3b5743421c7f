namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// The old fixed data structure, CI 0x73 (LSB first) and 0x77 (MSB first) (EN 13757-3 Annex, EN 1434-3; hardware-docs/mbus.md §3.3):
/// identification (4 BCD), access number, status, two medium/unit bytes, two 4-byte counters. Status bit 7 says
/// binary (1) or BCD (0) counters, bit 6 stored (1) or actual (0) values; the medium is spread over the top two bits
/// of the unit bytes.
/// </summary>
internal static class MBusFixedData
{
    public const int Length = 16;

    public static MBusError Decode(MBusDecoder.Reader reader, bool msbFirst, MBusTelegram telegram)
    {
        if (reader.Remaining < Length)
        {
            return reader.End(reader.Remaining, "the fixed data structure needs 16 bytes, " + reader.Remaining.ToString() + " are there");
        }

        byte[] b = reader.Buffer;
        int at = reader.Absolute;
        byte[] id = Ordered(b, at, 4, msbFirst);
        telegram.Identification = MBusDecoder.BcdDigits(id, 0, 4);
        telegram.HasIdentification = true;
        telegram.Manufacturer = "";
        telegram.AccessNumber = b[at + 4];
        telegram.Status = b[at + 5];
        telegram.HasAccessAndStatus = true;
        int unit1 = b[at + 6];
        int unit2 = b[at + 7];
        telegram.Medium = ((unit1 & 0xC0) >> 6) | ((unit2 & 0xC0) >> 4);
        bool binary = (telegram.Status & 0x80) != 0;
        bool stored = (telegram.Status & 0x40) != 0;
        telegram.Add(Counter(Ordered(b, at + 8, 4, msbFirst), unit1 & 0x3F, binary, stored, reader.Report(at + 8)));
        telegram.Add(Counter(Ordered(b, at + 12, 4, msbFirst), unit2 & 0x3F, binary, stored, reader.Report(at + 12)));
        reader.Skip(Length);
        if (reader.Remaining > 0)
        {
            return new MBusError(MBusErrorCodes.TrailingBytes, reader.Report(reader.Absolute), reader.Remaining.ToString() + " bytes follow the 16-byte fixed data structure");
        }

        return null;
    }

    private static byte[] Ordered(byte[] b, int at, int count, bool msbFirst)
    {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++)
        {
            bytes[i] = msbFirst ? b[at + count - 1 - i] : b[at + i];
        }

        return bytes;
    }

    private static MBusRecord Counter(byte[] bytes, int unit, bool binary, bool stored, int offset)
    {
        var record = new MBusRecord();
        record.Offset = offset;
        record.DataField = binary ? 0x04 : 0x0C;
        record.Function = MBusFunction.Instantaneous;
        record.StorageNumber = stored ? 1 : 0;
        record.ExtensionCode = -1;
        record.IsFixedFormat = true;
        if (binary)
        {
            record.Value.Kind = MBusValueKind.Decimal;
            record.Value.Mantissa = MBusDecoder.SignedInteger(bytes, 0, 4);
        }
        else
        {
            MBusDecoder.SetBcd(bytes, 0, 4, record.Value);
        }

        int exponent = Unit(record, unit);
        if (record.Value.Kind == MBusValueKind.Decimal)
        {
            record.Value.Exponent = exponent;
        }

        return record;
    }

    /// <summary>Sets quantity and base unit of a fixed-format unit code; returns the power of ten to the base unit.</summary>
    private static int Unit(MBusRecord record, int unit)
    {
        // Runs of three (×1, ×10, ×100) per prefix, base unit first (EN 1434-3 fixed format unit table).
        if (unit >= 0x02 && unit <= 0x0A)
        {
            return Set(record, MBusQuantities.Energy, "Wh", unit - 0x02);
        }

        if (unit >= 0x0B && unit <= 0x13)
        {
            return Set(record, MBusQuantities.Energy, "J", unit - 0x0B + 3);
        }

        if (unit >= 0x14 && unit <= 0x1C)
        {
            return Set(record, MBusQuantities.Power, "W", unit - 0x14);
        }

        if (unit >= 0x1D && unit <= 0x25)
        {
            return Set(record, MBusQuantities.Power, "J/h", unit - 0x1D + 3);
        }

        if (unit >= 0x26 && unit <= 0x2E)
        {
            return Set(record, MBusQuantities.Volume, "m3", unit - 0x26 - 6);
        }

        if (unit >= 0x2F && unit <= 0x37)
        {
            return Set(record, MBusQuantities.VolumeFlow, "m3/h", unit - 0x2F - 6);
        }

        if (unit == 0x38)
        {
            return Set(record, MBusQuantities.FlowTemperature, "°C", -3);
        }

        if (unit == 0x39)
        {
            return Set(record, MBusQuantities.HeatCostAllocation, "", 0);
        }

        return Set(record, unit == 0x3F ? "dimensionless" : MBusQuantities.Reserved, "", 0);
    }

    private static int Set(MBusRecord record, string quantity, string unit, int exponent)
    {
        record.Quantity = quantity;
        record.Unit = unit;
        return exponent;
    }
}
