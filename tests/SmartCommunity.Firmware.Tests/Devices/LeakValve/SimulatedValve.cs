namespace SmartCommunity.Firmware.Tests.Devices.LeakValve;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// A motorised ball valve with its two motor inputs and two position switches, modelled in time: it travels
/// while one drive is energised, can seize, and its switches can be forced (a welded or broken contact).
/// Position 0 is fully closed, <see cref="FullTravelMs"/> fully open. Allocation-free, for the allocation test.
/// </summary>
internal sealed class SimulatedValve
{
    public SimulatedValve(long fullTravelMs, long switchZoneMs, long startPosition)
    {
        FullTravelMs = fullTravelMs;
        SwitchZoneMs = switchZoneMs;
        Position = startPosition;
        LowestPosition = startPosition;
        OpenSwitch = new LimitSwitch(this, open: true);
        ClosedSwitch = new LimitSwitch(this, open: false);
    }

    public long FullTravelMs { get; }

    /// <summary>How far from its end stop the valve must travel before that end's switch releases.</summary>
    public long SwitchZoneMs { get; }

    public long Position { get; set; }

    /// <summary>The most closed the valve has been since it was made or since <see cref="ResetLowest"/>.</summary>
    public long LowestPosition { get; private set; }

    public SimulatedOutput DriveOpen { get; } = new SimulatedOutput();

    public SimulatedOutput DriveClose { get; } = new SimulatedOutput();

    public IDigitalInput OpenSwitch { get; }

    public IDigitalInput ClosedSwitch { get; }

    /// <summary>Fault switch: the ball does not turn, whatever the motor does.</summary>
    public bool Jammed { get; set; }

    /// <summary>Fault switch: 1 = the open switch reads active whatever the position, -1 = inactive, 0 = honest.</summary>
    public int OpenSwitchForced { get; set; }

    /// <summary>Fault switch: as <see cref="OpenSwitchForced"/> for the closed switch.</summary>
    public int ClosedSwitchForced { get; set; }

    public bool IsFullyOpen => Position >= FullTravelMs;

    public bool IsFullyClosed => Position <= 0;

    public void Advance(long ms)
    {
        if (Jammed || DriveOpen.Energised == DriveClose.Energised)
        {
            return;
        }

        long next = Position + (DriveOpen.Energised ? ms : -ms);
        Position = next < 0 ? 0 : next > FullTravelMs ? FullTravelMs : next;
        if (Position < LowestPosition)
        {
            LowestPosition = Position;
        }
    }

    public void ResetLowest() => LowestPosition = Position;

    private bool SwitchActive(bool open)
    {
        int forced = open ? OpenSwitchForced : ClosedSwitchForced;
        if (forced != 0)
        {
            return forced > 0;
        }

        return open ? Position >= FullTravelMs - SwitchZoneMs : Position <= SwitchZoneMs;
    }

    private sealed class LimitSwitch : IDigitalInput
    {
        private readonly SimulatedValve _valve;
        private readonly bool _open;

        public LimitSwitch(SimulatedValve valve, bool open)
        {
            _valve = valve;
            _open = open;
        }

        public bool IsActive() => _valve.SwitchActive(_open);
    }
}
