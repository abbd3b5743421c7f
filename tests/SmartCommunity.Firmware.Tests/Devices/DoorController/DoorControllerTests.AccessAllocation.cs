namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Tests.TestSupport;

/// <summary>
/// The access paths must not allocate either (STYLE.md §6): card reads, local and online decisions, grant and
/// deny, allow-list syncs (full in parts, deltas, refusals) with their store writes, buffering while offline and
/// sending in order afterwards, request-to-exit, forced and held alarms, link loss.
/// </summary>
public sealed partial class DoorControllerTests
{
    [TestMethod]
    public void Step_SteadyStateAccessTraffic_AllocatesNothing()
    {
        FixedStore store = new FixedStore(AllowList.HeaderBytes + (500 * AllowList.EntryBytes));
        DoorSettings settings = new DoorSettings
        {
            HeartbeatMs = 5000,
            AskEdge = true,
            EgressCritical = true,
            LinkLostMs = 3000,
            HeldOpenMs = 4000,
            AccessBufferCapacity = 8,
        };
        DoorRig rig = new DoorRig(settings, keepMessages: false, store: store);
        rig.MakeReady();
        AccessTraffic traffic = new AccessTraffic(rig);
        traffic.Run(6000);
        long published = rig.Transport.PublishCount;
        long executed = rig.Controller.Commands.Executed;
        long rejected = rig.Controller.Commands.Rejected;
        long saves = rig.Controller.AllowList.Saves;
        long storeWrites = store.Writes;
        long badFrames = rig.Controller.BadFrames;
        long dropped = rig.Controller.AccessDropped;
        AccessTraffic.Counters before = traffic.Snapshot();

        long allocated = Allocations.During(() => traffic.Run(12000));

        Assert.AreEqual(0L, allocated, "bytes allocated by 12000 door controller steps with access traffic");
        AccessTraffic.Counters after = traffic.Snapshot();
        Assert.IsGreaterThan(published + 1000, rig.Transport.PublishCount);
        Assert.IsGreaterThan(executed + 200, rig.Controller.Commands.Executed);
        Assert.IsGreaterThan(rejected, rig.Controller.Commands.Rejected);
        Assert.IsGreaterThan(saves + 50, rig.Controller.AllowList.Saves);
        Assert.IsGreaterThan(storeWrites + 100, store.Writes);
        Assert.IsGreaterThan(badFrames, rig.Controller.BadFrames);
        Assert.IsGreaterThan(dropped, rig.Controller.AccessDropped, "the buffer overflowed while offline");
        Assert.IsGreaterThan(before.Grants + 10, after.Grants);
        Assert.IsGreaterThan(before.Denies + 10, after.Denies);
        Assert.IsGreaterThan(before.LinkLosses, after.LinkLosses);
        Assert.IsGreaterThan(before.Forced, after.Forced);
        Assert.IsGreaterThan(before.Held, after.Held);
    }

    /// <summary>Drives a door through card reads, answers, syncs, door movements, REX, fire and link loss without allocating.</summary>
    private sealed class AccessTraffic
    {
        private readonly DoorRig _rig;
        private readonly CommandRotation _syncs;
        private readonly byte[] _fireClear = Published.Bytes("{\"v\":1,\"state\":\"clear\"}");
        private readonly byte[] _answer = new byte[128];
        private int _iteration;
        private int _answers;
        private Counters _counters;

        public AccessTraffic(DoorRig rig)
        {
            _rig = rig;
            List<byte[]> syncs = new List<byte[]>();
            for (int round = 0; round < 6; round++)
            {
                string now = ",\"now\":" + (DoorRig.EdgeNow + round);
                syncs.Add(DeviceRig.CommandPayload("f1-" + round, "allow-list", ",\"op\":\"full\",\"ver\":10,\"part\":1,\"parts\":2" + now + ",\"add\":\"1:0:0;2:0:" + (DoorRig.EdgeNow + 999999) + ";3:0:1\""));
                syncs.Add(DeviceRig.CommandPayload("f2-" + round, "allow-list", ",\"op\":\"full\",\"ver\":10,\"part\":2,\"parts\":2" + now + ",\"add\":\"4:" + (DoorRig.EdgeNow + 999999) + ":0;5:0:0\""));
                syncs.Add(DeviceRig.CommandPayload("d1-" + round, "allow-list", ",\"op\":\"delta\",\"ver\":11,\"base\":10" + now + ",\"add\":\"100:0:0;101:0:0;102:0:0\",\"remove\":\"5\""));
                syncs.Add(DeviceRig.CommandPayload("d2-" + round, "allow-list", ",\"op\":\"delta\",\"ver\":12,\"base\":11" + now + ",\"add\":\"5:0:0\",\"remove\":\"100;101;102\""));
                syncs.Add(DeviceRig.CommandPayload("dx-" + round, "allow-list", ",\"op\":\"delta\",\"ver\":13,\"base\":99" + now));
                syncs.Add(DeviceRig.CommandPayload("db-" + round, "allow-list", ",\"op\":\"delta\",\"ver\":13,\"base\":12" + now + ",\"add\":\"x:0:0\""));
            }

            _syncs = new CommandRotation(syncs.ToArray());
        }

        public Counters Snapshot() => _counters;

        public void Run(int iterations)
        {
            DoorRig rig = _rig;
            for (int n = 0; n < iterations; n++)
            {
                int i = _iteration++;
                switch (i % 50)
                {
                    case 0: rig.Reader.Present((ulong)(1 + (i / 50 % 8)), i % 100 == 0 ? 26 : 34, i % 150 == 0 ? ReaderKind.Osdp : ReaderKind.Wiegand); break;
                    case 10: Answer(i); break;
                }

                switch (i % 97)
                {
                    case 0: rig.Reader.PresentBadFrame(BadFrameReason.Parity); break;
                }

                switch (i % 900)
                {
                    case 0: rig.DoorContact!.Active = false; break;
                    case 60: rig.DoorContact!.Active = true; break;
                    case 300: rig.DoorContact!.Active = false; break;
                    case 600: rig.DoorContact!.Active = true; break;
                }

                switch (i % 400)
                {
                    case 200: rig.Rex.Active = true; break;
                    case 205: rig.Rex.Active = false; break;
                }

                switch (i % 1000)
                {
                    case 500: rig.FireInput.Active = true; break;
                    case 550: rig.FireInput.Active = false; break;
                }

                switch (i % 1500)
                {
                    case 600: rig.Transport.Disconnect(); break;
                    case 900: rig.Transport.Reconnect(); break;
                    case 905: rig.Deliver(rig.Identity.FireStateTopic, _fireClear); break;
                }

                bool wasLost = rig.Controller.IsLinkLost;
                bool wasForced = rig.Controller.IsDoorForced;
                bool wasHeld = rig.Controller.IsDoorHeld;
                rig.Step(20);
                _counters.LinkLosses += !wasLost && rig.Controller.IsLinkLost ? 1 : 0;
                _counters.Forced += !wasForced && rig.Controller.IsDoorForced ? 1 : 0;
                _counters.Held += !wasHeld && rig.Controller.IsDoorHeld ? 1 : 0;

                if (i % 20 == 5)
                {
                    _syncs.DeliverNext(rig);
                }
            }
        }

        // Answers the waiting request (grant, deny, or none so it times out), writing the payload in place.
        private void Answer(int i)
        {
            long request = _rig.Controller.PendingRequest;
            int choice = i / 50 % 3;
            if (request == 0 || choice == 2)
            {
                return;
            }

            int length = 0;
            length = Put(length, "{\"v\":1,\"id\":\"q");
            length = PutNumber(length, ++_answers);
            length = Put(length, choice == 0 ? "\",\"cmd\":\"grant\",\"ms\":300,\"req\":" : "\",\"cmd\":\"deny\",\"req\":");
            length = PutNumber(length, request);
            length = Put(length, "}");
            _rig.Controller.HandleMessage(_rig.Identity.CommandTopic, _answer, length, _rig.Clock.UptimeMs);
            if (choice == 0)
            {
                _counters.Grants++;
            }
            else
            {
                _counters.Denies++;
            }
        }

        private int Put(int at, string text)
        {
            for (int k = 0; k < text.Length; k++)
            {
                _answer[at++] = (byte)text[k];
            }

            return at;
        }

        private int PutNumber(int at, long value)
        {
            int start = at;
            do
            {
                _answer[at++] = (byte)('0' + (value % 10));
                value /= 10;
            }
            while (value != 0);

            System.Array.Reverse(_answer, start, at - start);
            return at;
        }

        public struct Counters
        {
            public long Grants;
            public long Denies;
            public long LinkLosses;
            public long Forced;
            public long Held;
        }
    }
}
