namespace SmartCommunity.Protocol.Tests.Osdp;

using System;
using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Protocol.Osdp;

/// <summary>
/// The steady-state CP loop must not allocate (STYLE.md §6). The PD simulator allocates (it runs on
/// System.Security.Cryptography), so the traffic is recorded with it first and then replayed, byte for byte
/// and step for step, into a second CP whose allocations alone are measured. The replay also checks that
/// the second CP writes exactly what the first one did.
/// </summary>
public sealed partial class OsdpControlPanelTests
{
    private const int TrafficSteps = 9000;
    private const int StepMs = 10;

    [TestMethod]
    public void StepAndReceive_SecurePollingCardReadsFeedbackAndResends_AllocatesNothing()
    {
        Recording recording = Record();
        Assert.IsTrue(recording.CardsTaken > 20, "the recording has card reads");

        ReplayLine line = new ReplayLine(recording);
        OsdpControlPanel panel = new OsdpControlPanel(OsdpRig.DefaultSettings(), line, new OsdpRig.CountingRandom());
        Application app = new Application();
        int warmUp = TrafficSteps / 3;
        Replay(panel, recording, app, 0, warmUp);
        Assert.IsTrue(panel.IsOnline);
        long cards = panel.CardReads;
        long resends = panel.Resends;
        long sent = panel.PacketsSent;
        int granted = app.Granted;
        int denied = app.Denied;

        long before = GC.GetAllocatedBytesForCurrentThread();
        Replay(panel, recording, app, warmUp, TrafficSteps);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(0L, allocated, "bytes allocated by " + (TrafficSteps - warmUp) + " CP steps");
        Assert.AreEqual(0, line.Mismatches, "the replayed CP wrote what the recorded one did");
        Assert.AreEqual(recording.Writes.Length, line.WritesSeen);
        Assert.IsTrue(panel.IsSecure);
        Assert.AreEqual(1L, panel.SecureSessions, "one session throughout: no restarts");
        Assert.IsGreaterThan(cards + 15, panel.CardReads);
        Assert.IsGreaterThan(resends + 5, panel.Resends);
        Assert.IsGreaterThan(sent + 250, panel.PacketsSent);
        Assert.IsGreaterThan(granted + 5, app.Granted);
        Assert.IsGreaterThan(denied + 5, app.Denied);
        Assert.AreEqual(0L, panel.RejectedReplies);
    }

    private static Recording Record()
    {
        Recording recording = new Recording();
        PdSimulator pd = new PdSimulator(0x65, OsdpRig.ReaderKey);
        LiveLine line = new LiveLine(pd);
        OsdpControlPanel panel = new OsdpControlPanel(OsdpRig.DefaultSettings(), line, new OsdpRig.CountingRandom());
        Application app = new Application();
        for (int step = 0; step < TrafficSteps; step++)
        {
            long now = (step + 1) * (long)StepMs;
            byte[]? reply = line.TakeReply();
            if (reply != null)
            {
                recording.Deliveries[step] = reply;
                panel.Receive(reply, reply.Length, now);
            }

            if (step % 150 == 75)
            {
                // Alternate 26-bit cards with even and odd credential numbers: grants and denials.
                pd.PresentCard(step % 300 == 75 ? Fc90Cn324 : "00100010010100010010011111");
            }

            if (step % 400 == 200)
            {
                pd.DropReplies = 1;
            }

            panel.Step(now);
            app.Serve(panel);
        }

        recording.Writes = line.Writes.ToArray();
        recording.CardsTaken = app.Granted + app.Denied;
        return recording;
    }

    private static void Replay(OsdpControlPanel panel, Recording recording, Application app, int from, int to)
    {
        for (int step = from; step < to; step++)
        {
            long now = (step + 1) * (long)StepMs;
            byte[]? delivery = recording.Deliveries[step];
            if (delivery != null)
            {
                panel.Receive(delivery, delivery.Length, now);
            }

            panel.Step(now);
            app.Serve(panel);
        }
    }

    /// <summary>What the door controller would do with reads: grant even credential numbers, deny odd ones.</summary>
    private sealed class Application
    {
        private readonly OsdpCardRead _read = new OsdpCardRead();

        public int Granted { get; private set; }

        public int Denied { get; private set; }

        public void Serve(OsdpControlPanel panel)
        {
            while (panel.TryTakeCardRead(_read))
            {
                if (_read.CredentialNumber % 2 == 0)
                {
                    panel.SignalGranted();
                    Granted++;
                }
                else
                {
                    panel.SignalDenied();
                    Denied++;
                }
            }
        }
    }

    private sealed class Recording
    {
        public byte[]?[] Deliveries { get; } = new byte[]?[TrafficSteps];

        public byte[][] Writes { get; set; } = Array.Empty<byte[]>();

        public int CardsTaken { get; set; }
    }

    private sealed class LiveLine : IOsdpLine
    {
        private readonly PdSimulator _pd;
        private byte[]? _reply;

        public LiveLine(PdSimulator pd)
        {
            _pd = pd;
        }

        public List<byte[]> Writes { get; } = new List<byte[]>();

        public void Write(byte[] buffer, int length)
        {
            byte[] packet = buffer.AsSpan(0, length).ToArray();
            Writes.Add(packet);
            _reply = _pd.Handle(packet);
        }

        public byte[]? TakeReply()
        {
            byte[]? reply = _reply;
            _reply = null;
            return reply;
        }
    }

    private sealed class ReplayLine : IOsdpLine
    {
        private readonly byte[][] _expected;

        public ReplayLine(Recording recording)
        {
            _expected = recording.Writes;
        }

        public int WritesSeen { get; private set; }

        public int Mismatches { get; private set; }

        public void Write(byte[] buffer, int length)
        {
            if (WritesSeen >= _expected.Length || !Same(_expected[WritesSeen], buffer, length))
            {
                Mismatches++;
            }

            WritesSeen++;
        }

        private static bool Same(byte[] expected, byte[] buffer, int length)
        {
            if (expected.Length != length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (expected[i] != buffer[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
