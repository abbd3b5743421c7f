namespace SmartCommunity.Simulation.Hardware;

using System;

/// <summary>
/// A barrier arm on its drive unit (hardware-docs/parking-barrier.md): it swings up while the drive's "open" input is
/// energised and down while "close" is, and takes <see cref="TravelMs"/> from one end to the other; the limit switches
/// follow the position. It has no clock of its own: <see cref="BarrierLane"/> moves it as virtual time passes.
/// <para>
/// Fault switch: <see cref="Jammed"/> (something holds the arm, or the drive's gearbox has failed): the drive is
/// energised and nothing moves, so no limit switch comes. Both inputs energised at once moves nothing.
/// </para>
/// </summary>
public sealed class BarrierArm
{
    /// <param name="travelMs">End to end with the drive energised.</param>
    /// <param name="open">Where the arm starts: up (open) or down (closed).</param>
    public BarrierArm(long travelMs, bool open = false)
    {
        if (travelMs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(travelMs), travelMs, "an arm takes some time to swing");
        }

        TravelMs = travelMs;
        PositionMs = open ? travelMs : 0;
    }

    public long TravelMs { get; }

    /// <summary>How far up, in ms of travel: 0 = down (closed), <see cref="TravelMs"/> = up (open).</summary>
    public long PositionMs { get; private set; }

    public bool Jammed { get; set; }

    /// <summary>The open limit switch: the arm is fully up.</summary>
    public bool IsOpen => PositionMs >= TravelMs;

    /// <summary>The closed limit switch: the arm is fully down.</summary>
    public bool IsClosed => PositionMs <= 0;

    /// <summary>Moves the arm for <paramref name="ms"/> with these drive levels; returns how far it moved (negative = down).</summary>
    public long Move(long ms, bool driveOpen, bool driveClose)
    {
        if (Jammed || ms <= 0 || driveOpen == driveClose)
        {
            return 0;
        }

        long before = PositionMs;
        PositionMs = driveOpen ? Math.Min(TravelMs, PositionMs + ms) : Math.Max(0, PositionMs - ms);
        return PositionMs - before;
    }
}
