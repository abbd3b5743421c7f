namespace SmartCommunity.Simulation.Hardware;

using System.Threading;
using SmartCommunity.Firmware.Hal;

/// <summary>An analog input (e.g. a smoke head's level) the test or scenario sets.</summary>
public sealed class SimulatedAnalogInput : IAnalogInput
{
    private int _value;

    public SimulatedAnalogInput(int value)
    {
        _value = value;
    }

    public int Value
    {
        get => Volatile.Read(ref _value);
        set => Volatile.Write(ref _value, value);
    }

    public int Read() => Value;
}
