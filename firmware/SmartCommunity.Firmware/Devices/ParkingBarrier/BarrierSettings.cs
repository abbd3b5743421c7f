namespace SmartCommunity.Firmware.Devices.ParkingBarrier;

/// <summary>
/// Barrier parameters from the device configuration bundle (hardware-docs/parking-barrier.md, "Parameters"; bundle
/// keys are the same names in camelCase).
/// </summary>
public sealed class BarrierSettings
{
    /// <summary>A move must reach its limit switch within this time, or the barrier reports a motor-timeout fault.</summary>
    public long MotorRunMs = 8000;

    /// <summary>After a confirmed passage has cleared all loops, the barrier waits this long before it closes by itself.</summary>
    public long AutoCloseDelayMs = 2000;

    /// <summary>The sensor's monitoring input must read healthy without a break this long before the fault clears.</summary>
    public long SensorRecoverMs = 1000;

    /// <summary>Period of the state heartbeat.</summary>
    public long HeartbeatMs = 30000;
}
