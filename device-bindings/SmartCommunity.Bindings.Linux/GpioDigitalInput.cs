namespace SmartCommunity.Bindings.Linux;

using System;
using System.Device.Gpio;
using System.IO;
using System.Threading;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// <see cref="IDigitalInput"/> on one line of a <see cref="GpioController"/>, polled and translated to its meaning.
/// Debouncing is the device logic's job on its own clock (DoorSettings.DoorContactDebounceMs), so no driver debounce
/// or edge events are used.
/// </summary>
/// <remarks>
/// Ownership: the controller belongs to the caller and is never disposed here; this object opens its pin in the
/// constructor and closes it in <see cref="Dispose"/>.
/// A read that throws <see cref="IOException"/> (libgpiod reports failures as <c>GpiodException</c>, an IOException)
/// returns <see cref="GpioDigitalInputSettings.ActiveOnReadError"/> and is counted in <see cref="ReadErrors"/>, so a
/// failing line cannot stop the device loop and reads as the configured safe value.
/// </remarks>
public sealed class GpioDigitalInput : IDigitalInput, IDisposable
{
    private readonly GpioController _controller;
    private readonly bool _activeLow;
    private readonly bool _activeOnReadError;
    private long _readErrors;
    private bool _disposed;

    /// <param name="controller">The controller the line belongs to; not disposed by this object.</param>
    /// <param name="pinNumber">The line number in the controller's numbering (the libgpiod line offset).</param>
    /// <param name="settings">Polarity, bias and the value of a failed read; defaults when null.</param>
    public GpioDigitalInput(GpioController controller, int pinNumber, GpioDigitalInputSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        settings ??= new GpioDigitalInputSettings();
        if (settings.Mode == PinMode.Output)
        {
            throw new ArgumentException("an input needs an input mode (Input, InputPullUp or InputPullDown)", nameof(settings));
        }

        _controller = controller;
        _activeLow = settings.ActiveLow;
        _activeOnReadError = settings.ActiveOnReadError;
        PinNumber = pinNumber;
        controller.OpenPin(pinNumber, settings.Mode);
    }

    public int PinNumber { get; }

    /// <summary>Reads that failed since the pin was opened.</summary>
    public long ReadErrors => Interlocked.Read(ref _readErrors);

    public bool IsActive()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        PinValue level;
        try
        {
            level = _controller.Read(PinNumber);
        }
        catch (IOException)
        {
            Interlocked.Increment(ref _readErrors);
            return _activeOnReadError;
        }

        return (level == PinValue.High) != _activeLow;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _controller.ClosePin(PinNumber);
    }
}
