namespace SmartCommunity.Simulator.Tests.Hil;

using System;
using System.Collections.Generic;
using System.Device.Gpio;
using System.IO;
using System.Threading;

/// <summary>
/// A GPIO chip with wires between its lines, as a bench board with loopback jumpers (or a device under test) is
/// wired. A line reads: its own level when it is an output; else the level of the outputs wired to it (any high
/// wins, a crude model of two outputs fighting); else a level the test drives from outside (a device output); else
/// its bias (pull-down low, pull-up high, none: <see cref="FloatingLevel"/>). Faults are switches: cut a wire,
/// cross two, stick a line, mark a line busy.
/// </summary>
public sealed class JumperedGpioDriver : GpioDriver
{
    private readonly int _pinCount;
    private readonly Dictionary<int, PinMode> _modes = new();
    private readonly Dictionary<int, PinValue> _driven = new();
    private readonly Dictionary<int, PinValue> _external = new();
    private readonly Dictionary<int, PinValue> _stuck = new();
    private readonly List<(int A, int B)> _wires = new();
    private readonly HashSet<int> _busy = new();
    private readonly HashSet<int> _open = new();

    public JumperedGpioDriver(int pinCount = 28)
    {
        _pinCount = pinCount;
    }

    public PinValue FloatingLevel { get; set; } = PinValue.Low;

    public bool SupportsPullDown { get; set; } = true;

    public List<string> Calls { get; } = new();

    public bool Disposed { get; private set; }

    public IReadOnlyCollection<int> OpenLines => _open;

    protected override int PinCount => _pinCount;

    public JumperedGpioDriver Wire(int a, int b)
    {
        _wires.Add((a, b));
        return this;
    }

    public JumperedGpioDriver Cut(int a, int b)
    {
        _wires.RemoveAll(w => (w.A == a && w.B == b) || (w.A == b && w.B == a));
        return this;
    }

    public JumperedGpioDriver Stick(int line, PinValue level)
    {
        _stuck[line] = level;
        return this;
    }

    public JumperedGpioDriver Busy(int line)
    {
        _busy.Add(line);
        return this;
    }

    /// <summary>A level driven into the line from outside the bench (a device under test's output).</summary>
    public void DriveFromOutside(int line, PinValue level) => _external[line] = level;

    /// <summary>What the bench drives on an output line (Low when it never drove it).</summary>
    public PinValue Driven(int line) => _driven.TryGetValue(line, out PinValue level) ? level : PinValue.Low;

    protected override void OpenPin(int pinNumber)
    {
        Calls.Add($"open {pinNumber}");
        if (pinNumber < 0 || pinNumber >= _pinCount)
        {
            throw new ArgumentOutOfRangeException(nameof(pinNumber), $"gpiochip has no line {pinNumber}");
        }

        if (_busy.Contains(pinNumber))
        {
            throw new IOException($"line {pinNumber}: Device or resource busy");
        }

        _open.Add(pinNumber);
    }

    protected override void ClosePin(int pinNumber)
    {
        Calls.Add($"close {pinNumber}");
        _open.Remove(pinNumber);
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
            _driven[pinNumber] = initialValue;
        }
    }

    protected override PinMode GetPinMode(int pinNumber) => _modes.TryGetValue(pinNumber, out PinMode mode) ? mode : PinMode.Input;

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => mode != PinMode.InputPullDown || SupportsPullDown;

    protected override PinValue Read(int pinNumber)
    {
        if (_stuck.TryGetValue(pinNumber, out PinValue stuck))
        {
            return stuck;
        }

        PinMode mode = GetPinMode(pinNumber);
        if (mode == PinMode.Output)
        {
            return Driven(pinNumber);
        }

        bool driven = false;
        bool high = false;
        foreach ((int a, int b) in _wires)
        {
            int other = a == pinNumber ? b : b == pinNumber ? a : -1;
            if (other >= 0 && GetPinMode(other) == PinMode.Output && _open.Contains(other))
            {
                driven = true;
                high |= Driven(other) == PinValue.High;
            }
        }

        if (driven)
        {
            return high ? PinValue.High : PinValue.Low;
        }

        if (_external.TryGetValue(pinNumber, out PinValue outside))
        {
            return outside;
        }

        return mode switch
        {
            PinMode.InputPullDown => PinValue.Low,
            PinMode.InputPullUp => PinValue.High,
            _ => FloatingLevel,
        };
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        Calls.Add($"write {pinNumber} {value}");
        _driven[pinNumber] = value;
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException();

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
