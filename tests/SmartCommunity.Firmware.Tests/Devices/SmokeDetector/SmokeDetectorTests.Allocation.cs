namespace SmartCommunity.Firmware.Tests.Devices.SmokeDetector;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>The steady-state loop must not allocate (STYLE.md §6). Measured on the net10 build.</summary>
public sealed partial class SmokeDetectorTests
{
    [TestMethod]
    public void Step_SteadyStateLoopThroughAlarmsAndFaults_AllocatesNothing()
    {
        SmokeRig rig = new SmokeRig(keepMessages: false);
        SmokeTraffic traffic = new SmokeTraffic(rig);
        traffic.Run(SmokeTraffic.Cycle);
        long published = rig.Transport.PublishCount;
        long alarms = rig.Detector.Alarms;
        long executed = rig.Detector.Commands.Executed;
        long rejected = rig.Detector.Commands.Rejected;

        long before = GC.GetAllocatedBytesForCurrentThread();
        traffic.Run(SmokeTraffic.Cycle * 3);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(0L, allocated, "bytes allocated by 6000 smoke detector steps");
        Assert.AreEqual(alarms + 3, rig.Detector.Alarms);
        Assert.IsGreaterThan(published + 100, rig.Transport.PublishCount);
        Assert.IsGreaterThan(executed + 10, rig.Detector.Commands.Executed);
        Assert.IsGreaterThan(rejected, rig.Detector.Commands.Rejected);
    }

    /// <summary>
    /// One 40 s cycle at 20 ms per step: clean air, a short spike, a confirmed alarm raised while offline,
    /// restore, an open circuit and a short circuit; self-tests and door commands arrive throughout.
    /// </summary>
    private sealed class SmokeTraffic
    {
        public const int Cycle = 2000;

        private readonly SmokeRig _rig;
        private readonly byte[][] _commands = new byte[24][];
        private int _iteration;
        private int _nextCommand;

        public SmokeTraffic(SmokeRig rig)
        {
            _rig = rig;
            for (int i = 0; i < _commands.Length; i++)
            {
                string name = i % 6 == 5 ? "release" : "self-test";
                _commands[i] = Published.Bytes("{\"v\":1,\"id\":\"s" + i + "\",\"cmd\":\"" + name + "\"}");
            }
        }

        public void Run(int iterations)
        {
            SmokeRig rig = _rig;
            string commandTopic = rig.Identity.CommandTopic;
            for (int n = 0; n < iterations; n++)
            {
                int i = _iteration++;
                long now = rig.Clock.Advance(20);
                int phase = i % Cycle;
                rig.Head.Value = phase < 200 ? SmokeRig.CleanAir
                    : phase < 230 ? SmokeRig.Smoke
                    : phase < 300 ? SmokeRig.CleanAir
                    : phase < 550 ? SmokeRig.Smoke
                    : phase < 1200 ? SmokeRig.CleanAir
                    : phase < 1400 ? 5
                    : phase < 1500 ? SmokeRig.CleanAir
                    : phase < 1700 ? 1020
                    : SmokeRig.CleanAir;

                switch (phase)
                {
                    case 420: rig.Transport.Disconnect(); break;
                    case 480: rig.Transport.Reconnect(); break;
                }

                rig.Detector.Step(now);
                if (i % 37 == 0)
                {
                    byte[] command = _commands[_nextCommand];
                    _nextCommand = (_nextCommand + 1) % _commands.Length;
                    rig.Detector.HandleMessage(commandTopic, command, command.Length, now);
                }
            }
        }
    }
}
