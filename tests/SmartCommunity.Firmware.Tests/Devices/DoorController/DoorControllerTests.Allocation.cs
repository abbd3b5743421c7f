namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>The steady-state loop must not allocate: see <see cref="Allocations"/> (preallocated buffers in the loop).</summary>
public sealed partial class DoorControllerTests
{
    [TestMethod]
    public void Step_SteadyStateLoopWithTraffic_AllocatesNothing()
    {
        DoorRig rig = new DoorRig(new DoorSettings { HeartbeatMs = 5000 }, keepMessages: false);
        rig.MakeReady();
        DoorTraffic traffic = new DoorTraffic(rig);
        traffic.Run(3000);
        long published = rig.Transport.PublishCount;
        long writes = rig.Output.Writes;
        long executed = rig.Controller.Commands.Executed;
        long repeats = rig.Controller.Commands.Repeats;
        long rejected = rig.Controller.Commands.Rejected;
        long malformedFireStates = rig.Controller.MalformedFireStates;

        long allocated = Allocations.During(() => traffic.Run(6000));

        Assert.AreEqual(0L, allocated, "bytes allocated by 6000 door controller steps");
        Assert.IsGreaterThan(published + 500, rig.Transport.PublishCount);
        Assert.IsGreaterThan(writes + 10, rig.Output.Writes);
        Assert.IsGreaterThan(executed + 50, rig.Controller.Commands.Executed);
        Assert.IsGreaterThan(repeats, rig.Controller.Commands.Repeats);
        Assert.IsGreaterThan(rejected, rig.Controller.Commands.Rejected);
        Assert.IsGreaterThan(malformedFireStates, rig.Controller.MalformedFireStates);
    }

    /// <summary>Drives a door through fire input changes, door movements, fire states, commands and reconnects without allocating.</summary>
    private sealed class DoorTraffic
    {
        private readonly DoorRig _rig;
        private readonly CommandRotation _commands;
        private readonly byte[] _fireClear = Published.Bytes("{\"v\":1,\"state\":\"clear\"}");
        private readonly byte[] _fireAlarm = Published.Bytes("{\"v\":1,\"state\":\"alarm\"}");
        private readonly byte[] _fireMalformed = Published.Bytes("{\"v\":1,\"state\":");
        private int _iteration;

        public DoorTraffic(DoorRig rig)
        {
            _rig = rig;
            List<byte[]> commands = new List<byte[]>();
            for (int i = 0; i < 40; i++)
            {
                string name = i % 5 == 4 ? "self-test" : i % 2 == 0 ? "release" : "reset";
                byte[] command = DeviceRig.CommandPayload("a" + i, name, ",\"ctr\":" + i);
                commands.Add(command);
                if (i % 10 == 3)
                {
                    commands.Add(command);
                }
            }

            commands.Add(DeviceRig.CommandPayload("late", "release", ",\"boot\":" + DoorRig.Boot + ",\"exp\":1"));
            commands.Add(DeviceRig.CommandPayload("bad", "launch"));
            commands.Add(Published.Bytes("{\"v\":1,\"id\":"));
            _commands = new CommandRotation(commands.ToArray());
        }

        public void Run(int iterations)
        {
            DoorRig rig = _rig;
            string fireTopic = rig.Identity.FireStateTopic;
            for (int n = 0; n < iterations; n++)
            {
                int i = _iteration++;
                switch (i % 500)
                {
                    case 0: rig.FireInput.Active = true; break;
                    case 100: rig.FireInput.Active = false; break;
                }

                switch (i % 300)
                {
                    case 0: rig.DoorContact!.Active = false; break;
                    case 150: rig.DoorContact!.Active = true; break;
                }

                switch (i % 2500)
                {
                    case 1200: rig.Transport.Disconnect(); break;
                    case 1300: rig.Transport.Reconnect(); break;
                }

                rig.Step(20);

                switch (i % 700)
                {
                    case 200: rig.Deliver(fireTopic, _fireAlarm); break;
                    case 260: rig.Deliver(fireTopic, _fireClear); break;
                    case 400: rig.Deliver(fireTopic, _fireMalformed); break;
                }

                if (i % 13 == 0)
                {
                    _commands.DeliverNext(rig);
                }
            }
        }
    }
}
