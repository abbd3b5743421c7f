namespace SmartCommunity.Firmware.Tests.Devices.ParkingBarrier;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.ParkingBarrier;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>
/// Exhaustive search (hardware-docs/parking-barrier.md, "The invariant and how it is proved"): every sequence of
/// <see cref="Depth"/> events over an alphabet of <see cref="Alphabet"/> events, from each of two starting points,
/// replayed from scratch. After every step the rig checks that the close output is off whenever the presence loop or
/// the safety input is active, that the two motor outputs are never on together, and that a latched evacuation
/// never closes.
/// </summary>
public sealed partial class BarrierControllerTests
{
    private const int Alphabet = 10;
    private const int Depth = 6;

    /// <summary>Tick length: long enough for a full arm travel and the auto-close delay, short enough to stop midway.</summary>
    private const long TickMs = 1500;

    [TestMethod]
    public void Search_AllSequencesOfTenEventsToDepthSix_InvariantsHoldAfterEveryStep()
    {
        byte[][][] commands = new byte[Depth][][];
        string[] names = { "open", "close", "evacuate", "reset" };
        for (int d = 0; d < Depth; d++)
        {
            commands[d] = new byte[names.Length][];
            for (int c = 0; c < names.Length; c++)
            {
                commands[d][c] = DeviceRig.CommandPayload("s" + d + c, names[c]);
            }
        }

        int[] sequence = new int[Depth];
        long sequences = 0;
        long closes = 0;
        foreach (bool startOpen in new[] { false, true })
        {
            int total = 1;
            for (int d = 0; d < Depth; d++)
            {
                total *= Alphabet;
            }

            for (int n = 0; n < total; n++)
            {
                int code = n;
                for (int d = 0; d < Depth; d++)
                {
                    sequence[d] = code % Alphabet;
                    code /= Alphabet;
                }

                BarrierRig rig = new BarrierRig(keepMessages: false, startOpen: startOpen);
                rig.Run(rig.Settings.SensorRecoverMs + BarrierRig.StepMs);
                for (int d = 0; d < Depth; d++)
                {
                    Apply(rig, sequence[d], commands[d]);
                    BarrierRig.Check(rig);
                }

                if (rig.DriveClose.Writes > 1)
                {
                    closes++;
                }

                sequences++;
            }
        }

        Assert.AreEqual(2L * 1_000_000, sequences);
        Assert.IsGreaterThan(1000L, closes, "the search must reach closing states, or it proves nothing");
    }

    /// <summary>
    /// The alphabet: toggle presence loop, safety input, sensor health, close button or closing loop; commands open,
    /// close, evacuate, reset; a clock tick of <see cref="TickMs"/>.
    /// </summary>
    private static void Apply(BarrierRig rig, int evt, byte[][] commands)
    {
        switch (evt)
        {
            case 0: rig.Presence.Active = !rig.Presence.Active; rig.Step(BarrierRig.StepMs); break;
            case 1: rig.Safety.Active = !rig.Safety.Active; rig.Step(BarrierRig.StepMs); break;
            case 2: rig.SensorOk.Active = !rig.SensorOk.Active; rig.Step(BarrierRig.StepMs); break;
            case 3: rig.CloseButton.Active = !rig.CloseButton.Active; rig.Step(BarrierRig.StepMs); break;
            case 4: rig.Deliver(rig.Identity.CommandTopic, commands[0]); break;
            case 5: rig.Deliver(rig.Identity.CommandTopic, commands[1]); break;
            case 6: rig.Deliver(rig.Identity.CommandTopic, commands[2]); break;
            case 7: rig.Deliver(rig.Identity.CommandTopic, commands[3]); break;
            case 8: rig.Closing.Active = !rig.Closing.Active; rig.Step(BarrierRig.StepMs); break;
            default: rig.Run(TickMs); break;
        }
    }
}
