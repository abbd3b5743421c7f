namespace SmartCommunity.Firmware.Devices.ParkingBarrier;

/// <summary>What the barrier arm is doing (hardware-docs/parking-barrier.md, "States").</summary>
public enum BarrierState
{
    /// <summary>At rest on the closed limit switch.</summary>
    Closed = 0,

    /// <summary>Driving open (the safe direction: always allowed).</summary>
    Opening = 1,

    /// <summary>At rest on the open limit switch.</summary>
    Open = 2,

    /// <summary>Driving closed; only while nothing is under the arm and the safety sensor works (or a person holds close).</summary>
    Closing = 3,

    /// <summary>Motor off after a move that did not reach its limit switch in time; an open request or a reset retries.</summary>
    Fault = 4,
}
