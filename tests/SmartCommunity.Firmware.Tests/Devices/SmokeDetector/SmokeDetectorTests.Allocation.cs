namespace SmartCommunity.Firmware.Tests.Devices.SmokeDetector;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>The steady-state loop must not allocate: see <see cref="Allocations"/>.</summary>
public sealed partial class SmokeDetectorTests
{
    [TestMethod]
    public void Step_SteadyStateLoopThroughAlarmsHushTestsBatteryAndFaults_AllocatesNothing()
    {
        SmokeRig rig = new SmokeRig(SmokeTraffic.Settings(), keepMessages: false);
        SmokeTraffic traffic = new SmokeTraffic(rig);
        traffic.Run(SmokeTraffic.Cycle);
        long published = rig.Transport.PublishCount;
        long alarms = rig.Detector.Alarms;
        long hushes = rig.Detector.Hushes;
        long tests = rig.Detector.Tests;
        long sounderWrites = rig.Sounder.Writes;
        long executed = rig.Detector.Commands.Executed;
        long rejected = rig.Detector.Commands.Rejected;
        traffic.ForgetObservations();

        long allocated = Allocations.During(() => traffic.Run(SmokeTraffic.Cycle * 3));

        Assert.AreEqual(0L, allocated, "bytes allocated by 9000 smoke detector steps");
        Assert.AreEqual(alarms + 3, rig.Detector.Alarms);
        Assert.AreEqual(hushes + 3, rig.Detector.Hushes);
        Assert.AreEqual(tests + 3, rig.Detector.Tests);
        Assert.AreEqual(SmokeTraffic.AllFaults, traffic.FaultsSeen, "every fault kind raised in each cycle");
        Assert.IsTrue(traffic.LowBatterySeen);
        Assert.IsGreaterThan(sounderWrites + 30, rig.Sounder.Writes);
        Assert.IsGreaterThan(published + 150, rig.Transport.PublishCount);
        Assert.IsGreaterThan(executed + 10, rig.Detector.Commands.Executed);
        Assert.IsGreaterThan(rejected, rig.Detector.Commands.Rejected);
    }

    /// <summary>
    /// One 60 s cycle at 20 ms per step, with times shortened so every path runs: clean air, a short spike, a
    /// confirmed alarm raised while offline and hushed, restore, an open circuit, a short circuit, a stuck reading,
    /// a dirty chamber, a test, and a low battery for half the cycle; self-tests and door commands throughout.
    /// </summary>
    private sealed class SmokeTraffic
    {
        public const int Cycle = 3000;

        public const int AllFaults = SmokeFaults.OpenCircuit | SmokeFaults.ShortCircuit | SmokeFaults.SensorStuck | SmokeFaults.DirtyChamber;

        private readonly SmokeRig _rig;
        private readonly CommandRotation _commands = new CommandRotation("s", 24, i => i % 6 == 5 ? "release" : "self-test");
        private int _iteration;

        public SmokeTraffic(SmokeRig rig)
        {
            _rig = rig;
        }

        /// <summary>Every fault bit seen standing since the last <see cref="ForgetObservations"/>.</summary>
        public int FaultsSeen { get; private set; }

        public bool LowBatterySeen { get; private set; }

        public void ForgetObservations()
        {
            FaultsSeen = 0;
            LowBatterySeen = false;
        }

        public static SmokeDetectorSettings Settings() => new SmokeDetectorSettings
        {
            StuckAfterMs = 3000,
            BaselineTimeConstantMs = 500,
            DirtyChamberConfirmMs = 2000,
            BatteryDebounceMs = 500,
            ChirpEveryMs = 2000,
            HushMs = 4000,
            TestMs = 2000,
            HeartbeatMs = 5000,
        };

        public void Run(int iterations)
        {
            SmokeRig rig = _rig;
            for (int n = 0; n < iterations; n++)
            {
                int i = _iteration++;
                int phase = i % Cycle;
                int wobble = i % 2;
                rig.Head.Value = phase < 200 ? SmokeRig.CleanAir + wobble
                    : phase < 230 ? SmokeRig.Smoke
                    : phase < 300 ? SmokeRig.CleanAir + wobble
                    : phase < 800 ? SmokeRig.LightSmoke + wobble
                    : phase < 1400 ? SmokeRig.CleanAir + wobble
                    : phase < 1600 ? 5
                    : phase < 1700 ? SmokeRig.CleanAir + wobble
                    : phase < 1900 ? 1020
                    : phase < 2200 ? SmokeRig.CleanAir
                    : phase < 2500 ? 500 + wobble
                    : SmokeRig.CleanAir + wobble;

                switch (phase)
                {
                    case 420: rig.Transport.Disconnect(); break;
                    case 480: rig.Transport.Reconnect(); break;
                    case 500: rig.HushButton.Active = true; break;
                    case 510: rig.HushButton.Active = false; break;
                    case 2600: rig.TestButton.Active = true; break;
                    case 2610: rig.TestButton.Active = false; break;
                    case 0: rig.Battery.Active = true; break;
                    case 1500: rig.Battery.Active = false; break;
                }

                rig.Step(20);
                FaultsSeen |= rig.Detector.Faults;
                LowBatterySeen |= rig.Detector.IsBatteryLow;
                if (i % 37 == 0)
                {
                    _commands.DeliverNext(rig);
                }
            }
        }
    }
}
