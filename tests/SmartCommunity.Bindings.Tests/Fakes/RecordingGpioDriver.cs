namespace SmartCommunity.Bindings.Tests.Fakes;

using System;
using System.Collections.Generic;
using System.Device.Gpio;
using System.IO;
using System.Threading;

/// <summary>
/// A <see cref="GpioDriver"/> that records every call in order ("open 17", "mode 17 Output Low", "write 17 High",
/// "read 4", "close 17") and answers reads from levels the test sets. Mode and initial level handed over together
/// are recorded as one entry, as libgpiod's line request takes them together.
/// </summary>
public sealed class RecordingGpioDriver : GpioDriver
{
    private readonly Dictionary<int, PinMode> _modes = new();
    private readonly Dictionary<int, PinValue> _levels = new();
    private readonly HashSet<int> _failingReads = new();

    public List<string> Calls { get; } = new();

    public bool Disposed { get; private set; }

    protected override int PinCount => 54;

    /// <summary>The level a pin shows: what an output drives, or what the test set on an input.</summary>
    public PinValue Level(int pin) => _levels.TryGetValue(pin, out PinValue value) ? value : PinValue.Low;

    public PinMode Mode(int pin) => _modes[pin];

    public void SetInputLevel(int pin, PinValue level) => _levels[pin] = level;

    /// <summary>Fault switch: reads of the pin throw an IOException, as a failing libgpiod call does.</summary>
    public void FailReads(int pin) => _failingReads.Add(pin);

    protected override void OpenPin(int pinNumber) => Calls.Add($"open {pinNumber}");

    protected override void ClosePin(int pinNumber)
    {
        Calls.Add($"close {pinNumber}");
        _modes.Remove(pinNumber);
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        Calls.Add($"mode {pinNumber} {mode}");
        _modes[pinNumber] = mode;
    }

    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        Calls.Add($"mode {pinNumber} {mode} {initialValue}");
        _modes[pinNumber] = mode;
        if (mode == PinMode.Output)
        {
            _levels[pinNumber] = initialValue;
        }
    }

    protected override PinMode GetPinMode(int pinNumber) => _modes.TryGetValue(pinNumber, out PinMode mode) ? mode : PinMode.Input;

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber)
    {
        Calls.Add($"read {pinNumber}");
        if (_failingReads.Contains(pinNumber))
        {
            throw new IOException($"line {pinNumber}: read failed");
        }

        return Level(pinNumber);
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        Calls.Add($"write {pinNumber} {value}");
        _levels[pinNumber] = value;
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the adapters poll; they never wait for edges");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the adapters poll; they never register edge callbacks");

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the adapters poll; they never register edge callbacks");

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
