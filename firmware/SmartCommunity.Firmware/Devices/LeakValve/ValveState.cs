namespace SmartCommunity.Firmware.Devices.LeakValve;

/// <summary>
/// What the valve is doing (hardware-docs/leak-valve.md, "Valve position"). The resting states follow the limit
/// switches; the moving states own the motor. Open, Closed and Unknown also serve as the target of a move.
/// </summary>
public enum ValveState
{
    /// <summary>At rest with neither or both limit switches active (or, as a target: none set).</summary>
    Unknown = 0,

    /// <summary>At rest on the open switch.</summary>
    Open = 1,

    /// <summary>At rest on the closed switch.</summary>
    Closed = 2,

    /// <summary>Driving open after a person's reset.</summary>
    Opening = 3,

    /// <summary>Driving closed for a leak or a close command.</summary>
    Closing = 4,

    /// <summary>Exercise, first leg: driving towards closed until the open switch releases.</summary>
    Exercising = 5,

    /// <summary>Exercise, second leg: driving back to open.</summary>
    Returning = 6,

    /// <summary>At rest, motor off, after a move that did not reach its target in time; not at the target.</summary>
    Stuck = 7,
}
