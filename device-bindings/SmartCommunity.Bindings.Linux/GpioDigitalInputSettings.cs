namespace SmartCommunity.Bindings.Linux;

using System.Device.Gpio;

/// <summary>Optional settings of a <see cref="GpioDigitalInput"/>.</summary>
public sealed class GpioDigitalInputSettings
{
    /// <summary>True when a low level means active (a contact switching to ground). Default false.</summary>
    public bool ActiveLow { get; init; }

    /// <summary>
    /// <see cref="PinMode.Input"/> (default) where the board has its own resistor, as the reference wiring does;
    /// <see cref="PinMode.InputPullUp"/> or <see cref="PinMode.InputPullDown"/> to use the SoC's weak bias instead
    /// (libgpiod sets it through the line's bias flags, which need Linux 5.5 or later).
    /// </summary>
    public PinMode Mode { get; init; } = PinMode.Input;

    /// <summary>
    /// The meaning <see cref="GpioDigitalInput.IsActive"/> returns when the line cannot be read (the driver throws).
    /// Default true: for the door's fire input, "active" is the safe reading, in the same way as a cut wire reads as
    /// fire (door-controller.md). Set false for an input where "inactive" is the safe reading.
    /// </summary>
    public bool ActiveOnReadError { get; init; } = true;
}
