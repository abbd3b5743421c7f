namespace SmartCommunity.Firmware.Tests.Devices.PulseMeter;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.PulseMeter;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>The steady-state loop must not allocate: see <see cref="Allocations"/>.</summary>
public sealed partial class PulseMeterTests
{
    [TestMethod]
    public void Step_SteadyStateLoopCountingSavingReportingAndAlarming_AllocatesNothing()
    {
        PulseRig rig = new PulseRig(MeterTraffic.Settings(), new FlashStore(keepHistory: false), keepMessages: false);
        MeterTraffic traffic = new MeterTraffic(rig);
        traffic.Run(MeterTraffic.Cycle);
        long pulses = rig.Meter.Channel(1).Pulses + rig.Meter.Channel(4).Pulses;
        long rejected = rig.Meter.Channel(2).Input.Rejected;
        long saves = rig.Meter.Records.Saves;
        long powerFailSaves = rig.Meter.PowerFailSaves;
        long tampers = rig.Meter.Tampers;
        long executed = rig.Meter.Commands.Executed;
        long rejectedCommands = rig.Meter.Commands.Rejected;
        long published = rig.Transport.PublishCount;
        Assert.IsGreaterThan(rig.Settings.Channel(4).StartMilli, rig.Meter.Channel(4).TotalMilli, "not wrapped before the measured cycles");

        long allocated = Allocations.During(() => traffic.Run(MeterTraffic.Cycle * 2));

        Assert.AreEqual(0L, allocated, "bytes allocated by two cycles of pulse meter steps");
        Assert.IsLessThan(rig.Settings.Channel(4).StartMilli, rig.Meter.Channel(4).TotalMilli, "channel 4's register wrapped while measured");
        Assert.IsGreaterThan(pulses + 1000, rig.Meter.Channel(1).Pulses + rig.Meter.Channel(4).Pulses);
        Assert.IsGreaterThan(rejected + 10, rig.Meter.Channel(2).Input.Rejected);
        Assert.IsGreaterThan(saves + 10, rig.Meter.Records.Saves);
        Assert.AreEqual(powerFailSaves + 2, rig.Meter.PowerFailSaves);
        Assert.AreEqual(tampers + 2, rig.Meter.Tampers);
        Assert.IsGreaterThan(executed + 20, rig.Meter.Commands.Executed);
        Assert.IsGreaterThan(rejectedCommands + 20, rig.Meter.Commands.Rejected);
        Assert.IsGreaterThan(published + 100, rig.Transport.PublishCount);
    }

    /// <summary>
    /// One 200 s cycle at 50 ms per step: pulses at the fastest S0 rate on channel 1 and slower ones on channel 4,
    /// noise on channel 2, a run of flow long enough for leak suspicion and its quiet gap, a tamper, a power-fail
    /// warning, a spell offline; self-tests and unsupported commands arrive throughout. Edges reach the meter the way
    /// the interrupt hands them over, stamped a few milliseconds before the step.
    /// </summary>
    private sealed class MeterTraffic
    {
        public const int Cycle = 4000;

        private readonly PulseRig _rig;
        private readonly CommandRotation _periodic = new CommandRotation("p", 24, i => i % 3 == 2 ? "close" : "self-test");
        private int _iteration;

        public MeterTraffic(PulseRig rig)
        {
            _rig = rig;
        }

        public static PulseMeterSettings Settings()
        {
            PulseMeterSettings s = PulseRig.FourChannels();
            s.SaveEveryMs = 5000;
            s.ReportMs = 2000;
            s.HeartbeatMs = 10000;
            s.Channel(1).QuietGapMs = 5000;
            s.Channel(1).LeakSuspicionMs = 60000;

            // Channel 4's register wraps in the measured cycles (about 200 pulses a cycle, 300 to the wrap).
            s.Channel(4).RolloverMilli = PulseMeterSettings.MinPulsesPerRollover * 1250;
            s.Channel(4).StartMilli = s.Channel(4).RolloverMilli - (300 * 1250);
            return s;
        }

        public void Run(int iterations)
        {
            PulseRig rig = _rig;
            PulseMeter meter = rig.Meter;
            for (int n = 0; n < iterations; n++)
            {
                int i = _iteration++;
                int phase = i % Cycle;
                long now = rig.Now + PulseRig.StepMs;

                // Channel 1: a 40 ms ON and 35 ms OFF would be the fastest meter; here one pulse per two steps
                // (ON from 45 ms before this step to 5 ms before it), flowing for the first 90 s of the cycle.
                if (phase < 1800 && i % 2 == 0)
                {
                    meter.Edge(1, true, now - 45);
                    meter.Edge(1, false, now - 5);
                }

                // Channel 4: a pulse every second, with bounce on its ON edge.
                if (i % 20 == 0)
                {
                    meter.Edge(4, true, now - 48);
                    meter.Edge(4, false, now - 47);
                    meter.Edge(4, true, now - 46);
                    meter.Edge(4, false, now - 8);
                }

                // Channel 2: a 12 ms noise spike every 5 s.
                if (i % 100 == 50)
                {
                    meter.Edge(2, true, now - 30);
                    meter.Edge(2, false, now - 18);
                }

                switch (phase)
                {
                    case 2000: rig.Tamper!.Active = true; break;
                    case 2040: rig.Tamper!.Active = false; break;
                    case 2500: rig.Transport.Disconnect(); break;
                    case 2700: rig.Transport.Reconnect(); break;
                    case 3000: rig.PowerFail!.Active = true; break;
                    case 3010: rig.PowerFail!.Active = false; break;
                }

                rig.Step(PulseRig.StepMs);
                if (i % 37 == 0)
                {
                    _periodic.DeliverNext(rig);
                }
            }
        }
    }
}
