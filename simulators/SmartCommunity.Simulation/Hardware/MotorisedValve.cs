namespace SmartCommunity.Simulation.Hardware;

using System;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// A motorised ball valve with its two limit switches, as the leak controller sees it (hardware-docs/leak-valve.md):
/// the controller energises "drive open" or "drive close"; the ball turns while one of them is energised and reaches the
/// other end after <see cref="Travel"/>, where that end's limit switch closes. The motor runs against the end stop after
/// that (a real actuator stalls there until it is de-energised). Time is the <see cref="TimeProvider"/>'s, so the same
/// valve runs in real time (sc-sim demo) and in virtual time (scenarios, unit tests).
/// <para>
/// The position is integrated lazily: each write of a drive output and each read brings it up to now with the drive
/// levels that applied since the last look, so nobody has to step the valve.
/// </para>
/// <para>
/// Fault switch: <see cref="Seized"/> (scale or corrosion has locked the ball): the motor is energised, nothing turns, and
/// neither switch changes. Both drives energised at once would short an H-bridge: the valve does not move and
/// <see cref="BothDrivesEnergised"/> counts it, so a test can show the firmware never does it.
/// </para>
/// </summary>
public sealed class MotorisedValve
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly long _travelTicks;
    private long _travelled;
    private long _at;
    private bool _seized;
    private long _bothDrives;

    /// <param name="time">The clock the ball turns on.</param>
    /// <param name="travel">End to end, with the motor energised.</param>
    /// <param name="open">Where the ball is at the start: open (normal service) or closed.</param>
    public MotorisedValve(TimeProvider time, TimeSpan travel, bool open = true)
    {
        if (travel <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(travel), travel, "a valve takes some time to turn");
        }

        _time = time;
        _travelTicks = travel.Ticks;
        _travelled = open ? _travelTicks : 0;
        _at = time.GetTimestamp();
        DriveOpen = new SimulatedOutput(_ => Sync());
        DriveClose = new SimulatedOutput(_ => Sync());
        OpenSwitch = new LimitSwitch(this, atOpenEnd: true);
        ClosedSwitch = new LimitSwitch(this, atOpenEnd: false);
    }

    public TimeSpan Travel => TimeSpan.FromTicks(_travelTicks);

    /// <summary>The motor's "drive open" input (an H-bridge leg or a relay).</summary>
    public SimulatedOutput DriveOpen { get; }

    /// <summary>The motor's "drive close" input.</summary>
    public SimulatedOutput DriveClose { get; }

    /// <summary>Closed (active) when the ball is fully open.</summary>
    public IDigitalInput OpenSwitch { get; }

    /// <summary>Closed (active) when the ball is fully closed.</summary>
    public IDigitalInput ClosedSwitch { get; }

    /// <summary>Fault switch: the ball does not turn, whatever the motor does.</summary>
    public bool Seized
    {
        get
        {
            lock (_gate)
            {
                return _seized;
            }
        }

        set
        {
            lock (_gate)
            {
                SyncLocked();
                _seized = value;
            }
        }
    }

    /// <summary>How far open, 0 (closed) to 1 (open), now.</summary>
    public double Openness
    {
        get
        {
            lock (_gate)
            {
                SyncLocked();
                return (double)_travelled / _travelTicks;
            }
        }
    }

    public ValvePosition Position
    {
        get
        {
            lock (_gate)
            {
                SyncLocked();
                return _travelled >= _travelTicks ? ValvePosition.Open : _travelled <= 0 ? ValvePosition.Closed : ValvePosition.Between;
            }
        }
    }

    /// <summary>How often the position was brought up to date while both drives were energised (a firmware bug).</summary>
    public long BothDrivesEnergised
    {
        get
        {
            lock (_gate)
            {
                return _bothDrives;
            }
        }
    }

    /// <summary>Power cut to the motor (a reboot of the controller): both drives unpowered; the ball stays where it is.</summary>
    public void Unpower()
    {
        DriveOpen.Write(false);
        DriveClose.Write(false);
    }

    private void Sync()
    {
        lock (_gate)
        {
            SyncLocked();
        }
    }

    // Turns the ball for the time since the last look with the drive levels that held during it (a write calls this
    // before the level changes).
    private void SyncLocked()
    {
        long now = _time.GetTimestamp();
        long elapsed = _time.GetElapsedTime(_at, now).Ticks;
        _at = now;
        bool open = DriveOpen.Energised;
        bool close = DriveClose.Energised;
        if (open && close)
        {
            _bothDrives++;
            return;
        }

        if (_seized || elapsed <= 0 || open == close)
        {
            return;
        }

        _travelled = open ? Math.Min(_travelTicks, _travelled + elapsed) : Math.Max(0, _travelled - elapsed);
    }

    private sealed class LimitSwitch(MotorisedValve valve, bool atOpenEnd) : IDigitalInput
    {
        public bool IsActive()
        {
            lock (valve._gate)
            {
                valve.SyncLocked();
                return atOpenEnd ? valve._travelled >= valve._travelTicks : valve._travelled <= 0;
            }
        }
    }
}

/// <summary>Where a simulated valve's ball is.</summary>
public enum ValvePosition
{
    Open,
    Closed,
    Between,
}
