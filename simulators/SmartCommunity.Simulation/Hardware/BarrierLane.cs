namespace SmartCommunity.Simulation.Hardware;

using System;
using System.Collections.Generic;
using System.Linq;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// One barrier lane as the barrier controller sees it (hardware-docs/parking-barrier.md): the arm on its drive, the
/// three inductive loops, the photo-eye across the arm line, the sensor-OK contact, the open input, the close button,
/// and the vehicles that drive through. Time is the <see cref="TimeProvider"/>'s (virtual in a scenario), and the lane
/// moves itself lazily, in 10 ms steps, whenever an input is read, an output written or a vehicle added.
/// <para>
/// Geometry along the direction of travel, in millimetres: the first loop 0-2000 (arming loop for a vehicle going in,
/// closing loop for one going out), the presence loop 3000-5000 under the arm, the arm line and the photo-eye at 4000,
/// the last loop 6000-8000. A vehicle is 4.5 m long and drives at 3 m/s. It rolls onto the first loop (the stop line,
/// front at 2000) once the vehicle before it has left the loops for a second, says what it has come for (presents its
/// card, or its ticket machine or exit loop pulses the open input), waits until the arm is fully up, and drives on; it
/// may stop with its middle under the arm for a while. Before it reaches the presence loop, a driver whose arm is no
/// longer fully up brakes and waits again. Vehicles queue one behind the other, in the order they came.
/// </para>
/// <para>
/// Safety record (<see cref="Violations"/>): the close output energised while the presence loop or the photo-eye is
/// active (checked when it is switched on and after every step of the controller), both outputs energised at once,
/// and the arm moving down while a vehicle is under it. A scenario fails on any of them.
/// </para>
/// </summary>
public sealed class BarrierLane
{
    public const long FirstLoopStartMm = 0;
    public const long FirstLoopEndMm = 2000;
    public const long PresenceStartMm = 3000;
    public const long PresenceEndMm = 5000;
    public const long ArmLineMm = 4000;
    public const long LastLoopStartMm = 6000;
    public const long LastLoopEndMm = 8000;
    public const long StopLineMm = FirstLoopEndMm;
    public const long VehicleLengthMm = 4500;

    /// <summary>Speed through the lane: 3 m/s, about 11 km/h.</summary>
    public const long SpeedMmPerMs = 3;

    /// <summary>Time the next vehicle of the queue takes to roll onto the first loop after the one before has left the loops.</summary>
    public const long MoveUpMs = 1000;

    /// <summary>How long a ticket machine or exit loop holds the open input for a vehicle.</summary>
    public static readonly TimeSpan OpenPulse = TimeSpan.FromMilliseconds(500);

    private const long StepMs = 10;

    // A driver who has not reached the presence loop stops when the arm is no longer fully up.
    private const long BrakeBeforeMm = PresenceStartMm;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly List<Vehicle> _vehicles = [];
    private readonly List<BarrierViolation> _violations = [];
    private DateTimeOffset _at;
    private long _nowMs;
    private long _lastLeftMs = -MoveUpMs;
    private long _nextId;
    private long _passedIn;
    private long _passedOut;
    private bool _bothDrives;
    private bool _beamBlocked;

    /// <param name="time">The clock everything moves on.</param>
    /// <param name="travelMs">The arm's travel end to end.</param>
    /// <param name="open">Where the arm starts.</param>
    public BarrierLane(TimeProvider time, long travelMs, bool open = false)
    {
        _time = time;
        _at = time.GetUtcNow();
        Arm = new BarrierArm(travelMs, open);
        DriveOpen = new SimulatedOutput(level => BeforeWrite(open: true, level));
        DriveClose = new SimulatedOutput(level => BeforeWrite(open: false, level));
        OpenLimit = new Modelled(this, () => Arm.IsOpen);
        ClosedLimit = new Modelled(this, () => Arm.IsClosed);
        ArmingLoop = new Modelled(this, () => OnLoop(arming: true));
        PresenceLoop = new Modelled(this, () => Covers(PresenceStartMm, PresenceEndMm));
        ClosingLoop = new Modelled(this, () => OnLoop(arming: false));
        Safety = new Modelled(this, () => _beamBlocked || Covers(ArmLineMm, ArmLineMm));
    }

    public BarrierArm Arm { get; }

    /// <summary>The drive unit's "open" input.</summary>
    public SimulatedOutput DriveOpen { get; }

    /// <summary>The drive unit's "close" input.</summary>
    public SimulatedOutput DriveClose { get; }

    public IDigitalInput OpenLimit { get; }

    public IDigitalInput ClosedLimit { get; }

    public IDigitalInput ArmingLoop { get; }

    public IDigitalInput PresenceLoop { get; }

    public IDigitalInput ClosingLoop { get; }

    /// <summary>The photo-eye: broken by a vehicle under the arm, or by <see cref="BeamBlocked"/>.</summary>
    public IDigitalInput Safety { get; }

    /// <summary>The safety sensor's monitoring contact: active = healthy. Starts healthy.</summary>
    public SimulatedInput SensorOk { get; } = new(active: true);

    /// <summary>The ticket machine's, exit loop's or remote receiver's relay.</summary>
    public SimulatedInput OpenInput { get; } = new();

    /// <summary>The local hold-to-run close button.</summary>
    public SimulatedInput CloseButton { get; } = new();

    /// <summary>Presents a card at the lane's reader (set by the virtual device that has one); null = no reader.</summary>
    public Action<long>? PresentCard { get; set; }

    /// <summary>Something other than a vehicle breaks the photo-eye beam (a person, a trolley).</summary>
    public bool BeamBlocked
    {
        get
        {
            lock (_gate)
            {
                return _beamBlocked;
            }
        }

        set
        {
            lock (_gate)
            {
                SyncLocked();
                _beamBlocked = value;
            }
        }
    }

    /// <summary>Fault switch: the arm does not move, whatever the drive does.</summary>
    public bool Jammed
    {
        get
        {
            lock (_gate)
            {
                return Arm.Jammed;
            }
        }

        set
        {
            lock (_gate)
            {
                SyncLocked();
                Arm.Jammed = value;
            }
        }
    }

    /// <summary>Where the arm is now: up, down or between.</summary>
    public ArmPosition Position
    {
        get
        {
            lock (_gate)
            {
                SyncLocked();
                return Arm.IsOpen ? ArmPosition.Up : Arm.IsClosed ? ArmPosition.Down : ArmPosition.Between;
            }
        }
    }

    /// <summary>Vehicles that drove through going in.</summary>
    public long PassedIn => Read(() => _passedIn);

    /// <summary>Vehicles that drove through going out.</summary>
    public long PassedOut => Read(() => _passedOut);

    /// <summary>Vehicles that have arrived and not yet started through: queued, or at the stop line.</summary>
    public int Waiting => Read(() => _vehicles.Count(v => v.Stage is Stage.Queued or Stage.AtStopLine));

    /// <summary>Vehicles still to come, waiting, or in the lane.</summary>
    public int Remaining => Read(() => _vehicles.Count(v => v.Stage != Stage.Gone));

    public IReadOnlyList<BarrierViolation> Violations
    {
        get
        {
            lock (_gate)
            {
                SyncLocked();
                return _violations.ToList();
            }
        }
    }

    /// <summary>
    /// A vehicle that arrives <paramref name="after"/> from now and queues for the lane. It presents <paramref name="card"/>
    /// at the reader when it reaches the stop line, or pulses the open input there (<paramref name="pulseOpenInput"/>), or
    /// just waits for the arm; <paramref name="stopUnder"/> keeps it standing under the arm that long.
    /// </summary>
    public void AddVehicle(bool inbound, TimeSpan after, TimeSpan stopUnder = default, long? card = null, bool pulseOpenInput = false)
    {
        if (after < TimeSpan.Zero || stopUnder < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(after), "a vehicle comes now or later, and stops for no time or some");
        }

        lock (_gate)
        {
            SyncLocked();
            _vehicles.Add(new Vehicle(++_nextId, inbound, _nowMs + (long)after.TotalMilliseconds, (long)stopUnder.TotalMilliseconds, card, pulseOpenInput));
        }
    }

    /// <summary>
    /// The vehicle waiting at the stop line gives up (refused, no answer) and backs off the first loop without reaching
    /// the arm: it is not counted by the lane, and the next in the queue may roll up. False when none is waiting there.
    /// </summary>
    public bool BackOff()
    {
        lock (_gate)
        {
            SyncLocked();
            if (_vehicles.FirstOrDefault(v => v.Stage == Stage.AtStopLine) is not { } vehicle)
            {
                return false;
            }

            vehicle.Stage = Stage.Gone;
            _lastLeftMs = _nowMs;
            return true;
        }
    }

    /// <summary>
    /// The controller has just stepped (or handled a message): its close output must be off while the presence loop or
    /// the photo-eye is active (the firmware's invariant, parking-barrier.md).
    /// </summary>
    public void CheckAfterStep()
    {
        lock (_gate)
        {
            SyncLocked();
            if (DriveClose.Energised && (Covers(PresenceStartMm, PresenceEndMm) || _beamBlocked || Covers(ArmLineMm, ArmLineMm)))
            {
                Violate("the close output is energised after a controller step while the presence loop or the photo-eye is active");
            }
        }
    }

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            SyncLocked();
            return read();
        }
    }

    private void BeforeWrite(bool open, bool level)
    {
        lock (_gate)
        {
            SyncLocked();
            bool other = open ? DriveClose.Energised : DriveOpen.Energised;
            if (level && other)
            {
                Violate("both drive outputs energised");
            }

            if (!open && level && (Covers(PresenceStartMm, PresenceEndMm) || _beamBlocked || Covers(ArmLineMm, ArmLineMm)))
            {
                Violate("the close output was switched on while the presence loop or the photo-eye was active");
            }
        }
    }

    private void Violate(string what) => _violations.Add(new BarrierViolation(_time.GetUtcNow(), what));

    // Brings the lane up to now in steps of at most 10 ms, with the drive levels that held since the last look.
    private void SyncLocked()
    {
        DateTimeOffset now = _time.GetUtcNow();
        long elapsed = (long)(now - _at).TotalMilliseconds;
        if (elapsed <= 0)
        {
            return;
        }

        _at += TimeSpan.FromMilliseconds(elapsed);
        while (elapsed > 0)
        {
            long step = Math.Min(StepMs, elapsed);
            elapsed -= step;
            _nowMs += step;
            Advance(step);
        }
    }

    private void Advance(long ms)
    {
        bool open = DriveOpen.Energised;
        bool close = DriveClose.Energised;
        if (open && close && !_bothDrives)
        {
            Violate("both drive outputs energised");
        }

        _bothDrives = open && close;
        long moved = Arm.Move(ms, open, close);
        if (moved < 0 && _vehicles.FirstOrDefault(v => v.InLane && v.Covers(ArmLineMm, ArmLineMm)) is { } hit)
        {
            Violate($"the arm moved down onto vehicle {hit.Id} ({(hit.Inbound ? "in" : "out")}) under it");
        }

        bool laneBusy = false;
        foreach (Vehicle vehicle in _vehicles)
        {
            switch (vehicle.Stage)
            {
                case Stage.Coming when _nowMs >= vehicle.ArriveMs:
                    vehicle.Stage = Stage.Queued;
                    goto case Stage.Queued;
                case Stage.Queued:
                    // First in the queue, and the lane has been clear long enough for it to roll up to the stop line.
                    if (!laneBusy && !_vehicles.Any(v => v.InLane) && _nowMs - _lastLeftMs >= MoveUpMs && IsFirstQueued(vehicle))
                    {
                        vehicle.FrontMm = StopLineMm;
                        vehicle.Stage = Stage.AtStopLine;
                        Announce(vehicle);
                    }

                    break;
                case Stage.AtStopLine:
                    if (Arm.IsOpen)
                    {
                        vehicle.Stage = Stage.Moving;
                    }

                    break;
                case Stage.Moving:
                    if (vehicle.FrontMm < BrakeBeforeMm && !Arm.IsOpen)
                    {
                        vehicle.Stage = Stage.AtStopLine;
                        break;
                    }

                    vehicle.FrontMm += SpeedMmPerMs * ms;
                    if (vehicle.StopUnderMs > 0 && !vehicle.Stopped && vehicle.FrontMm - (VehicleLengthMm / 2) >= ArmLineMm)
                    {
                        vehicle.Stopped = true;
                        vehicle.StoppedUntilMs = _nowMs + vehicle.StopUnderMs;
                        vehicle.Stage = Stage.StoppedUnder;
                    }
                    else if (vehicle.FrontMm - VehicleLengthMm >= LastLoopEndMm)
                    {
                        vehicle.Stage = Stage.Gone;
                        _lastLeftMs = _nowMs;
                        if (vehicle.Inbound)
                        {
                            _passedIn++;
                        }
                        else
                        {
                            _passedOut++;
                        }
                    }

                    break;
                case Stage.StoppedUnder:
                    if (_nowMs >= vehicle.StoppedUntilMs)
                    {
                        vehicle.Stage = Stage.Moving;
                    }

                    break;
            }

            laneBusy |= vehicle.InLane;
        }
    }

    private bool IsFirstQueued(Vehicle vehicle) => _vehicles.First(v => v.Stage == Stage.Queued) == vehicle;

    // What the driver does at the stop line: the card at the reader, or the ticket machine's (or exit loop's) relay.
    private void Announce(Vehicle vehicle)
    {
        if (vehicle.Card is { } card)
        {
            PresentCard?.Invoke(card);
        }

        if (vehicle.PulseOpenInput)
        {
            OpenInput.Press(_time, OpenPulse);
        }
    }

    private bool Covers(long startMm, long endMm) => _vehicles.Any(v => v.InLane && v.Covers(startMm, endMm));

    // The arming loop is the first loop for a vehicle going in and the last one for a vehicle going out.
    private bool OnLoop(bool arming) => _vehicles.Any(v => v.InLane
        && (v.Inbound == arming ? v.Covers(FirstLoopStartMm, FirstLoopEndMm) : v.Covers(LastLoopStartMm, LastLoopEndMm)));

    private enum Stage
    {
        Coming,
        Queued,
        AtStopLine,
        Moving,
        StoppedUnder,
        Gone,
    }

    private sealed class Vehicle(long id, bool inbound, long arriveMs, long stopUnderMs, long? card, bool pulseOpenInput)
    {
        public long Id => id;

        public bool Inbound => inbound;

        public long ArriveMs => arriveMs;

        public long StopUnderMs => stopUnderMs;

        public long? Card => card;

        public bool PulseOpenInput => pulseOpenInput;

        public Stage Stage { get; set; } = Stage.Coming;

        public long FrontMm { get; set; }

        public bool Stopped { get; set; }

        public long StoppedUntilMs { get; set; }

        public bool InLane => Stage is Stage.AtStopLine or Stage.Moving or Stage.StoppedUnder;

        /// <summary>Whether any part of the vehicle is over [start, end] (a point when they are equal).</summary>
        public bool Covers(long startMm, long endMm) => FrontMm >= startMm && FrontMm - VehicleLengthMm <= endMm;
    }

    private sealed class Modelled(BarrierLane lane, Func<bool> read) : IDigitalInput
    {
        public bool IsActive()
        {
            lock (lane._gate)
            {
                lane.SyncLocked();
                return read();
            }
        }
    }
}

/// <summary>Where a simulated barrier arm is.</summary>
public enum ArmPosition
{
    Up,
    Down,
    Between,
}

/// <summary>A breach of the barrier's safety rules the lane saw, at the clock's time.</summary>
public sealed record BarrierViolation(DateTimeOffset At, string What);
