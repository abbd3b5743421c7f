namespace SmartCommunity.Simulation.Hardware;

using System;
using System.Threading;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// A digital output that remembers its level and counts its writes. Starts de-energised, like an unpowered pin. What it
/// drives may listen (<c>beforeWrite</c>): a valve motor integrates its travel up to the moment the level changes.
/// </summary>
public sealed class SimulatedOutput : IDigitalOutput
{
    private readonly Action<bool>? _beforeWrite;
    private int _energised;
    private long _writes;

    public SimulatedOutput(Action<bool>? beforeWrite = null)
    {
        _beforeWrite = beforeWrite;
    }

    public bool Energised => Volatile.Read(ref _energised) == 1;

    public long Writes => Interlocked.Read(ref _writes);

    public void Write(bool energised)
    {
        _beforeWrite?.Invoke(energised);
        Volatile.Write(ref _energised, energised ? 1 : 0);
        Interlocked.Increment(ref _writes);
    }
}
