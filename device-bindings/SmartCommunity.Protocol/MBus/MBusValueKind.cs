namespace SmartCommunity.Protocol.MBus;

/// <summary>What a record's value holds (hardware-docs/mbus.md §4).</summary>
public enum MBusValueKind
{
    /// <summary>The DIF says no data (data field 0 or 8).</summary>
    None = 0,

    /// <summary>An exact decimal: <see cref="MBusValue.Mantissa"/> × 10^<see cref="MBusValue.Exponent"/> (integers, BCD).</summary>
    Decimal,

    /// <summary>A 32-bit IEEE 754 real, scaled, in <see cref="MBusValue.Real"/>.</summary>
    Real,

    /// <summary>Plain text (variable-length ASCII), in reading order.</summary>
    Text,

    /// <summary>Type G date.</summary>
    Date,

    /// <summary>Type F or I date and time, meter local time.</summary>
    DateTime,

    /// <summary>Bytes kept as they came: manufacturer-specific data, or a variable-length value of no known type.</summary>
    Bytes,

    /// <summary>The bytes were there but do not form a value (BCD digit A-E, an invalid date); <see cref="MBusValue.Problem"/> says why.</summary>
    Invalid,
}
