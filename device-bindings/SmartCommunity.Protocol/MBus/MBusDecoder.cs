namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// Decodes EN 13757-3 application data (hardware-docs/mbus.md §3-§6): the headers of CI 0x72, 0x7A, 0x78 and the
/// fixed-format 0x73/0x77, then the data records. Returns null on success or the first structural problem with its
/// byte offset; never throws on bad bytes. A value that is present but unreadable (a BCD digit A-E, a date with
/// month 0) does not fail the telegram: its record's value is <see cref="MBusValueKind.Invalid"/> with the reason.
/// </summary>
public static class MBusDecoder
{
    /// <summary>The most DIFEs and VIFEs one record may carry (EN 13757-3 §6.3.3, §6.4.3).</summary>
    public const int MaxExtensions = 10;

    /// <summary>Longest plain-text VIF unit: its length byte follows the LVAR rule for text, 0x00-0xBF (EN 13757-3 §6.4.2, table 7).</summary>
    public const int MaxPlainTextUnitLength = 0xBF;

    /// <summary>Parses one wired M-Bus frame and decodes its application data into <paramref name="telegram"/>.</summary>
    public static MBusError DecodeFrame(byte[] buffer, int offset, int count, MBusTelegram telegram)
    {
        telegram.Reset();
        var frame = new MBusFrame();
        MBusError error = MBusFrameParser.Parse(buffer, offset, count, frame);
        if (error != null)
        {
            return error;
        }

        if (frame.Kind != MBusFrameKind.Long && frame.Kind != MBusFrameKind.Control)
        {
            return new MBusError(MBusErrorCodes.UnsupportedCi, 0, frame.Kind == MBusFrameKind.Ack ? "an acknowledgement (E5) carries no meter data" : "a short frame carries no meter data");
        }

        telegram.Control = frame.Control;
        telegram.Address = frame.Address;
        return DecodeUserData(frame.ControlInformation, buffer, frame.DataOffset, frame.DataLength, frame.DataOffset - offset, telegram);
    }

    /// <summary>
    /// Decodes the user data after a CI field, from any link layer (wired frame, or a wireless telegram after its CRCs
    /// are removed and it is decrypted). <paramref name="reportedOffset"/> is what error offsets add to the position in
    /// the data, so they point into the caller's frame.
    /// </summary>
    public static MBusError DecodeApplication(byte ci, byte[] buffer, int dataOffset, int dataLength, int reportedOffset, MBusTelegram telegram)
    {
        telegram.Reset();
        if (buffer == null || dataOffset < 0 || dataLength < 0 || dataOffset + dataLength > buffer.Length)
        {
            return new MBusError(MBusErrorCodes.TooShort, reportedOffset, "the user data lies outside the buffer given");
        }

        return DecodeUserData(ci, buffer, dataOffset, dataLength, reportedOffset, telegram);
    }

    private static MBusError DecodeUserData(byte ci, byte[] buffer, int dataOffset, int dataLength, int reportedOffset, MBusTelegram telegram)
    {
        telegram.ControlInformation = ci;
        var reader = new Reader(buffer, dataOffset, dataLength, reportedOffset);
        switch (ci)
        {
            case MBusLink.CiResponseLong:
                if (dataLength < 12)
                {
                    return reader.End(dataLength, "the long header (CI 0x72) needs 12 bytes, " + dataLength.ToString() + " are there");
                }

                ReadIdentification(reader, telegram);
                telegram.HasIdentification = true;
                ReadAccessStatusSignature(reader, telegram);
                return DecodeRecords(reader, telegram);
            case MBusLink.CiResponseShort:
                if (dataLength < 4)
                {
                    return reader.End(dataLength, "the short header (CI 0x7A) needs 4 bytes, " + dataLength.ToString() + " are there");
                }

                ReadAccessStatusSignature(reader, telegram);
                return DecodeRecords(reader, telegram);
            case MBusLink.CiResponseNone:
                return DecodeRecords(reader, telegram);
            case MBusLink.CiResponseFixed:
            case MBusLink.CiResponseFixedMsbFirst:
                return MBusFixedData.Decode(reader, ci == MBusLink.CiResponseFixedMsbFirst, telegram);
            case MBusLink.CiApplicationError:
                int code = dataLength > 0 ? buffer[dataOffset] : 0;
                return new MBusError(MBusErrorCodes.ApplicationError, reportedOffset - 1, "the meter reports an application error: " + MBusNames.ApplicationError(code) + " (code " + code.ToString() + ")");
            default:
                return new MBusError(MBusErrorCodes.UnsupportedCi, reportedOffset - 1, "CI field 0x" + ci.ToString("X2") + " is not a meter response this decoder reads (0x72, 0x7A, 0x78, 0x73, 0x77)");
        }
    }

    private static void ReadIdentification(Reader reader, MBusTelegram telegram)
    {
        telegram.Identification = BcdDigits(reader.Buffer, reader.Absolute, 4);
        reader.Skip(4);
        telegram.ManufacturerCode = reader.Byte() | (reader.Byte() << 8);
        telegram.Manufacturer = MBusManufacturer.Decode(telegram.ManufacturerCode);
        telegram.Version = reader.Byte();
        telegram.Medium = reader.Byte();
    }

    private static void ReadAccessStatusSignature(Reader reader, MBusTelegram telegram)
    {
        telegram.AccessNumber = reader.Byte();
        telegram.Status = reader.Byte();
        telegram.Signature = reader.Byte() | (reader.Byte() << 8);
        telegram.HasAccessAndStatus = true;
    }

    /// <summary>Digits of <paramref name="count"/> BCD bytes sent least significant first, most significant first in the text.</summary>
    internal static string BcdDigits(byte[] buffer, int offset, int count)
    {
        const string digits = "0123456789ABCDEF";
        char[] text = new char[count * 2];
        for (int i = 0; i < count; i++)
        {
            byte b = buffer[offset + count - 1 - i];
            text[2 * i] = digits[b >> 4];
            text[(2 * i) + 1] = digits[b & 0xF];
        }

        return new string(text);
    }

    private static MBusError DecodeRecords(Reader reader, MBusTelegram telegram)
    {
        while (reader.Remaining > 0)
        {
            int start = reader.Position;
            byte dif = reader.Byte();
            if (dif == 0x2F)
            {
                continue; // idle filler (EN 13757-3 §6.3.1)
            }

            var record = new MBusRecord();
            record.Offset = reader.Report(start);
            record.Dif = dif;
            if ((dif & 0x0F) == 0x0F)
            {
                MBusError special = SpecialFunction(reader, dif, record, telegram);
                if (special != null)
                {
                    return special;
                }

                telegram.Add(record);
                continue;
            }

            MBusError error = ReadRecord(reader, dif, record);
            if (error != null)
            {
                return error;
            }

            telegram.Add(record);
        }

        return null;
    }

    private static MBusError SpecialFunction(Reader reader, byte dif, MBusRecord record, MBusTelegram telegram)
    {
        record.DataField = 0x0F;
        if (dif == 0x0F || dif == 0x1F)
        {
            // Manufacturer-specific data to the end of the telegram, kept as bytes (EN 13757-3 §6.3.1).
            record.Function = dif == 0x0F ? MBusFunction.ManufacturerSpecific : MBusFunction.MoreRecordsFollow;
            record.Quantity = MBusQuantities.ManufacturerSpecific;
            record.Value.Kind = MBusValueKind.Bytes;
            record.Value.Bytes = reader.Copy(reader.Remaining);
            telegram.MoreRecordsFollow = dif == 0x1F;
            return null;
        }

        if (dif == 0x7F)
        {
            record.Function = MBusFunction.GlobalReadout;
            record.Quantity = MBusQuantities.AnyVif;
            return null;
        }

        return new MBusError(MBusErrorCodes.BadRecord, record.Offset, "DIF 0x" + dif.ToString("X2") + " is a reserved special function");
    }

    private static MBusError ReadRecord(Reader reader, byte dif, MBusRecord record)
    {
        record.DataField = dif & 0x0F;
        record.Function = (MBusFunction)((dif >> 4) & 0x03);
        long storage = (dif >> 6) & 0x01;
        int tariff = 0;
        int subunit = 0;
        byte last = dif;
        int difes = 0;
        while ((last & 0x80) != 0)
        {
            if (reader.Remaining == 0)
            {
                return reader.End(reader.Position - reader.Start, "the telegram ends after a DIF/DIFE announcing another DIFE (record at byte " + record.Offset.ToString() + ")");
            }

            if (difes == MaxExtensions)
            {
                return new MBusError(MBusErrorCodes.TooManyDifes, reader.Report(reader.Position), "more than " + MaxExtensions.ToString() + " DIFEs in the record at byte " + record.Offset.ToString());
            }

            last = reader.Byte();
            storage |= (long)(last & 0x0F) << (1 + (4 * difes));
            tariff |= ((last >> 4) & 0x03) << (2 * difes);
            subunit |= ((last >> 6) & 0x01) << difes;
            difes++;
        }

        record.StorageNumber = storage;
        record.Tariff = tariff;
        record.Subunit = subunit;

        if (reader.Remaining == 0)
        {
            return reader.End(reader.Position - reader.Start, "the telegram ends after the DIB of the record at byte " + record.Offset.ToString() + "; a VIF was expected");
        }

        int exponent;
        int factor;
        int dateKind;
        byte vif = reader.Byte();
        record.Vif = vif;
        int vifCode = vif & 0x7F;
        int vifesAllowed = MaxExtensions;
        if (vif == 0xFB || vif == 0xFD)
        {
            if (reader.Remaining == 0)
            {
                return reader.End(reader.Position - reader.Start, "the telegram ends after VIF 0x" + vif.ToString("X2") + " of the record at byte " + record.Offset.ToString() + "; its table code was expected");
            }

            byte code = reader.Byte();
            record.ExtensionCode = code & 0x7F;
            if (vif == 0xFB)
            {
                MBusVifTable.TableFB(record, code & 0x7F, out exponent, out factor, out dateKind);
            }
            else
            {
                MBusVifTable.TableFD(record, code & 0x7F, out exponent, out factor, out dateKind);
            }

            vifesAllowed--; // the table code counts as the first VIFE
            vif = code; // its extension bit says whether VIFEs follow
        }
        else
        {
            record.ExtensionCode = -1;
            MBusVifTable.Primary(record, vifCode, out exponent, out factor, out dateKind);
            if (vifCode == 0x7C)
            {
                MBusError text = ReadPlainTextUnit(reader, record);
                if (text != null)
                {
                    return text;
                }
            }
        }

        // VIFEs (EN 13757-3 §6.4.3): up to 10, each with the extension bit saying whether another follows.
        byte[] vifes = new byte[MaxExtensions];
        int vifeCount = 0;
        byte previous = vif;
        bool manufacturerVifes = vifCode == 0x7F && record.ExtensionCode < 0;
        while ((previous & 0x80) != 0)
        {
            if (reader.Remaining == 0)
            {
                return reader.End(reader.Position - reader.Start, "the telegram ends after a VIF/VIFE announcing another VIFE (record at byte " + record.Offset.ToString() + ")");
            }

            if (vifeCount == vifesAllowed)
            {
                return new MBusError(MBusErrorCodes.TooManyVifes, reader.Report(reader.Position), "more than " + MaxExtensions.ToString() + " VIFEs in the record at byte " + record.Offset.ToString());
            }

            previous = reader.Byte();
            vifes[vifeCount++] = previous;
            if (!manufacturerVifes)
            {
                int e = previous & 0x7F;
                if (e >= 0x70 && e <= 0x77)
                {
                    exponent += (e & 0x07) - 6; // multiplicative correction 10^(nnn-6)
                }
                else if (e == 0x7D)
                {
                    exponent += 3; // multiplicative correction 10^3
                }
                else if (e >= 0x78 && e <= 0x7B)
                {
                    record.HasAdditiveCorrection = true;
                }
                else if (e == 0x7F)
                {
                    manufacturerVifes = true; // what follows is the manufacturer's
                }
            }
        }

        byte[] kept = new byte[vifeCount];
        System.Array.Copy(vifes, kept, vifeCount);
        record.Vifes = kept;

        return ReadValue(reader, record, exponent, factor, dateKind);
    }

    private static MBusError ReadPlainTextUnit(Reader reader, MBusRecord record)
    {
        // VIF 0x7C/0xFC: a length byte and that many ASCII characters, last character first (EN 13757-3 §6.4.2).
        if (reader.Remaining == 0)
        {
            return reader.End(reader.Position - reader.Start, "the telegram ends after the plain-text VIF of the record at byte " + record.Offset.ToString() + "; its length byte was expected");
        }

        int lengthAt = reader.Position;
        int length = reader.Byte();
        if (length > MaxPlainTextUnitLength)
        {
            return new MBusError(MBusErrorCodes.BadRecord, reader.Report(lengthAt), "plain-text VIF length byte 0x" + ((byte)length).ToString("X2") + " is above 0xBF, the longest text allowed (record at byte " + record.Offset.ToString() + ")");
        }

        if (reader.Remaining < length)
        {
            return reader.End(reader.Position - reader.Start, "plain-text VIF announces " + length.ToString() + " characters but only " + reader.Remaining.ToString() + " bytes are left (record at byte " + record.Offset.ToString() + ")");
        }

        record.PlainTextUnit = ReversedAscii(reader.Buffer, reader.Absolute, length);
        record.Unit = record.PlainTextUnit;
        reader.Skip(length);
        return null;
    }

    private static MBusError ReadValue(Reader reader, MBusRecord record, int exponent, int factor, int dateKind)
    {
        MBusValue value = record.Value;
        int field = record.DataField;
        int length = DataLength(field);
        if (field == 0x0D)
        {
            if (reader.Remaining == 0)
            {
                return reader.End(reader.Position - reader.Start, "the telegram ends where the variable-length byte (LVAR) of the record at byte " + record.Offset.ToString() + " was expected");
            }

            return ReadVariable(reader, record, exponent, factor);
        }

        if (reader.Remaining < length)
        {
            return reader.End(reader.Position - reader.Start, "the record at byte " + record.Offset.ToString() + " needs " + length.ToString() + " data bytes, " + reader.Remaining.ToString() + " are left");
        }

        int at = reader.Absolute;
        reader.Skip(length);
        if (length == 0)
        {
            value.Kind = MBusValueKind.None;
            return null;
        }

        if (dateKind != MBusVifTable.NotDate && field != 0x05 && field < 0x09)
        {
            MBusDateTime.Decode(reader.Buffer, at, length, value);
            return null;
        }

        if (field == 0x05)
        {
            value.Kind = MBusValueKind.Real;
            value.Real = Scale(Real32(reader.Buffer, at), exponent) * factor;
            return null;
        }

        if (field >= 0x09)
        {
            SetBcd(reader.Buffer, at, length, value);
        }
        else
        {
            value.Kind = MBusValueKind.Decimal;
            value.Mantissa = SignedInteger(reader.Buffer, at, length);
        }

        ApplyScale(value, exponent, factor);
        return null;
    }

    private static MBusError ReadVariable(Reader reader, MBusRecord record, int exponent, int factor)
    {
        // LVAR (EN 13757-3 §6.3.5 table 7): 00-BF text, C0-C9 positive BCD, D0-D9 negative BCD, E0-EF binary.
        MBusValue value = record.Value;
        int lvarAt = reader.Position;
        int lvar = reader.Byte();
        int length;
        if (lvar <= 0xBF)
        {
            length = lvar;
        }
        else if (lvar >= 0xC0 && lvar <= 0xC9)
        {
            length = lvar - 0xC0;
        }
        else if (lvar >= 0xD0 && lvar <= 0xD9)
        {
            length = lvar - 0xD0;
        }
        else if (lvar >= 0xE0 && lvar <= 0xEF)
        {
            length = lvar - 0xE0;
        }
        else if (lvar >= 0xF0 && lvar <= 0xF4)
        {
            length = 4 * (lvar - 0xEC); // 16..64 bytes, binary
        }
        else
        {
            return new MBusError(MBusErrorCodes.BadRecord, reader.Report(lvarAt), "LVAR 0x" + ((byte)lvar).ToString("X2") + " is reserved (record at byte " + record.Offset.ToString() + ")");
        }

        if (reader.Remaining < length)
        {
            return reader.End(reader.Position - reader.Start, "LVAR announces " + length.ToString() + " bytes but only " + reader.Remaining.ToString() + " are left (record at byte " + record.Offset.ToString() + ")");
        }

        int at = reader.Absolute;
        reader.Skip(length);
        if (lvar <= 0xBF)
        {
            value.Kind = MBusValueKind.Text;
            value.Text = ReversedAscii(reader.Buffer, at, length);
        }
        else if (lvar <= 0xD9 && length <= 9)
        {
            SetBcd(reader.Buffer, at, length, value);
            if (value.Kind == MBusValueKind.Decimal && lvar >= 0xD0)
            {
                value.Mantissa = -value.Mantissa;
            }

            ApplyScale(value, exponent, factor);
        }
        else if (lvar >= 0xE0 && lvar <= 0xE8 && length > 0)
        {
            value.Kind = MBusValueKind.Decimal;
            value.Mantissa = SignedInteger(reader.Buffer, at, length);
            ApplyScale(value, exponent, factor);
        }
        else
        {
            value.Kind = MBusValueKind.Bytes;
            byte[] bytes = new byte[length];
            System.Array.Copy(reader.Buffer, at, bytes, 0, length);
            value.Bytes = bytes;
        }

        return null;
    }

    /// <summary>Data bytes of a DIF data field (EN 13757-3 table 4); -1 for variable length and specials.</summary>
    public static int DataLength(int dataField)
    {
        switch (dataField)
        {
            case 0x00: return 0;
            case 0x01: return 1;
            case 0x02: return 2;
            case 0x03: return 3;
            case 0x04: return 4;
            case 0x05: return 4;
            case 0x06: return 6;
            case 0x07: return 8;
            case 0x08: return 0;
            case 0x09: return 1;
            case 0x0A: return 2;
            case 0x0B: return 3;
            case 0x0C: return 4;
            case 0x0E: return 6;
            default: return -1;
        }
    }

    /// <summary>Little-endian two's complement (EN 13757-3 Annex A type B).</summary>
    internal static long SignedInteger(byte[] buffer, int offset, int length)
    {
        long value = 0;
        for (int i = length - 1; i >= 0; i--)
        {
            value = (value << 8) | buffer[offset + i];
        }

        if (length < 8 && (buffer[offset + length - 1] & 0x80) != 0)
        {
            value -= 1L << (8 * length);
        }

        return value;
    }

    /// <summary>
    /// BCD sent least significant byte first (type A). A high nibble F in the most significant byte makes the value
    /// negative; any other nibble A-F is not a digit and makes the value invalid.
    /// </summary>
    internal static void SetBcd(byte[] buffer, int offset, int length, MBusValue value)
    {
        long result = 0;
        bool negative = false;
        for (int i = length - 1; i >= 0; i--)
        {
            byte b = buffer[offset + i];
            int high = b >> 4;
            int low = b & 0x0F;
            if (i == length - 1 && high == 0x0F)
            {
                negative = true;
                high = 0;
            }

            if (high > 9 || low > 9)
            {
                value.Kind = MBusValueKind.Invalid;
                value.Problem = "BCD byte 0x" + b.ToString("X2") + " holds a nibble that is not a digit";
                return;
            }

            result = (result * 100) + (high * 10) + low;
        }

        value.Kind = MBusValueKind.Decimal;
        value.Mantissa = negative ? -result : result;
    }

    private static void ApplyScale(MBusValue value, int exponent, int factor)
    {
        if (value.Kind != MBusValueKind.Decimal)
        {
            return;
        }

        value.Exponent = exponent;
        if (factor != 1)
        {
            long m = value.Mantissa;
            if (m > long.MaxValue / factor || m < long.MinValue / factor)
            {
                value.Kind = MBusValueKind.Invalid;
                value.Problem = "value too large to convert to seconds or per hour exactly";
                return;
            }

            value.Mantissa = m * factor;
        }
    }

    /// <summary>IEEE 754 single precision, little-endian, decoded by hand (no BitConverter needed on the device).</summary>
    internal static double Real32(byte[] buffer, int offset)
    {
        uint bits = (uint)(buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24));
        bool negative = (bits & 0x80000000u) != 0;
        int exponent = (int)((bits >> 23) & 0xFF);
        uint fraction = bits & 0x7FFFFFu;
        double result;
        if (exponent == 0xFF)
        {
            result = fraction == 0 ? double.PositiveInfinity : double.NaN;
        }
        else if (exponent == 0)
        {
            result = Scale2(fraction, -149);
        }
        else
        {
            result = Scale2(fraction | 0x800000u, exponent - 150);
        }

        return negative ? -result : result;
    }

    private static double Scale2(double value, int power)
    {
        for (; power > 0; power--)
        {
            value *= 2;
        }

        for (; power < 0; power++)
        {
            value /= 2;
        }

        return value;
    }

    private static double Scale(double value, int exponent)
    {
        for (; exponent > 0; exponent--)
        {
            value *= 10;
        }

        for (; exponent < 0; exponent++)
        {
            value /= 10;
        }

        return value;
    }

    /// <summary>ASCII sent last character first, in reading order; bytes outside printable ASCII become '?'.</summary>
    internal static string ReversedAscii(byte[] buffer, int offset, int length)
    {
        char[] text = new char[length];
        for (int i = 0; i < length; i++)
        {
            byte b = buffer[offset + length - 1 - i];
            text[i] = b >= 0x20 && b < 0x7F ? (char)b : '?';
        }

        return new string(text);
    }

    /// <summary>A cursor over the user data that knows how to turn its position into a frame offset for errors.</summary>
    internal sealed class Reader
    {
        private readonly int _end;
        private readonly int _reportedOffset;

        public Reader(byte[] buffer, int offset, int length, int reportedOffset)
        {
            Buffer = buffer;
            Start = offset;
            Absolute = offset;
            _end = offset + length;
            _reportedOffset = reportedOffset;
        }

        public byte[] Buffer { get; }

        public int Start { get; }

        /// <summary>Index in <see cref="Buffer"/> of the next byte.</summary>
        public int Absolute { get; private set; }

        /// <summary>Same as <see cref="Absolute"/>; reads better where a position is remembered.</summary>
        public int Position => Absolute;

        public int Remaining => _end - Absolute;

        public byte Byte() => Buffer[Absolute++];

        public void Skip(int count) => Absolute += count;

        public byte[] Copy(int count)
        {
            byte[] bytes = new byte[count];
            System.Array.Copy(Buffer, Absolute, bytes, 0, count);
            Absolute += count;
            return bytes;
        }

        /// <summary>The frame offset of buffer index <paramref name="absolute"/>.</summary>
        public int Report(int absolute) => _reportedOffset + (absolute - Start);

        /// <summary>A premature-end error at data position <paramref name="dataPosition"/>.</summary>
        public MBusError End(int dataPosition, string message) => new MBusError(MBusErrorCodes.PrematureEnd, _reportedOffset + dataPosition, message);
    }
}
