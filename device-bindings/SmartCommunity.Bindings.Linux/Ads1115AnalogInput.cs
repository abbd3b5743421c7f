namespace SmartCommunity.Bindings.Linux;

using System;
using System.IO;
using System.Threading;
using Iot.Device.Ads1115;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// <see cref="IAnalogInput"/> over one channel of an ADS1115 16-bit ADC (Iot.Device.Bindings <see cref="Ads1115"/>),
/// scaled to the smoke head's 0-1023 counts or returned raw (<see cref="Ads1115Scaling"/>).
/// </summary>
/// <remarks>
/// <para>
/// Each read asks the binding for this channel's MUX, PGA and data rate (<see cref="Ads1115.ReadRaw(InputMultiplexer, MeasuringRange, DataRate)"/>).
/// When the chip is already set that way this is one read of the conversion register (pointer 0x00) in continuous
/// mode; when another adapter changed the channel, the binding rewrites the config register (pointer 0x01) and waits
/// for a conversion first. Several adapters may share one <see cref="Ads1115"/>; they serialise on it.
/// </para>
/// <para>
/// Ownership: the <see cref="Ads1115"/> belongs to the caller (its Dispose also disposes the I2C device); this adapter
/// holds nothing to dispose. The chip's <see cref="Ads1115.DeviceMode"/> is the caller's choice: continuous (the
/// binding's default) makes a read cost one bus transaction; power-down makes every read start a conversion and wait
/// for it (about 1/data rate, 7.8 ms at 128 SPS).
/// </para>
/// <para>
/// A bus error (<see cref="IOException"/>) or a conversion that never finishes (<see cref="TimeoutException"/>)
/// returns <see cref="Ads1115AnalogInputSettings.ValueOnReadError"/> and is counted in <see cref="ReadErrors"/>.
/// </para>
/// </remarks>
public sealed class Ads1115AnalogInput : IAnalogInput
{
    public const int MaxCount = 1023;

    private readonly Ads1115 _adc;
    private readonly Ads1115AnalogInputSettings _settings;
    private readonly double _rangeVolts;
    private readonly double _fullScaleVolts;
    private long _readErrors;

    /// <param name="adc">The converter; not disposed by this adapter.</param>
    /// <param name="settings">Channel, gain, data rate and scaling; defaults when null.</param>
    public Ads1115AnalogInput(Ads1115 adc, Ads1115AnalogInputSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(adc);
        settings ??= new Ads1115AnalogInputSettings();
        _adc = adc;
        _settings = settings;
        _rangeVolts = adc.MaxVoltageFromMeasuringRange(settings.MeasuringRange).Volts;
        _fullScaleVolts = settings.FullScale.Volts;
        if (settings.Scaling == Ads1115Scaling.TenBitCounts && (_fullScaleVolts <= 0 || _fullScaleVolts > _rangeVolts))
        {
            throw new ArgumentException(
                $"full scale {_fullScaleVolts} V must be above 0 and within the measuring range (±{_rangeVolts} V); otherwise a short circuit would never read {MaxCount}",
                nameof(settings));
        }
    }

    public Ads1115AnalogInputSettings Settings => _settings;

    /// <summary>The last conversion result read, raw; 0 before the first read.</summary>
    public short LastRaw { get; private set; }

    public long ReadErrors => Interlocked.Read(ref _readErrors);

    public int Read()
    {
        short raw;
        try
        {
            lock (_adc)
            {
                raw = _adc.ReadRaw(_settings.Channel, _settings.MeasuringRange, _settings.DataRate);
            }
        }
        catch (Exception ex) when (ex is IOException or TimeoutException)
        {
            Interlocked.Increment(ref _readErrors);
            return _settings.ValueOnReadError;
        }

        LastRaw = raw;
        return _settings.Scaling == Ads1115Scaling.Raw ? raw : ToCounts(raw);
    }

    /// <summary>
    /// A raw result in counts of 0 V..<see cref="Ads1115AnalogInputSettings.FullScale"/> → 0..1023: one LSB of the
    /// ADS1115 is range / 32768 (datasheet, "Data format"); negative results (differential inputs) read 0.
    /// </summary>
    public int ToCounts(short raw)
    {
        double volts = raw * _rangeVolts / 32768.0;
        double counts = Math.Round(volts / _fullScaleVolts * MaxCount, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(counts, 0, MaxCount);
    }
}
