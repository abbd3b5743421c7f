namespace SmartCommunity.Firmware.Tests.Devices.ManualCallPoint;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.ManualCallPoint;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>The steady-state loop must not allocate (STYLE.md §6). Measured on the net10 build.</summary>
public sealed partial class ManualCallPointTests
{
    [TestMethod]
    public void Step_SteadyStateLoopThroughActivationsAndFaults_AllocatesNothing()
    {
        ManualCallPointRig rig = new ManualCallPointRig(new ManualCallPointSettings { HeartbeatMs = 5000 }, keepMessages: false);
        CallPointTraffic traffic = new CallPointTraffic(rig);
        traffic.Run(CallPointTraffic.Cycle);
        long published = rig.Transport.PublishCount;
        long activations = rig.Point.Activations;
        long executed = rig.Point.Commands.Executed;
        long rejected = rig.Point.Commands.Rejected;

        long before = GC.GetAllocatedBytesForCurrentThread();
        traffic.Run(CallPointTraffic.Cycle * 3);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(0L, allocated, "bytes allocated by 6000 manual call point steps");
        Assert.AreEqual(activations + 3, rig.Point.Activations);
        Assert.IsGreaterThan(published + 50, rig.Transport.PublishCount);
        Assert.IsGreaterThan(executed + 10, rig.Point.Commands.Executed);
        Assert.IsGreaterThan(rejected, rig.Point.Commands.Rejected);
    }

    /// <summary>
    /// One 40 s cycle at 20 ms per step: bounce, an activation raised while offline and sent after reconnect,
    /// restore, a line fault; self-tests and unsupported commands arrive throughout.
    /// </summary>
    private sealed class CallPointTraffic
    {
        public const int Cycle = 2000;

        private readonly ManualCallPointRig _rig;
        private readonly byte[][] _commands = new byte[24][];
        private int _iteration;
        private int _nextCommand;

        public CallPointTraffic(ManualCallPointRig rig)
        {
            _rig = rig;
            for (int i = 0; i < _commands.Length; i++)
            {
                string name = i % 6 == 5 ? "reset" : "self-test";
                _commands[i] = Published.Bytes("{\"v\":1,\"id\":\"m" + i + "\",\"cmd\":\"" + name + "\"}");
            }
        }

        public void Run(int iterations)
        {
            ManualCallPointRig rig = _rig;
            string commandTopic = rig.Identity.CommandTopic;
            for (int n = 0; n < iterations; n++)
            {
                int i = _iteration++;
                long now = rig.Clock.Advance(20);
                int phase = i % Cycle;
                rig.Glass.Active = (phase >= 100 && phase < 110 && phase % 2 == 0) || (phase >= 300 && phase < 900);
                rig.LineFault!.Active = phase >= 1200 && phase < 1500;

                switch (phase)
                {
                    case 250: rig.Transport.Disconnect(); break;
                    case 400: rig.Transport.Reconnect(); break;
                }

                rig.Point.Step(now);
                if (i % 37 == 0)
                {
                    byte[] command = _commands[_nextCommand];
                    _nextCommand = (_nextCommand + 1) % _commands.Length;
                    rig.Point.HandleMessage(commandTopic, command, command.Length, now);
                }
            }
        }
    }
}
