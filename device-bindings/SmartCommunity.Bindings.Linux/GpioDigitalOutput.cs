namespace SmartCommunity.Bindings.Linux;

using System;
using System.Device.Gpio;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// <see cref="IDigitalOutput"/> on one line of a <see cref="GpioController"/> (a Raspberry Pi header pin through the
/// libgpiod driver, or any other driver).
/// </summary>
/// <remarks>
/// Ownership: the controller belongs to the caller and is never disposed here; this object owns its pin, opens it in
/// the constructor and, in <see cref="Dispose"/>, drives it de-energised and closes it.
/// The pin is requested as an output <em>at its de-energised level</em>: <see cref="GpioController.OpenPin(int, PinMode, PinValue)"/>
/// hands mode and level to the driver in one call (libgpiod requests the line with that default value), so the line
/// never drives the energised level, not even for the time between two calls.
/// A crash skips <see cref="Dispose"/>, and Linux does not define what a released line does (it often keeps its last
/// level), so the hardware must still make "unpowered or undriven" mean released: a pull-down on the driver input
/// (hardware-docs/door-controller.md, "Why these pins").
/// </remarks>
public sealed class GpioDigitalOutput : IDigitalOutput, IDisposable
{
    private readonly GpioController _controller;
    private readonly PinValue _energisedLevel;
    private readonly PinValue _deEnergisedLevel;
    private bool _disposed;

    /// <param name="controller">The controller the line belongs to; not disposed by this object.</param>
    /// <param name="pinNumber">The line number in the controller's numbering (the libgpiod line offset).</param>
    /// <param name="activeLow">
    /// True when a low level energises the load. Only for loads where that is safe through a reset: a line that floats
    /// or is pulled low while the board boots would energise it. Door outputs must be active-high (safety.md).
    /// </param>
    public GpioDigitalOutput(GpioController controller, int pinNumber, bool activeLow = false)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
        PinNumber = pinNumber;
        ActiveLow = activeLow;
        _energisedLevel = activeLow ? PinValue.Low : PinValue.High;
        _deEnergisedLevel = activeLow ? PinValue.High : PinValue.Low;
        controller.OpenPin(pinNumber, PinMode.Output, _deEnergisedLevel);
    }

    public int PinNumber { get; }

    public bool ActiveLow { get; }

    /// <summary>The last level written, as a meaning (true = energised); false from the moment the pin is opened.</summary>
    public bool IsEnergised { get; private set; }

    public void Write(bool energised)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _controller.Write(PinNumber, energised ? _energisedLevel : _deEnergisedLevel);
        IsEnergised = energised;
    }

    /// <summary>Drives the line de-energised, then closes it. The controller stays open for its other pins.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _controller.Write(PinNumber, _deEnergisedLevel);
            IsEnergised = false;
        }
        finally
        {
            _controller.ClosePin(PinNumber);
        }
    }
}
