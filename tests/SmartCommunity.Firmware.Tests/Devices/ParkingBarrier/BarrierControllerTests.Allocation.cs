namespace SmartCommunity.Firmware.Tests.Devices.ParkingBarrier;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.ParkingBarrier;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>The steady-state loop must not allocate: see <see cref="Allocations"/>.</summary>
public sealed partial class BarrierControllerTests
{
    [TestMethod]
    public void Step_SteadyStateLoopThroughPassagesObstaclesFaultsAndEvacuations_AllocatesNothing()
    {
        BarrierRig rig = new BarrierRig(keepMessages: false);
        BarrierTraffic traffic = new BarrierTraffic(rig);
        traffic.Run(BarrierTraffic.Cycle);
        long vehiclesIn = rig.Controller.VehiclesIn;
        long vehiclesOut = rig.Controller.VehiclesOut;
        long obstacles = rig.Controller.Obstacles;
        long faults = rig.Controller.Faults;
        long closeWrites = rig.DriveClose.Writes;
        long published = rig.Transport.PublishCount;
        long rejected = rig.Controller.Commands.Rejected;
        int signals = rig.Reader.Signals;

        long allocated = Allocations.During(() => traffic.Run(BarrierTraffic.Cycle * 2));

        Assert.AreEqual(0L, allocated, "bytes allocated by two cycles of barrier steps");
        Assert.AreEqual(vehiclesIn + 2, rig.Controller.VehiclesIn);
        Assert.AreEqual(vehiclesOut + 2, rig.Controller.VehiclesOut);
        Assert.IsGreaterThan(obstacles + 1, rig.Controller.Obstacles);
        Assert.AreEqual(faults + 2, rig.Controller.Faults);
        Assert.IsGreaterThan(closeWrites + 6, rig.DriveClose.Writes);
        Assert.IsGreaterThan(rejected + 4, rig.Controller.Commands.Rejected);
        Assert.IsGreaterThan(published + 50, rig.Transport.PublishCount);
        Assert.AreEqual(signals + 2, rig.Reader.Signals, "each cycle's entry request was answered");
        Assert.AreEqual(BarrierState.Closed, rig.Controller.State, "each cycle ends closed");
    }

    /// <summary>
    /// One 60 s cycle at 50 ms per step: a card read answered by the edge (open or deny in turn), an entry with auto-close, an exit, an obstacle while closing, a sensor fault
    /// with a refused remote close and a hold-to-run close, a fire alarm with a refused reset and a reset after the
    /// all-clear, and a jammed arm; self-tests arrive throughout.
    /// </summary>
    private sealed class BarrierTraffic
    {
        public const int Cycle = 1200;

        private static readonly byte[] FireAlarm = Published.Bytes("{\"v\":1,\"state\":\"alarm\"}");
        private static readonly byte[] FireClear = Published.Bytes("{\"v\":1,\"state\":\"clear\"}");

        private readonly BarrierRig _rig;
        private readonly CommandRotation _opens = new CommandRotation("o", 8, _ => "open");
        private readonly CommandRotation _closes = new CommandRotation("c", 8, _ => "close");
        private readonly CommandRotation _resets = new CommandRotation("r", 8, _ => "reset");
        private readonly CommandRotation _periodic = new CommandRotation("p", 8, _ => "self-test");

        // Entry requests are numbered per boot: the i-th read is request i + 1.
        private readonly CommandRotation _answers = new CommandRotation(AnswerPayloads());
        private int _iteration;

        public BarrierTraffic(BarrierRig rig)
        {
            _rig = rig;
        }

        private static byte[][] AnswerPayloads()
        {
            byte[][] payloads = new byte[8][];
            for (int i = 0; i < payloads.Length; i++)
            {
                payloads[i] = DeviceRig.CommandPayload("e" + i, i % 2 == 0 ? "open" : "deny", ",\"req\":" + (i + 1));
            }

            return payloads;
        }

        public void Run(int iterations)
        {
            BarrierRig rig = _rig;
            for (int n = 0; n < iterations; n++)
            {
                int i = _iteration++;
                switch (i % Cycle)
                {
                    case 20: rig.Reader.Present(4_468_004); break;
                    case 25: _answers.DeliverNext(rig); break;
                    case 30: _opens.DeliverNext(rig); break;
                    case 100: rig.Arming.Active = true; break;
                    case 110: rig.Presence.Active = true; break;
                    case 120: rig.Arming.Active = false; rig.Closing.Active = true; break;
                    case 130: rig.Presence.Active = false; break;
                    case 140: rig.Closing.Active = false; break;
                    case 200: rig.OpenInput.Active = true; break;
                    case 204: rig.OpenInput.Active = false; break;
                    case 260: rig.Closing.Active = true; break;
                    case 270: rig.Presence.Active = true; break;
                    case 280: rig.Closing.Active = false; rig.Arming.Active = true; break;
                    case 290: rig.Presence.Active = false; break;
                    case 300: rig.Arming.Active = false; break;
                    case 350: _opens.DeliverNext(rig); break;
                    case 420: _closes.DeliverNext(rig); break;
                    case 440: rig.Safety.Active = true; break;
                    case 450: rig.Safety.Active = false; break;
                    case 520: rig.SensorOk.Active = false; break;
                    case 530: _closes.DeliverNext(rig); break;
                    case 540: rig.CloseButton.Active = true; break;
                    case 640: rig.CloseButton.Active = false; break;
                    case 650: rig.SensorOk.Active = true; break;
                    case 700: rig.Deliver(rig.Identity.FireStateTopic, FireAlarm); break;
                    case 760: _resets.DeliverNext(rig); break;
                    case 770: _closes.DeliverNext(rig); break;
                    case 800: rig.Deliver(rig.Identity.FireStateTopic, FireClear); break;
                    case 810: _resets.DeliverNext(rig); break;
                    case 820: _closes.DeliverNext(rig); break;
                    case 900: rig.Jammed = true; _opens.DeliverNext(rig); break;
                    case 1080: rig.Jammed = false; _resets.DeliverNext(rig); break;
                    case 1130: _closes.DeliverNext(rig); break;
                }

                rig.Step(BarrierRig.StepMs);
                if (i % 97 == 0)
                {
                    _periodic.DeliverNext(rig);
                }
            }
        }
    }
}
