namespace SmartCommunity.Firmware.Tests.Devices.EmergencyCallPoint;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.EmergencyCallPoint;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>The steady-state loop must not allocate (see <see cref="Allocations"/>), call ids included.</summary>
public sealed partial class EmergencyCallPointTests
{
    [TestMethod]
    public void Step_SteadyStateLoopThroughCallsWelfareAndCancels_AllocatesNothing()
    {
        EmergencyCallPointRig rig = new EmergencyCallPointRig(new EmergencyCallPointSettings { HeartbeatMs = 5000 }, keepMessages: false);
        CallTraffic traffic = new CallTraffic(rig);
        traffic.Run(CallTraffic.Cycle);
        long published = rig.Transport.PublishCount;
        long calls = rig.Point.Calls;
        long executed = rig.Point.Commands.Executed;
        long rejected = rig.Point.Commands.Rejected;
        long sounderWrites = rig.Sounder.Writes;

        long allocated = Allocations.During(() => traffic.Run(CallTraffic.Cycle * 3));

        Assert.AreEqual(0L, allocated, "bytes allocated by 6000 emergency call point steps");
        Assert.AreEqual(calls + 12, rig.Point.Calls, "three button calls and one welfare call per cycle");
        Assert.IsGreaterThan(published + 100, rig.Transport.PublishCount);
        Assert.IsGreaterThan(executed + 15, rig.Point.Commands.Executed);
        Assert.IsGreaterThan(rejected, rig.Point.Commands.Rejected);
        Assert.AreEqual(sounderWrites + 12, rig.Sounder.Writes, "on and off for two sounded calls per cycle");
        Assert.AreEqual(EmergencyCallState.Idle, rig.Point.CallState);
    }

    /// <summary>
    /// One cycle of 2000 steps of 20 ms (plus one jump of the no-activity window): a call received, sounded and
    /// handled; a call cancelled while offline and sent after reconnect; a welfare call cleared by movement; a
    /// call handled before it was received; stale commands and self-tests. The commands name the live call ids.
    /// </summary>
    private sealed class CallTraffic
    {
        public const int Cycle = 2000;
        private const int MaxCalls = 40;

        private readonly EmergencyCallPointRig _rig;
        private readonly byte[][] _received = new byte[MaxCalls + 1][];
        private readonly byte[][] _sound = new byte[MaxCalls + 1][];
        private readonly byte[][] _handled = new byte[MaxCalls + 1][];
        private readonly byte[][] _stale = new byte[MaxCalls + 1][];
        private readonly byte[][] _selfTest = new byte[MaxCalls + 1][];
        private int _iteration;

        public CallTraffic(EmergencyCallPointRig rig)
        {
            _rig = rig;
            for (int n = 1; n <= MaxCalls; n++)
            {
                string call = EmergencyCallPointRig.CallField(EmergencyCallPointRig.Boot + "-" + n);
                _received[n] = DeviceRig.CommandPayload("r" + n, "call-received", call);
                _sound[n] = DeviceRig.CommandPayload("s" + n, "sound", call);
                _handled[n] = DeviceRig.CommandPayload("h" + n, "call-handled", call);
                _stale[n] = DeviceRig.CommandPayload("x" + n, "sound", EmergencyCallPointRig.CallField("1-1"));
                _selfTest[n] = DeviceRig.CommandPayload("t" + n, "self-test");
            }
        }

        public void Run(int iterations)
        {
            EmergencyCallPointRig rig = _rig;
            string commandTopic = rig.Identity.CommandTopic;
            for (int k = 0; k < iterations; k++)
            {
                int phase = _iteration++ % Cycle;
                rig.CallButton.Active = (phase >= 10 && phase < 15) || (phase >= 850 && phase < 855) || (phase >= 1400 && phase < 1405);
                rig.CancelButton.Active = phase >= 950 && phase < 955;
                rig.Motion!.Active = phase >= 1300 && phase < 1303;

                switch (phase)
                {
                    case 900: rig.Transport.Disconnect(); break;
                    case 1000: rig.Transport.Reconnect(); break;
                }

                rig.Step(phase == 1200 ? rig.Point.NoActivityMs : 20);

                int n = (int)rig.Point.Calls;
                switch (phase)
                {
                    case 100: rig.Deliver(commandTopic, _received[n]); break;
                    case 101: rig.Deliver(commandTopic, _received[n]); break;
                    case 200: rig.Deliver(commandTopic, _sound[n]); break;
                    case 300: rig.Deliver(commandTopic, _handled[n]); break;
                    case 1100: rig.Deliver(commandTopic, _stale[n]); break;
                    case 1110: rig.Deliver(commandTopic, _selfTest[n]); break;
                    case 1250: rig.Deliver(commandTopic, _received[n]); break;
                    case 1260: rig.Deliver(commandTopic, _sound[n]); break;
                    case 1450: rig.Deliver(commandTopic, _handled[n]); break;
                }
            }
        }
    }
}
