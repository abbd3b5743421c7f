namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// The words the JSON and the logs use for M-Bus codes (hardware-docs/mbus.md §5). Constant strings: enum.ToString()
/// gives only a number on nanoFramework.
/// </summary>
public static class MBusNames
{
    public static string Function(MBusFunction function)
    {
        switch (function)
        {
            case MBusFunction.Instantaneous: return "instantaneous";
            case MBusFunction.Maximum: return "maximum";
            case MBusFunction.Minimum: return "minimum";
            case MBusFunction.Error: return "error";
            case MBusFunction.ManufacturerSpecific: return "manufacturer-specific";
            case MBusFunction.MoreRecordsFollow: return "more-records-follow";
            case MBusFunction.GlobalReadout: return "global-readout";
            default: return "unknown";
        }
    }

    /// <summary>The medium (device type) byte of the header, EN 13757-3 table 3.</summary>
    public static string Medium(int medium)
    {
        switch (medium)
        {
            case 0x00: return "other";
            case 0x01: return "oil";
            case 0x02: return "electricity";
            case 0x03: return "gas";
            case 0x04: return "heat-outlet";
            case 0x05: return "steam";
            case 0x06: return "warm-water";
            case 0x07: return "water";
            case 0x08: return "heat-cost-allocator";
            case 0x09: return "compressed-air";
            case 0x0A: return "cooling-outlet";
            case 0x0B: return "cooling-inlet";
            case 0x0C: return "heat-inlet";
            case 0x0D: return "heat-cooling";
            case 0x0E: return "bus-system-component";
            case 0x0F: return "unknown";
            case 0x14: return "calorific-value";
            case 0x15: return "hot-water";
            case 0x16: return "cold-water";
            case 0x17: return "dual-register-water";
            case 0x18: return "pressure";
            case 0x19: return "ad-converter";
            case 0x1A: return "smoke-detector";
            case 0x1B: return "room-sensor";
            case 0x1C: return "gas-detector";
            case 0x20: return "breaker-electricity";
            case 0x21: return "valve";
            case 0x25: return "customer-unit";
            case 0x28: return "waste-water";
            case 0x29: return "garbage";
            case 0x2A: return "carbon-dioxide";
            case 0x31: return "communication-controller";
            case 0x32: return "unidirectional-repeater";
            case 0x33: return "bidirectional-repeater";
            case 0x36: return "radio-converter-system";
            case 0x37: return "radio-converter-meter";
            default: return "reserved";
        }
    }

    /// <summary>The meaning of a CI 0x70 application error's first data byte (EN 13757-3 §6.2, table 5).</summary>
    public static string ApplicationError(int code)
    {
        switch (code)
        {
            case 0: return "unspecified error";
            case 1: return "unimplemented CI field";
            case 2: return "buffer too long, truncated";
            case 3: return "too many records";
            case 4: return "premature end of record";
            case 5: return "more than 10 DIFEs";
            case 6: return "more than 10 VIFEs";
            case 7: return "reserved";
            case 8: return "application busy";
            case 9: return "too many readouts";
            default: return "reserved";
        }
    }
}
