namespace SmartCommunity.Simulation.Hardware;

using System;
using System.Threading;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// A digital input the test or scenario sets; safe to set from another thread than the device loop. Besides a level
/// (<see cref="Active"/>) it can be pressed like a push button (<see cref="Press"/>): active for a hold time on a
/// <see cref="TimeProvider"/> and then released by itself, so a button press needs nobody to come back and let go.
/// </summary>
public sealed class SimulatedInput : IDigitalInput
{
    private int _active;
    private volatile PressWindow? _press;

    public SimulatedInput(bool active = false)
    {
        _active = active ? 1 : 0;
    }

    /// <summary>The level: set and held until set again (setting it also ends a press).</summary>
    public bool Active
    {
        get => Volatile.Read(ref _active) == 1 || IsPressed;
        set
        {
            _press = null;
            Volatile.Write(ref _active, value ? 1 : 0);
        }
    }

    /// <summary>True while a <see cref="Press"/> is held.</summary>
    public bool IsPressed => _press is { } press && press.Time.GetTimestamp() < press.Until;

    /// <summary>Presses the input for <paramref name="hold"/> on <paramref name="time"/> (virtual in a scenario); it lets go by itself.</summary>
    public void Press(TimeProvider time, TimeSpan hold)
    {
        long until = time.GetTimestamp() + (long)(hold.TotalSeconds * time.TimestampFrequency);
        _press = new PressWindow(time, until);
    }

    public bool IsActive() => Active;

    private sealed record PressWindow(TimeProvider Time, long Until);
}
