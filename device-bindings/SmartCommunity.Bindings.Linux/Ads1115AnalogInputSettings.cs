namespace SmartCommunity.Bindings.Linux;

using Iot.Device.Ads1115;
using UnitsNet;

/// <summary>Settings of an <see cref="Ads1115AnalogInput"/>.</summary>
public sealed class Ads1115AnalogInputSettings
{
    /// <summary>The input (config register MUX[14:12]); single-ended AIN0-AIN3 for a smoke head. Default AIN0.</summary>
    public InputMultiplexer Channel { get; init; } = InputMultiplexer.AIN0;

    /// <summary>
    /// The PGA gain as a full-scale range (config register PGA[11:9]). Default ±4.096 V, which covers a 3.3 V signal.
    /// No input may go above VDD + 0.3 V whatever the range (ADS1115 datasheet, absolute maximum ratings).
    /// </summary>
    public MeasuringRange MeasuringRange { get; init; } = MeasuringRange.FS4096;

    /// <summary>Conversions per second (config register DR[7:5]). Default 128 SPS, the chip's reset value.</summary>
    public DataRate DataRate { get; init; } = DataRate.SPS128;

    public Ads1115Scaling Scaling { get; init; } = Ads1115Scaling.TenBitCounts;

    /// <summary>
    /// The voltage that reads as 1023 with <see cref="Ads1115Scaling.TenBitCounts"/>. Default 3.3 V, the scale of the
    /// reference interface, so the smoke detector's default thresholds keep their meaning. Must not exceed the
    /// measuring range, or a short circuit could never read as full scale.
    /// </summary>
    public ElectricPotential FullScale { get; init; } = ElectricPotential.FromVolts(3.3);

    /// <summary>
    /// What a read returns when the bus fails. Default 0: the smoke detector reads it as an open circuit and reports a
    /// fault after its confirmation time, so a dead converter is never taken for clean air.
    /// </summary>
    public int ValueOnReadError { get; init; }
}
