namespace SmartCommunity.Bindings.Linux;

/// <summary>What <see cref="Ads1115AnalogInput.Read"/> returns.</summary>
public enum Ads1115Scaling
{
    /// <summary>
    /// 0-1023 over 0 V to <see cref="Ads1115AnalogInputSettings.FullScale"/>, clamped: the units of the smoke
    /// detector's settings (a 10-bit converter on the reference interface, hardware-docs/smoke-detector.md).
    /// </summary>
    TenBitCounts,

    /// <summary>The signed 16-bit conversion result as the chip gives it (-32768..32767 over ± the PGA range).</summary>
    Raw,
}
