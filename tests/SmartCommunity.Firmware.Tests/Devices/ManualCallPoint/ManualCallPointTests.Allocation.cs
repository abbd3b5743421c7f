namespace SmartCommunity.Firmware.Tests.Devices.ManualCallPoint;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.ManualCallPoint;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>The steady-state loop must not allocate: see <see cref="Allocations"/>.</summary>
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

        long allocated = Allocations.During(() => traffic.Run(CallPointTraffic.Cycle * 3));

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
        private readonly CommandRotation _commands = new CommandRotation("m", 24, i => i % 6 == 5 ? "reset" : "self-test");
        private int _iteration;

        public CallPointTraffic(ManualCallPointRig rig)
        {
            _rig = rig;
        }

        public void Run(int iterations)
        {
            ManualCallPointRig rig = _rig;
            for (int n = 0; n < iterations; n++)
            {
                int i = _iteration++;
                int phase = i % Cycle;
                rig.Glass.Active = (phase >= 100 && phase < 110 && phase % 2 == 0) || (phase >= 300 && phase < 900);
                rig.LineFault!.Active = phase >= 1200 && phase < 1500;

                switch (phase)
                {
                    case 250: rig.Transport.Disconnect(); break;
                    case 400: rig.Transport.Reconnect(); break;
                }

                rig.Step(20);
                if (i % 37 == 0)
                {
                    _commands.DeliverNext(rig);
                }
            }
        }
    }
}
