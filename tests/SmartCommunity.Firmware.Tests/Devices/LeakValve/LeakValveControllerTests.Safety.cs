namespace SmartCommunity.Firmware.Tests.Devices.LeakValve;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.LeakValve;

/// <summary>
/// The valve's safety rules checked over long random runs rather than hand-picked cases: a valve that was closed
/// (by a leak, a close command, or found closed at boot) is never driven open until a person has asked for a reset
/// (button or command) while the probe was dry, and the motor outputs are never energised together (the rig
/// checks that after every call). Resets made while the transport is offline count too, so the bookkeeping
/// follows what the test did, not what the device published.
/// </summary>
public sealed partial class LeakValveControllerTests
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    [DataRow(4)]
    public void Step_RandomLeaksCommandsButtonsAndFaults_NeverReopensWithoutAPersonsReset(int seed)
    {
        Random random = new Random(seed);
        LeakValveSettings settings = new LeakValveSettings
        {
            ExerciseIntervalMs = 20_000,
            TravelMs = 8000,
            CloseRetryPauseMs = 3000,
            LeakConfirmMs = 500,
            DryConfirmMs = 2000,
        };
        LeakRig rig = new LeakRig(settings, start: seed % 2 == 0 ? ValveStart.Closed : ValveStart.Open);
        bool held = rig.Controller.ClosedBy.Length > 0;
        int lastButtonActivity = -100;
        int releases = 0;
        int drivenOpenWhileFree = 0;
        int buttonUntil = -1;

        for (int i = 0; i < 40_000; i++)
        {
            bool heldByDevice = rig.Controller.ClosedBy.Length > 0;
            bool resetSent = false;
            int roll = random.Next(1000);
            if (roll < 4)
            {
                rig.Probe!.Active = !rig.Probe.Active;
            }
            else if (roll < 6)
            {
                rig.Button!.Active = true;
                buttonUntil = i + 4;
            }
            else if (roll < 8)
            {
                rig.Command("c" + i, "close");
                held = true;
            }
            else if (roll < 11)
            {
                rig.Command("r" + i, "reset");
                resetSent = true;
            }
            else if (roll < 12)
            {
                rig.Valve.Jammed = !rig.Valve.Jammed;
            }
            else if (roll < 13)
            {
                if (rig.Transport.IsConnected)
                {
                    rig.Transport.Disconnect();
                }
                else
                {
                    rig.Transport.Reconnect();
                }
            }

            if (i == buttonUntil)
            {
                rig.Button!.Active = false;
            }

            if (rig.Button!.Active || i == buttonUntil)
            {
                lastButtonActivity = i;
            }

            rig.Step(LeakRig.StepMs);

            if (heldByDevice && rig.Controller.ClosedBy.Length == 0)
            {
                // The device let go: only a person may have caused that, and only with the probe dry.
                bool personActed = resetSent || i - lastButtonActivity <= 8;
                Assert.IsTrue(personActed, "released without a person at " + rig.Now + " ms (seed " + seed + ")");
                Assert.IsFalse(rig.Probe!.Active, "released while the probe reads water (seed " + seed + ")");
                held = false;
                releases++;
            }

            if (rig.Controller.IsLeak)
            {
                held = true;
            }

            if (held && rig.Valve.DriveOpen.Energised)
            {
                Assert.Fail("driven open while held closed, at " + rig.Now + " ms (seed " + seed + ")");
            }

            if (!held && rig.Valve.DriveOpen.Energised)
            {
                drivenOpenWhileFree++;
            }
        }

        // The run must have reached both sides, or it proved nothing.
        Assert.IsGreaterThan(0, releases);
        Assert.IsGreaterThan(0, drivenOpenWhileFree);
        Assert.IsGreaterThan(0L, rig.Controller.Leaks);
        Assert.IsGreaterThan(0L, rig.Controller.StuckMoves);
        Assert.IsGreaterThan(0L, rig.Controller.Exercises);
    }
}
