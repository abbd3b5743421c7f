namespace SmartCommunity.Firmware.Tests.Devices.LeakValve;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.LeakValve;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>The steady-state loop must not allocate: see <see cref="Allocations"/>.</summary>
public sealed partial class LeakValveControllerTests
{
    [TestMethod]
    public void Step_SteadyStateLoopThroughLeaksResetsStuckValvesAndExercises_AllocatesNothing()
    {
        LeakRig rig = new LeakRig(LeakTraffic.Settings(), keepMessages: false);
        LeakTraffic traffic = new LeakTraffic(rig);
        traffic.Run(LeakTraffic.Cycle);
        long published = rig.Transport.PublishCount;
        long leaks = rig.Controller.Leaks;
        long exercises = rig.Controller.Exercises;
        long stuck = rig.Controller.StuckMoves;
        long refused = rig.Controller.RefusedResets;
        long executed = rig.Controller.Commands.Executed;
        long rejected = rig.Controller.Commands.Rejected;
        long closeWrites = rig.Valve.DriveClose.Writes;
        long openWrites = rig.Valve.DriveOpen.Writes;

        long allocated = Allocations.During(() => traffic.Run(LeakTraffic.Cycle * 2));

        Assert.AreEqual(0L, allocated, "bytes allocated by two cycles of leak valve steps");
        Assert.AreEqual(leaks + 4, rig.Controller.Leaks);
        Assert.AreEqual(refused + 2, rig.Controller.RefusedResets);
        Assert.IsGreaterThan(exercises + 1, rig.Controller.Exercises);
        Assert.IsGreaterThan(stuck + 3, rig.Controller.StuckMoves);
        Assert.IsGreaterThan(executed + 50, rig.Controller.Commands.Executed);
        Assert.IsGreaterThan(rejected + 50, rig.Controller.Commands.Rejected);
        Assert.IsGreaterThan(closeWrites + 20, rig.Valve.DriveClose.Writes);
        Assert.IsGreaterThan(openWrites + 10, rig.Valve.DriveOpen.Writes);
        Assert.IsGreaterThan(published + 200, rig.Transport.PublishCount);
        Assert.AreEqual(ValveState.Open, rig.Controller.State, "each cycle ends with the valve reopened");
    }

    /// <summary>
    /// One 200 s cycle at 50 ms per step: a leak and its local close, a refused button press, the leak clearing,
    /// a reset command, a close command and a button reset, a jammed close with its retry, a seized exercise and
    /// working ones, and a leak while offline; self-tests and unsupported commands arrive throughout.
    /// </summary>
    private sealed class LeakTraffic
    {
        public const int Cycle = 4000;

        private readonly LeakRig _rig;
        private readonly CommandRotation _periodic = new CommandRotation("p", 24, i => i % 3 == 2 ? "unlock" : "self-test");
        private readonly CommandRotation _resets = new CommandRotation("r", 6, _ => "reset");
        private readonly CommandRotation _closes = new CommandRotation("c", 6, _ => "close");
        private int _iteration;

        public LeakTraffic(LeakRig rig)
        {
            _rig = rig;
        }

        public static LeakValveSettings Settings() => new LeakValveSettings
        {
            LeakConfirmMs = 1000,
            DryConfirmMs = 3000,
            TravelMs = 8000,
            CloseRetries = 1,
            CloseRetryPauseMs = 3000,
            ExerciseIntervalMs = 30_000,
            HeartbeatMs = 5000,
        };

        public void Run(int iterations)
        {
            LeakRig rig = _rig;
            for (int n = 0; n < iterations; n++)
            {
                int i = _iteration++;
                switch (i % Cycle)
                {
                    case 100: rig.Probe!.Active = true; break;
                    case 300: rig.Button!.Active = true; break;
                    case 304: rig.Button!.Active = false; break;
                    case 320: rig.Probe!.Active = false; break;
                    case 500: _resets.DeliverNext(rig); break;
                    case 700: _closes.DeliverNext(rig); break;
                    case 900: rig.Button!.Active = true; break;
                    case 904: rig.Button!.Active = false; break;
                    case 1100: rig.Valve.Jammed = true; break;
                    case 1110: _closes.DeliverNext(rig); break;
                    case 1700: rig.Valve.Jammed = false; break;
                    case 1710: _resets.DeliverNext(rig); break;
                    case 2300: rig.Valve.Jammed = true; break;
                    case 2800: rig.Valve.Jammed = false; break;
                    case 3000: rig.Transport.Disconnect(); break;
                    case 3050: rig.Probe!.Active = true; break;
                    case 3200: rig.Transport.Reconnect(); break;
                    case 3300: rig.Probe!.Active = false; break;
                    case 3500: _resets.DeliverNext(rig); break;
                }

                rig.Step(LeakRig.StepMs);
                if (i % 37 == 0)
                {
                    _periodic.DeliverNext(rig);
                }
            }
        }
    }
}
