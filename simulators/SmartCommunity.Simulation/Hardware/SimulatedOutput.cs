namespace SmartCommunity.Simulation.Hardware;

using System.Threading;
using SmartCommunity.Firmware.Hal;

/// <summary>A digital output that remembers its level and counts its writes. Starts de-energised, like an unpowered pin.</summary>
public sealed class SimulatedOutput : IDigitalOutput
{
    private int _energised;
    private long _writes;

    public bool Energised => Volatile.Read(ref _energised) == 1;

    public long Writes => Interlocked.Read(ref _writes);

    public void Write(bool energised)
    {
        Volatile.Write(ref _energised, energised ? 1 : 0);
        Interlocked.Increment(ref _writes);
    }
}
