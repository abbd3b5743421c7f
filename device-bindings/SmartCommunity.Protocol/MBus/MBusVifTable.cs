namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// Quantity, base unit and scale of a VIF (EN 13757-3 §6.4 tables 10-14; hardware-docs/mbus.md §5). The scale is a
/// power of ten and an integer factor (60, 3600, 86400 for minutes, hours, days) so values stay exact.
/// </summary>
internal static class MBusVifTable
{
    public const int NotDate = 0;
    public const int IsDate = 1;
    public const int IsDateTime = 2;

    // Seconds in the "nn" time unit of durations: seconds, minutes, hours, days (table 10 footnote).
    private static int Seconds(int nn) => nn == 0 ? 1 : nn == 1 ? 60 : nn == 2 ? 3600 : 86400;

    /// <summary>The primary table; <paramref name="vif"/> without its extension bit.</summary>
    public static void Primary(MBusRecord record, int vif, out int exponent, out int factor, out int dateKind)
    {
        exponent = 0;
        factor = 1;
        dateKind = NotDate;
        int n3 = vif & 0x07;
        int n2 = vif & 0x03;
        if (vif <= 0x07)
        {
            Set(record, MBusQuantities.Energy, "Wh");
            exponent = n3 - 3;
        }
        else if (vif <= 0x0F)
        {
            Set(record, MBusQuantities.Energy, "J");
            exponent = n3;
        }
        else if (vif <= 0x17)
        {
            Set(record, MBusQuantities.Volume, "m3");
            exponent = n3 - 6;
        }
        else if (vif <= 0x1F)
        {
            Set(record, MBusQuantities.Mass, "kg");
            exponent = n3 - 3;
        }
        else if (vif <= 0x23)
        {
            Set(record, MBusQuantities.OnTime, "s");
            factor = Seconds(n2);
        }
        else if (vif <= 0x27)
        {
            Set(record, MBusQuantities.OperatingTime, "s");
            factor = Seconds(n2);
        }
        else if (vif <= 0x2F)
        {
            Set(record, MBusQuantities.Power, "W");
            exponent = n3 - 3;
        }
        else if (vif <= 0x37)
        {
            Set(record, MBusQuantities.Power, "J/h");
            exponent = n3;
        }
        else if (vif <= 0x3F)
        {
            Set(record, MBusQuantities.VolumeFlow, "m3/h");
            exponent = n3 - 6;
        }
        else if (vif <= 0x47)
        {
            // Sent per minute; reported per hour.
            Set(record, MBusQuantities.VolumeFlow, "m3/h");
            exponent = n3 - 7;
            factor = 60;
        }
        else if (vif <= 0x4F)
        {
            // Sent per second; reported per hour.
            Set(record, MBusQuantities.VolumeFlow, "m3/h");
            exponent = n3 - 9;
            factor = 3600;
        }
        else if (vif <= 0x57)
        {
            Set(record, MBusQuantities.MassFlow, "kg/h");
            exponent = n3 - 3;
        }
        else if (vif <= 0x5B)
        {
            Set(record, MBusQuantities.FlowTemperature, "°C");
            exponent = n2 - 3;
        }
        else if (vif <= 0x5F)
        {
            Set(record, MBusQuantities.ReturnTemperature, "°C");
            exponent = n2 - 3;
        }
        else if (vif <= 0x63)
        {
            Set(record, MBusQuantities.TemperatureDifference, "K");
            exponent = n2 - 3;
        }
        else if (vif <= 0x67)
        {
            Set(record, MBusQuantities.ExternalTemperature, "°C");
            exponent = n2 - 3;
        }
        else if (vif <= 0x6B)
        {
            Set(record, MBusQuantities.Pressure, "bar");
            exponent = n2 - 3;
        }
        else if (vif == 0x6C)
        {
            Set(record, MBusQuantities.Date, "");
            dateKind = IsDate;
        }
        else if (vif == 0x6D)
        {
            Set(record, MBusQuantities.DateTime, "");
            dateKind = IsDateTime;
        }
        else if (vif == 0x6E)
        {
            Set(record, MBusQuantities.HeatCostAllocation, "");
        }
        else if (vif == 0x6F)
        {
            Set(record, MBusQuantities.Reserved, "");
        }
        else if (vif <= 0x73)
        {
            Set(record, MBusQuantities.AveragingDuration, "s");
            factor = Seconds(n2);
        }
        else if (vif <= 0x77)
        {
            Set(record, MBusQuantities.ActualityDuration, "s");
            factor = Seconds(n2);
        }
        else if (vif == 0x78)
        {
            Set(record, MBusQuantities.FabricationNumber, "");
        }
        else if (vif == 0x79)
        {
            Set(record, MBusQuantities.EnhancedIdentification, "");
        }
        else if (vif == 0x7A)
        {
            Set(record, MBusQuantities.BusAddress, "");
        }
        else if (vif == 0x7C)
        {
            Set(record, MBusQuantities.PlainText, "");
        }
        else if (vif == 0x7E)
        {
            Set(record, MBusQuantities.AnyVif, "");
        }
        else if (vif == 0x7F)
        {
            Set(record, MBusQuantities.ManufacturerSpecific, "");
        }
        else
        {
            // 0x7B / 0x7D without the extension bit: the table byte that should follow is missing.
            Set(record, MBusQuantities.Reserved, "");
        }
    }

    /// <summary>The first extension table, VIF 0xFB (EN 13757-3 table 14; OMS adds relative humidity and frequency).</summary>
    public static void TableFB(MBusRecord record, int code, out int exponent, out int factor, out int dateKind)
    {
        exponent = 0;
        factor = 1;
        dateKind = NotDate;
        int n1 = code & 0x01;
        int n2 = code & 0x03;
        if (code <= 0x01)
        {
            Set(record, MBusQuantities.Energy, "Wh"); // 10^(n-1) MWh
            exponent = n1 + 5;
        }
        else if (code == 0x08 || code == 0x09)
        {
            Set(record, MBusQuantities.Energy, "J"); // 10^(n-1) GJ
            exponent = n1 + 8;
        }
        else if (code == 0x10 || code == 0x11)
        {
            Set(record, MBusQuantities.Volume, "m3"); // 10^(n+2) m3
            exponent = n1 + 2;
        }
        else if (code == 0x18 || code == 0x19)
        {
            Set(record, MBusQuantities.Mass, "kg"); // 10^(n+2) t
            exponent = n1 + 5;
        }
        else if (code == 0x1A || code == 0x1B)
        {
            Set(record, MBusQuantities.RelativeHumidity, "%"); // 10^(n-1) %
            exponent = n1 - 1;
        }
        else if (code == 0x28 || code == 0x29)
        {
            Set(record, MBusQuantities.Power, "W"); // 10^(n-1) MW
            exponent = n1 + 5;
        }
        else if (code >= 0x2C && code <= 0x2F)
        {
            Set(record, MBusQuantities.Frequency, "Hz");
            exponent = n2 - 3;
        }
        else if (code == 0x30 || code == 0x31)
        {
            Set(record, MBusQuantities.Power, "J/h"); // 10^(n-1) GJ/h
            exponent = n1 + 8;
        }
        else if (code >= 0x58 && code <= 0x67)
        {
            // The Fahrenheit temperatures: kept in °F, a conversion to °C would not be exact.
            string quantity = code <= 0x5B ? MBusQuantities.FlowTemperature : code <= 0x5F ? MBusQuantities.ReturnTemperature : code <= 0x63 ? MBusQuantities.TemperatureDifference : MBusQuantities.ExternalTemperature;
            Set(record, quantity, code >= 0x60 && code <= 0x63 ? "°F-difference" : "°F");
            exponent = n2 - 3;
        }
        else if (code >= 0x74 && code <= 0x77)
        {
            Set(record, "temperature-limit", "°C");
            exponent = n2 - 3;
        }
        else if (code >= 0x78)
        {
            Set(record, "cumulative-maximum-power", "W");
            exponent = (code & 0x07) - 3;
        }
        else
        {
            Set(record, MBusQuantities.Reserved, "");
        }
    }

    /// <summary>The second extension table, VIF 0xFD (EN 13757-3 table 13, the common entries).</summary>
    public static void TableFD(MBusRecord record, int code, out int exponent, out int factor, out int dateKind)
    {
        exponent = 0;
        factor = 1;
        dateKind = NotDate;
        int n2 = code & 0x03;
        if (code <= 0x03)
        {
            Set(record, "credit", "");
            exponent = n2 - 3;
        }
        else if (code <= 0x07)
        {
            Set(record, "debit", "");
            exponent = n2 - 3;
        }
        else if (code >= 0x40 && code <= 0x4F)
        {
            Set(record, MBusQuantities.Voltage, "V");
            exponent = (code & 0x0F) - 9;
        }
        else if (code >= 0x50 && code <= 0x5F)
        {
            Set(record, MBusQuantities.Current, "A");
            exponent = (code & 0x0F) - 12;
        }
        else if (code >= 0x24 && code <= 0x27)
        {
            Set(record, "storage-interval", "s");
            factor = Seconds(n2);
        }
        else if (code >= 0x2C && code <= 0x2F)
        {
            Set(record, "duration-since-last-readout", "s");
            factor = Seconds(n2);
        }
        else if (code >= 0x31 && code <= 0x33)
        {
            Set(record, "tariff-duration", "s");
            factor = Seconds(n2);
        }
        else if (code >= 0x34 && code <= 0x37)
        {
            Set(record, "tariff-period", "s");
            factor = Seconds(n2);
        }
        else if (code >= 0x68 && code <= 0x6F)
        {
            // hours, days, months, years: months and years have no exact length in seconds.
            Set(record, code <= 0x6B ? "duration-since-last-cumulation" : "battery-operating-time", n2 == 0 ? "s" : n2 == 1 ? "s" : n2 == 2 ? "month" : "year");
            factor = n2 == 0 ? 3600 : n2 == 1 ? 86400 : 1;
        }
        else
        {
            Set(record, Named(code), Unitless(code));
            if (code == 0x70)
            {
                dateKind = IsDateTime;
            }
        }
    }

    private static string Unitless(int code)
    {
        switch (code)
        {
            case 0x28:
            case 0x38:
                return "month";
            case 0x29:
            case 0x39:
                return "year";
            case 0x1C:
                return "Bd";
            case 0x71:
                return "dBm";
            case 0x74:
                return "d";
            default:
                return "";
        }
    }

    private static string Named(int code)
    {
        switch (code)
        {
            case 0x08: return "access-number";
            case 0x09: return "medium";
            case 0x0A: return "manufacturer";
            case 0x0B: return "parameter-set-identification";
            case 0x0C: return "model-version";
            case 0x0D: return "hardware-version";
            case 0x0E: return "firmware-version";
            case 0x0F: return "software-version";
            case 0x10: return "customer-location";
            case 0x11: return "customer";
            case 0x12: return "access-code-user";
            case 0x13: return "access-code-operator";
            case 0x14: return "access-code-system-operator";
            case 0x15: return "access-code-developer";
            case 0x16: return "password";
            case 0x17: return "error-flags";
            case 0x18: return "error-mask";
            case 0x1A: return "digital-output";
            case 0x1B: return "digital-input";
            case 0x1C: return "baud-rate";
            case 0x1D: return "response-delay-time";
            case 0x1E: return "retry";
            case 0x20: return "first-storage-number";
            case 0x21: return "last-storage-number";
            case 0x22: return "storage-block-size";
            case 0x28: return "storage-interval";
            case 0x29: return "storage-interval";
            case 0x38: return "tariff-period";
            case 0x39: return "tariff-period";
            case 0x3A: return "dimensionless";
            case 0x60: return "reset-counter";
            case 0x61: return "cumulation-counter";
            case 0x62: return "control-signal";
            case 0x63: return "day-of-week";
            case 0x64: return "week-number";
            case 0x65: return "time-point-of-day-change";
            case 0x66: return "parameter-activation-state";
            case 0x67: return "special-supplier-information";
            case 0x70: return "battery-change-date-time";
            case 0x71: return "rf-level";
            case 0x72: return "daylight-saving";
            case 0x73: return "listening-window";
            case 0x74: return "remaining-battery-life";
            case 0x75: return "meter-stop-count";
            default: return MBusQuantities.Reserved;
        }
    }

    private static void Set(MBusRecord record, string quantity, string unit)
    {
        record.Quantity = quantity;
        record.Unit = unit;
    }
}
