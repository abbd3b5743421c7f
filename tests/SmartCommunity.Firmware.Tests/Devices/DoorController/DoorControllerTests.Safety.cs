namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System;
using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Protocol;

/// <summary>
/// The door's safety invariant (hardware-docs/door-controller.md, rules R1–R3) checked over many input
/// sequences rather than hand-picked ones: after any call into the controller, the output is never energised
/// while the fire input is active or the last valid building fire state is not "clear".
/// </summary>
public sealed partial class DoorControllerTests
{
    private static readonly string[] ExhaustiveOperations = { "fire-on", "fire-off", "clear", "alarm", "release", "reset", "lock", "unlock", "wait" };

    private static readonly string[] RandomCommands = { "release", "reset", "lock", "unlock" };

    [TestMethod]
    public void Step_EveryShortSequenceFromNormalOperation_NeverEnergisedDuringAFireCondition()
    {
        const int length = 5;
        int sequences = (int)Math.Pow(ExhaustiveOperations.Length, length);
        int[] operations = new int[length];
        int energisedAfterwards = 0;

        for (int sequence = 0; sequence < sequences; sequence++)
        {
            int code = sequence;
            for (int i = 0; i < length; i++)
            {
                operations[i] = code % ExhaustiveOperations.Length;
                code /= ExhaustiveOperations.Length;
            }

            DoorRig rig = new DoorRig(keepMessages: false);
            rig.MakeReady();
            FireState building = FireState.Clear;
            for (int i = 0; i < length; i++)
            {
                building = ApplyExhaustive(rig, operations[i], i, building);
                if (Violates(rig, building))
                {
                    Assert.Fail("energised during a fire condition after: " + Describe(operations, i));
                }
            }

            if (rig.Output.Energised)
            {
                energisedAfterwards++;
            }
        }

        // The search must reach both outcomes, or it proved nothing.
        Assert.IsGreaterThan(0, energisedAfterwards);
        Assert.IsLessThan(sequences, energisedAfterwards);
    }

    [TestMethod]
    public void Step_SeededRandomSequencesFromBoot_NeverEnergisedDuringAFireCondition()
    {
        Random random = new Random(4242);
        List<string> trace = new List<string>();
        int energisedChecks = 0;
        int checks = 0;

        for (int run = 0; run < 300; run++)
        {
            DoorRig rig = new DoorRig(keepMessages: false);
            FireState building = FireState.Unknown;
            List<string> usedIds = new List<string>();
            trace.Clear();

            for (int step = 0; step < 120; step++)
            {
                bool calledDevice = true;
                int choice = random.Next(16);
                switch (choice)
                {
                    case 0:
                        rig.FireInput.Active = !rig.FireInput.Active;
                        calledDevice = false;
                        trace.Add(rig.FireInput.Active ? "fire-input on" : "fire-input off");
                        break;
                    case 1:
                        rig.FireState("clear");
                        building = FireState.Clear;
                        trace.Add("fire clear");
                        break;
                    case 2:
                        rig.FireState("alarm");
                        building = FireState.Alarm;
                        trace.Add("fire alarm");
                        break;
                    case 3:
                        rig.Deliver(rig.Identity.FireStateTopic, random.Next(2) == 0 ? "{\"v\":1,\"state\":\"?\"}" : "{\"v\":1,");
                        trace.Add("fire malformed");
                        break;
                    case 4:
                    case 5:
                    case 6:
                        string name = RandomCommands[random.Next(RandomCommands.Length)];
                        string id = random.Next(4) == 0 && usedIds.Count > 0 ? usedIds[random.Next(usedIds.Count)] : "c" + step;
                        usedIds.Add(id);
                        rig.Command(id, name);
                        trace.Add(name + " " + id);
                        break;
                    case 7:
                        rig.Transport.Disconnect();
                        calledDevice = false;
                        trace.Add("offline");
                        break;
                    case 8:
                        rig.Transport.Reconnect();
                        calledDevice = false;
                        trace.Add("online");
                        break;
                    case 9:
                        rig.DoorContact!.Active = !rig.DoorContact.Active;
                        calledDevice = false;
                        trace.Add("door contact");
                        break;
                    case 10:
                        rig.Command("t" + step, "self-test");
                        trace.Add("self-test");
                        break;
                    case 11:
                        rig.Step();
                        trace.Add("step");
                        break;
                    default:
                        long advance = random.Next(3) == 0 ? rig.Settings.FireInputClearMs : random.Next(0, 700);
                        rig.Step(advance);
                        trace.Add("step +" + advance);
                        break;
                }

                if (!calledDevice)
                {
                    continue;
                }

                checks++;
                if (Violates(rig, building))
                {
                    Assert.Fail("run " + run + ": energised during a fire condition after: " + string.Join(", ", trace));
                }

                if (rig.Output.Energised)
                {
                    energisedChecks++;
                }
            }
        }

        Assert.IsGreaterThan(checks / 20, energisedChecks, "the sequences must often reach normal operation, or they prove nothing");
    }

    private static FireState ApplyExhaustive(DoorRig rig, int operation, int index, FireState building)
    {
        switch (ExhaustiveOperations[operation])
        {
            case "fire-on":
                rig.FireInput.Active = true;
                rig.Step();
                return building;
            case "fire-off":
                rig.FireInput.Active = false;
                rig.Step();
                return building;
            case "clear":
                rig.FireState("clear");
                return FireState.Clear;
            case "alarm":
                rig.FireState("alarm");
                return FireState.Alarm;
            case "release":
                rig.Command("c" + index, "release");
                return building;
            case "reset":
            case "lock":
            case "unlock":
                rig.Command("c" + index, ExhaustiveOperations[operation]);
                return building;
            default:
                rig.Step(rig.Settings.FireInputClearMs);
                return building;
        }
    }

    private static bool Violates(DoorRig rig, FireState building)
    {
        if (rig.Output.Energised != rig.Controller.IsEnergised)
        {
            Assert.Fail("the output pin and the controller disagree");
        }

        return rig.Output.Energised && (rig.FireInput.Active || building != FireState.Clear);
    }

    private static string Describe(int[] operations, int last)
    {
        List<string> names = new List<string>();
        for (int i = 0; i <= last; i++)
        {
            names.Add(ExhaustiveOperations[operations[i]]);
        }

        return string.Join(", ", names);
    }
}
