namespace SmartCommunity.Simulation.Hardware;

using System.Threading;
using SmartCommunity.Firmware.Hal;

/// <summary>A digital input the test or scenario sets; safe to set from another thread than the device loop.</summary>
public sealed class SimulatedInput : IDigitalInput
{
    private int _active;

    public SimulatedInput(bool active = false)
    {
        _active = active ? 1 : 0;
    }

    public bool Active
    {
        get => Volatile.Read(ref _active) == 1;
        set => Volatile.Write(ref _active, value ? 1 : 0);
    }

    public bool IsActive() => Active;
}
