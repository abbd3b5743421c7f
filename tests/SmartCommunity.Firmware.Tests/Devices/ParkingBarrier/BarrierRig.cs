namespace SmartCommunity.Firmware.Tests.Devices.ParkingBarrier;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.ParkingBarrier;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.Devices.DoorController;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// A barrier controller wired to simulated loops, sensor and arm, driven in virtual time. The arm moves under the
/// drive outputs as time passes; its limit switches follow its position.
/// </summary>
internal sealed class BarrierRig : DeviceRig
{
    public const long Boot = 2;
    public const long StepMs = 50;

    /// <summary>The simulated arm's full travel; well inside the controller's default motor-run time.</summary>
    public const long ArmTravelMs = 3000;

    public BarrierRig(BarrierSettings? settings = null, bool keepMessages = true, bool startOpen = false, bool sensorOk = true)
        : base(BarrierController.Kind, "barrier-1", "1.0.0", keepMessages)
    {
        Settings = settings ?? new BarrierSettings();
        Position = startOpen ? ArmTravelMs : 0;
        SensorOk.Active = sensorOk;
        UpdateLimits();
        Controller = new BarrierController(
            Identity, Settings, OpenLimit, ClosedLimit, Arming, Presence, Closing, Safety, SensorOk, OpenInput,
            CloseButton, Reader, DriveOpen, DriveClose, Clock, Transport, Boot);
    }

    public BarrierSettings Settings { get; }

    public BarrierController Controller { get; }

    public SimulatedInput OpenLimit { get; } = new SimulatedInput();

    public SimulatedInput ClosedLimit { get; } = new SimulatedInput();

    public SimulatedInput Arming { get; } = new SimulatedInput();

    public SimulatedInput Presence { get; } = new SimulatedInput();

    public SimulatedInput Closing { get; } = new SimulatedInput();

    public SimulatedInput Safety { get; } = new SimulatedInput();

    public SimulatedInput SensorOk { get; } = new SimulatedInput();

    public SimulatedInput OpenInput { get; } = new SimulatedInput();

    public SimulatedInput CloseButton { get; } = new SimulatedInput();

    public FakeCardReader Reader { get; } = new FakeCardReader();

    public SimulatedOutput DriveOpen { get; } = new SimulatedOutput();

    public SimulatedOutput DriveClose { get; } = new SimulatedOutput();

    /// <summary>Arm position in ms of travel: 0 = closed, <see cref="ArmTravelMs"/> = open.</summary>
    public long Position { get; set; }

    /// <summary>The arm does not move (a jammed drive), for motor timeouts.</summary>
    public bool Jammed { get; set; }

    protected override IFirmwareDevice Device => Controller;

    protected override long LoopMs => StepMs;

    public void RunUntil(BarrierState state, long limitMs = 60_000)
    {
        for (long elapsed = 0; Controller.State != state; elapsed += StepMs)
        {
            if (elapsed > limitMs)
            {
                Assert.Fail("barrier never reached " + state + "; it is " + Controller.State);
            }

            Step(StepMs);
        }
    }

    /// <summary>A vehicle drives over arming, presence and closing loops in that order (or the reverse) and leaves.</summary>
    public void Drive(bool entering)
    {
        SimulatedInput first = entering ? Arming : Closing;
        SimulatedInput last = entering ? Closing : Arming;
        first.Active = true;
        Run(300);
        Presence.Active = true;
        Run(300);
        first.Active = false;
        last.Active = true;
        Run(300);
        Presence.Active = false;
        Run(300);
        last.Active = false;
        Step(StepMs);
    }

    public int Count(string eventName) => Events().FindAll(e => e == eventName).Count;

    protected override void OnTimePassed(long advanceMs)
    {
        if (!Jammed)
        {
            if (DriveOpen.Energised)
            {
                Position = System.Math.Min(ArmTravelMs, Position + advanceMs);
            }
            else if (DriveClose.Energised)
            {
                Position = System.Math.Max(0, Position - advanceMs);
            }
        }

        UpdateLimits();
    }

    /// <summary>The safety invariant and the motor interlock hold after every call into the controller, in every test.</summary>
    protected override void CheckInvariants()
    {
        Check(this);
    }

    public static void Check(BarrierRig rig)
    {
        if (rig.DriveClose.Energised && (rig.Presence.Active || rig.Safety.Active))
        {
            Assert.Fail("close output energised with presence or safety active at " + rig.Clock.UptimeMs + " ms");
        }

        if (rig.DriveOpen.Energised && rig.DriveClose.Energised)
        {
            Assert.Fail("both motor outputs energised at " + rig.Clock.UptimeMs + " ms");
        }

        if (rig.Controller.IsEvacuating && (rig.DriveClose.Energised || rig.Controller.State == BarrierState.Closing))
        {
            Assert.Fail("closing while evacuation is latched at " + rig.Clock.UptimeMs + " ms");
        }
    }

    private void UpdateLimits()
    {
        OpenLimit.Active = Position >= ArmTravelMs;
        ClosedLimit.Active = Position <= 0;
    }
}
