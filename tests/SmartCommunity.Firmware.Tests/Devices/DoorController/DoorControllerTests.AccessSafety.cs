namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System;
using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Protocol;

/// <summary>
/// The safety invariant again, with access control in the mix: whatever cards, grants, request-to-exit presses,
/// syncs, door movements and link losses happen, in either lock mode, the door is never secured while the fire
/// input is active or the last valid building fire state is not "clear"; and the output level always matches
/// the lock mode (fail-safe: energised = secured; fail-secure: energised = released).
/// </summary>
public sealed partial class DoorControllerTests
{
    [TestMethod]
    [DataRow(LockMode.FailSafe, false, false, DisplayName = "fail-safe perimeter, local decisions")]
    [DataRow(LockMode.FailSafe, true, true, DisplayName = "fail-safe egress-critical, asks the edge")]
    [DataRow(LockMode.FailSecure, false, true, DisplayName = "fail-secure perimeter, asks the edge")]
    [DataRow(LockMode.FailSecure, true, false, DisplayName = "fail-secure egress-critical, local decisions")]
    public void Step_SeededRandomAccessTraffic_NeverSecuredDuringAFireCondition(LockMode mode, bool egressCritical, bool askEdge)
    {
        Random random = new Random(4243 + (int)mode + (egressCritical ? 10 : 0));
        List<string> trace = new List<string>();
        int securedChecks = 0;
        int releasedByAccess = 0;
        int checks = 0;
        int[] reasonCounts = new int[256];
        DoorSettings settings = new DoorSettings
        {
            Role = DoorRole.EntryLock,
            LockMode = mode,
            EgressCritical = egressCritical,
            AskEdge = askEdge,
            LinkLostMs = egressCritical ? 15000 : 2000,
            HeldOpenMs = 3000,
        };

        for (int run = 0; run < 150; run++)
        {
            DoorRig rig = new DoorRig(settings, keepMessages: false);
            FireState building = FireState.Unknown;
            trace.Clear();
            for (int step = 0; step < 150; step++)
            {
                string what;
                bool calledDevice = true;
                switch (random.Next(18))
                {
                    case 0:
                        rig.FireInput.Active = !rig.FireInput.Active;
                        what = rig.FireInput.Active ? "fire-input on" : "fire-input off";
                        calledDevice = false;
                        break;
                    case 1:
                        rig.FireState("clear");
                        building = FireState.Clear;
                        what = "fire clear";
                        break;
                    case 2:
                        rig.FireState("alarm");
                        building = FireState.Alarm;
                        what = "fire alarm";
                        break;
                    case 3:
                        string name = RandomCommands[random.Next(RandomCommands.Length)];
                        rig.Command("c" + step, name);
                        what = name;
                        break;
                    case 4:
                        rig.Command("g" + step, random.Next(2) == 0 ? "grant" : "deny", ",\"req\":" + rig.Controller.PendingRequest);
                        what = "answer";
                        break;
                    case 5:
                    case 6:
                        rig.Reader.Present((ulong)random.Next(1, 6));
                        what = "card";
                        calledDevice = false;
                        break;
                    case 7:
                        rig.Rex.Active = !rig.Rex.Active;
                        what = "rex";
                        calledDevice = false;
                        break;
                    case 8:
                        rig.DoorContact!.Active = !rig.DoorContact.Active;
                        what = "door";
                        calledDevice = false;
                        break;
                    case 9:
                        if (rig.Transport.IsConnected)
                        {
                            rig.Transport.Disconnect();
                        }
                        else
                        {
                            rig.Transport.Reconnect();
                        }

                        what = "link";
                        calledDevice = false;
                        break;
                    case 10:
                        rig.SyncFull("s" + step, step + 1, "1:0:0;2:0:0;3:0:" + (DoorRig.EdgeNow - 5));
                        what = "sync";
                        break;
                    default:
                        long advance = random.Next(4) == 0 ? 2500 : random.Next(0, 400);
                        rig.Step(advance);
                        what = "step +" + advance;
                        break;
                }

                trace.Add(what);
                if (!calledDevice)
                {
                    // Only a simulated input changed; the controller sees it at its next step.
                    continue;
                }

                checks++;
                bool secured = rig.Controller.IsSecured;
                if (secured && (rig.FireInput.Active || building != FireState.Clear))
                {
                    Assert.Fail("run " + run + ": secured during a fire condition after: " + string.Join(", ", trace));
                }

                Assert.AreEqual(mode == LockMode.FailSecure ? !secured : secured, rig.Output.Energised, "output level for the lock mode");
                securedChecks += secured ? 1 : 0;
                reasonCounts[rig.Controller.ReleaseReasonBits & 0xFF]++;
                releasedByAccess += (rig.Controller.ReleaseReasonBits & ReleaseReasons.Passage) != 0 ? 1 : 0;
            }
        }

        string histogram = "";
        for (int r = 0; r < 256; r++)
        {
            histogram += reasonCounts[r] > checks / 50 ? r + ":" + reasonCounts[r] + " " : "";
        }

        Assert.IsGreaterThan(checks / 40, securedChecks, "the sequences must often reach normal operation, or they prove nothing; " + securedChecks + "/" + checks + " " + histogram);
        Assert.IsGreaterThan(checks / 50, releasedByAccess, "and often grant access");
    }
}
