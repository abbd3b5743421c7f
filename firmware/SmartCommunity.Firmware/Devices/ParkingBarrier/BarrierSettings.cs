namespace SmartCommunity.Firmware.Devices.ParkingBarrier;

using SmartCommunity.Firmware.Boot;

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

    /// <summary>The edge's answer to an entry request counts only this long after the card was read: a late open would find the car gone.</summary>
    public long EntryAnswerMs = 5000;

    /// <summary>Period of the state heartbeat.</summary>
    public long HeartbeatMs = 30000;

    /// <summary>The settings from a device's parameters (the bundle's "params", or the layout's); anything not given keeps its default.</summary>
    public static BarrierSettings Read(IParameterSource parameters)
    {
        BarrierSettings s = new BarrierSettings();
        s.MotorRunMs = parameters.Parameter("motorRunMs", s.MotorRunMs);
        s.AutoCloseDelayMs = parameters.Parameter("autoCloseDelayMs", s.AutoCloseDelayMs);
        s.SensorRecoverMs = parameters.Parameter("sensorRecoverMs", s.SensorRecoverMs);
        s.EntryAnswerMs = parameters.Parameter("entryAnswerMs", s.EntryAnswerMs);
        s.HeartbeatMs = parameters.Parameter("heartbeatMs", s.HeartbeatMs);
        return s;
    }
}
