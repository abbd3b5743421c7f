namespace SmartCommunity.Simulator.Hil;

using System;
using System.Collections.Generic;
using System.Device.Gpio;
using SmartCommunity.Bindings.Linux;

/// <summary>
/// The bench side of one device under test: drives its inputs (fire, doorClosed) and reads its outputs (lock) on the
/// GPIO lines the pin map gives, by the layout's pin names. This is the piece a scenario step uses in HIL mode in
/// place of a virtual device's simulated pins.
/// </summary>
/// <remarks>
/// Drive lines are requested as outputs at their initial level in one call (fire present, door closed: the device
/// stays released until a test clears the fire input on purpose). Output reads go through
/// <see cref="GpioDigitalInput"/> with <c>ActiveOnReadError</c>, so a failed read looks energised and a test that
/// expects a release fails instead of passing by accident; <see cref="ReadErrors"/> counts them.
/// Ownership: the controller is the caller's; the bench opens its lines and closes them on <see cref="Dispose"/>,
/// driving every device input back to its initial level first.
/// </remarks>
public sealed class HilBench : IDisposable
{
    private readonly GpioController _controller;
    private readonly Dictionary<string, HilPin> _drives = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GpioDigitalInput> _reads = new(StringComparer.Ordinal);
    private bool _disposed;

    private HilBench(HilDevice device, GpioController controller)
    {
        Device = device;
        _controller = controller;
    }

    public HilDevice Device { get; }

    /// <summary>Failed reads of the device's outputs since the bench was opened.</summary>
    public long ReadErrors
    {
        get
        {
            long errors = 0;
            foreach (GpioDigitalInput input in _reads.Values)
            {
                errors += input.ReadErrors;
            }

            return errors;
        }
    }

    public static HilBench Open(HilDevice device, GpioController controller)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(controller);
        var bench = new HilBench(device, controller);
        try
        {
            foreach (HilPin pin in device.Pins)
            {
                if (pin.Direction == HilDirection.BenchDrives)
                {
                    controller.OpenPin(pin.Line, PinMode.Output, Level(pin, pin.InitiallyActive));
                    bench._drives[pin.Name] = pin;
                }
                else
                {
                    bench._reads[pin.Name] = new GpioDigitalInput(controller, pin.Line, new GpioDigitalInputSettings
                    {
                        ActiveLow = pin.ActiveLow,
                        ActiveOnReadError = true,
                    });
                }
            }
        }
        catch
        {
            bench.Dispose();
            throw;
        }

        return bench;
    }

    /// <summary>Sets a device input by its meaning (fire: true = fire present; doorClosed: true = closed).</summary>
    public void Drive(string pin, bool active)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        HilPin target = _drives.TryGetValue(pin, out HilPin? found)
            ? found
            : throw new ArgumentException(Unknown(pin, "drive", _drives.Keys), nameof(pin));
        _controller.Write(target.Line, Level(target, active));
    }

    /// <summary>Reads a device output by its meaning (lock: true = energised).</summary>
    public bool Read(string pin)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        GpioDigitalInput input = _reads.TryGetValue(pin, out GpioDigitalInput? found)
            ? found
            : throw new ArgumentException(Unknown(pin, "read", _reads.Keys), nameof(pin));
        return input.IsActive();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (HilPin pin in _drives.Values)
        {
            if (_controller.IsPinOpen(pin.Line))
            {
                _controller.Write(pin.Line, Level(pin, pin.InitiallyActive));
                _controller.ClosePin(pin.Line);
            }
        }

        foreach (GpioDigitalInput input in _reads.Values)
        {
            input.Dispose();
        }
    }

    private static PinValue Level(HilPin pin, bool active) => active != pin.ActiveLow ? PinValue.High : PinValue.Low;

    private string Unknown(string pin, string verb, IEnumerable<string> names) =>
        $"{Device.Id} has no pin '{pin}' the bench can {verb}; it can {verb}: {string.Join(", ", names)}";
}
