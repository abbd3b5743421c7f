namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Collections.Generic;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Protocol.Crypto;

/// <summary>A door that holds a command key (hardware-docs/protocol.md §4.5).</summary>
public sealed partial class DoorControllerTests
{
    private static readonly byte[] DoorKey = SignedCommands.KeyOf(0x21);

    [TestMethod]
    public void Step_FireInputWhileEveryCommandIsRefusedBadMac_DoorReleasesOnItsOwnInput()
    {
        DoorRig rig = new DoorRig();
        rig.Controller.Commands.Keys.Configure(1, DoorKey, 0, rig.Store);
        rig.MakeReady();
        Assert.IsTrue(rig.Output.Energised, "secured before the fire");
        CommandKey forger = SignedCommands.Key(1, SignedCommands.KeyOf(0x99));

        rig.FireInput.Active = true;
        rig.Step();
        for (int i = 0; i < 20; i++)
        {
            // Forged locks and resets, and unsigned ones, all the while the fire input stands.
            rig.Deliver(rig.Identity.CommandTopic, SignedCommands.Signed(forger, "f" + i, i % 2 == 0 ? "lock" : "reset", 1000 + i, DoorRig.Boot, 10_000_000));
            rig.Deliver(rig.Identity.CommandTopic, SignedCommands.Unsigned("u" + i, "lock", 2000 + i, DoorRig.Boot, 10_000_000));
            rig.Step(10);
        }

        Assert.IsFalse(rig.Output.Energised, "the fire input releases the door with no command at all");
        Assert.AreEqual(40L, rig.Controller.Commands.BadMacs);
        Assert.AreEqual(0L, rig.Controller.Commands.Executed);
        JsonElement state = rig.FreshState();
        Assert.AreEqual(40L, state.GetProperty("badMacs").GetInt64());
        Assert.IsFalse(state.TryGetProperty("replayedCommands", out _), "a counter still at zero is left out");
    }

    [TestMethod]
    public void Step_SteadyStateLoopWithSignedCommands_AllocatesNothing()
    {
        DoorRig rig = new DoorRig(new DoorSettings { HeartbeatMs = 5000 }, keepMessages: false);
        rig.Controller.Commands.Keys.Configure(1, DoorKey, 0, null);
        rig.MakeReady();
        CommandKey key = SignedCommands.Key(1, DoorKey);
        CommandKey forger = SignedCommands.Key(1, SignedCommands.KeyOf(0x99));

        // Built up front: fresh commands, retries of recent ones, forgeries and replays of old ones.
        List<byte[]> commands = new List<byte[]>();
        for (int i = 0; i < 600; i++)
        {
            string name = i % 5 == 4 ? "self-test" : i % 2 == 0 ? "release" : "reset";
            byte[] fresh = SignedCommands.Signed(key, "s" + i, name, 1000 + i, DoorRig.Boot, 100_000_000);
            commands.Add(fresh);
            switch (i % 4)
            {
                case 1: commands.Add(fresh); break;
                case 2: commands.Add(SignedCommands.Signed(forger, "x" + i, "lock", 5000 + i, DoorRig.Boot, 100_000_000)); break;
                case 3: commands.Add(commands[i / 2]); break;
            }
        }

        int next = 0;
        void Run(int count)
        {
            for (int n = 0; n < count; n++)
            {
                rig.Step(20);
                byte[] payload = commands[next++];
                rig.Deliver(rig.Identity.CommandTopic, payload);
            }
        }

        Run(300);
        long executed = rig.Controller.Commands.Executed;
        long repeats = rig.Controller.Commands.Repeats;
        long badMacs = rig.Controller.Commands.BadMacs;
        long replays = rig.Controller.Commands.Replays;

        long allocated = Allocations.During(() => Run(commands.Count - 300));

        Assert.AreEqual(0L, allocated, "bytes allocated by the door while checking signed commands");
        Assert.IsGreaterThan(executed + 300, rig.Controller.Commands.Executed);
        Assert.IsGreaterThan(repeats + 50, rig.Controller.Commands.Repeats);
        Assert.IsGreaterThan(badMacs + 50, rig.Controller.Commands.BadMacs);
        Assert.IsGreaterThan(replays + 50, rig.Controller.Commands.Replays);
    }
}
