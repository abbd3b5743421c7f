namespace SmartCommunity.Edge.Metering;

using System;
using System.Globalization;

/// <summary>
/// Register values are decimals end to end, never floating point: they are billed (hardware-docs/metering.md,
/// "Exact values"). Stored as invariant decimal text, which keeps every digit and the scale (1.500 stays 1.500).
/// </summary>
public static class MeterValues
{
    private const NumberStyles Plain = NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign;

    public static bool TryParse(string text, out decimal value) =>
        decimal.TryParse(text, Plain, CultureInfo.InvariantCulture, out value);

    public static decimal Parse(string text) => decimal.Parse(text, Plain, CultureInfo.InvariantCulture);

    public static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The number of decimals a value carries (1.500 → 3).</summary>
    public static int Scale(decimal value) => (decimal.GetBits(value)[3] >> 16) & 0xFF;

    public static long Milliseconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
