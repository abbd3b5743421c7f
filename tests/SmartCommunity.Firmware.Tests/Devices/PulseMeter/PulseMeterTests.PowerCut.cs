namespace SmartCommunity.Firmware.Tests.Devices.PulseMeter;

using System;
using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.PulseMeter;

/// <summary>
/// Power cuts at every point of a run (pulse-meter.md, "Persistence"): after every loop step and inside every store
/// write, torn at many lengths. After each restart the restored count must never exceed the pulses that really
/// happened (no pulse counted twice), and may fall short by at most the pulses of the stated window.
/// </summary>
public sealed partial class PulseMeterTests
{
    private const long CutSaveEveryMs = 5000;

    /// <summary>The longest contact bounce the generated train has after an edge (see <see cref="ScheduleTrain"/>).</summary>
    private const long TrainBounceBurstMs = 3;

    private static readonly int[] Channels = { 1, 4 };

    [TestMethod]
    public void Restart_AfterEveryStepAndInsideEveryWrite_NeverMoreThanHappenedAndLossWithinTheBound()
    {
        PulseMeterSettings settings = CutSettings(CutSaveEveryMs);
        long window = settings.SaveEveryMs + PulseRig.StepMs + settings.BounceMs + TrainBounceBurstMs;
        PulseRig rig = new PulseRig(settings, keepMessages: false);
        Random rng = new Random(20261128);
        long runMs = 5 * 60 * 1000;
        Dictionary<int, List<long>> ends = new();
        foreach (int ch in Channels)
        {
            ends[ch] = ScheduleTrain(rig, ch, rng, 0, runMs);
        }

        List<(long At, Dictionary<string, byte[]> Records)> afterStep = new();
        List<long> writeTimes = new();
        Dictionary<string, byte[]> records = rig.Store.Snapshot();
        while (rig.Now < runMs)
        {
            int writes = rig.Store.Writes;
            rig.Step(PulseRig.StepMs);
            for (int w = writes; w < rig.Store.Writes; w++)
            {
                writeTimes.Add(rig.Now);
            }

            if (rig.Store.Writes != writes)
            {
                records = rig.Store.Snapshot();
            }

            afterStep.Add((rig.Now, records));
        }

        foreach (int ch in Channels)
        {
            Assert.AreEqual(ends[ch].Count, rig.Meter.Channel(ch).Pulses, "the running meter counts every valid pulse of channel " + ch);
        }

        Assert.IsGreaterThan(40, rig.Store.History.Count, "enough saves to cut into");
        int restarts = 0;
        long worstLoss = 0;
        foreach ((long at, Dictionary<string, byte[]> stored) in afterStep)
        {
            worstLoss = Math.Max(worstLoss, CheckRestart(settings, stored, ends, at, window, "after the step at " + at));
            restarts++;
        }

        for (int n = 0; n < rig.Store.History.Count; n++)
        {
            StoreWrite write = rig.Store.History[n];
            int length = write.Data.Length;
            foreach (int bytes in new[] { 0, 1, 8, 9, 17, 40, length / 2, length - 5, length - 4, length - 1, length })
            {
                foreach (bool truncate in new[] { false, true })
                {
                    string where = "write " + (n + 1) + " at " + writeTimes[n] + " torn after " + bytes + " bytes" + (truncate ? " (file cut short)" : "");
                    worstLoss = Math.Max(worstLoss, CheckRestart(settings, FlashStore.Torn(write, bytes, truncate), ends, writeTimes[n], window, where));
                    restarts++;
                }
            }
        }

        Assert.IsGreaterThan(6000, restarts);
        Assert.IsGreaterThan(0L, worstLoss, "the sweep did cut between saves");
    }

    [TestMethod]
    public void Restart_PowerFailWarningBeforeEveryCut_LossWithinTheHoldUpBound()
    {
        PulseMeterSettings settings = CutSettings(10 * 60 * 1000);
        const long holdUpMs = 100;
        long runMs = 60 * 1000;
        for (long warnAt = 1000; warnAt < runMs; warnAt += 37 * PulseRig.StepMs)
        {
            PulseRig rig = new PulseRig(settings, keepMessages: false);
            rig.Store.KeepHistory = false;
            Random rng = new Random(7);
            Dictionary<int, List<long>> ends = new();
            foreach (int ch in Channels)
            {
                ends[ch] = ScheduleTrain(rig, ch, rng, 0, runMs);
            }

            rig.RunUntil(warnAt);
            rig.PowerFail!.Active = true;
            rig.RunUntil(warnAt + holdUpMs);

            // Lost at most: what ended after the warning step could settle it (bounce) up to the cut.
            long window = holdUpMs + settings.BounceMs + TrainBounceBurstMs;
            CheckRestart(settings, rig.Store.Snapshot(), ends, rig.Now, window, "warning at " + warnAt);
        }
    }

    [TestMethod]
    public void Restart_ChainOfCutsWithTornWrites_EachRestartLosesAtMostTheWindowAndNeverCountsTwice()
    {
        // Unlike the sweep, the meter runs on after each restart, so a torn record is followed by further saves:
        // the slot choice after a fallback must never overwrite the last good record.
        PulseMeterSettings settings = CutSettings(CutSaveEveryMs);
        long window = settings.SaveEveryMs + PulseRig.StepMs + settings.BounceMs + TrainBounceBurstMs;
        Random rng = new Random(42);
        Dictionary<string, byte[]> stored = new FlashStore().Snapshot();
        Dictionary<int, long> restored = new() { [1] = 0, [4] = 0 };
        int tornWrites = 0;
        for (int restart = 0; restart < 300; restart++)
        {
            FlashStore store = FlashStore.From(stored);
            store.KeepHistory = false;
            bool cutInWrite = rng.Next(2) == 0;
            if (cutInWrite)
            {
                store.CutAtWrite = 1 + rng.Next(4);
                store.CutBytes = rng.Next(MeterRecordStore.RecordBytes);
                store.CutTruncates = rng.Next(2) == 0;
            }

            PulseRig rig = new PulseRig(settings, store, keepMessages: false);
            foreach (int ch in Channels)
            {
                Assert.AreEqual(restored[ch], rig.Meter.Channel(ch).Pulses, "restart " + restart + " restores what the last check saw");
            }

            long segmentMs = 2000 + rng.Next(40000);
            Dictionary<int, List<long>> ends = new();
            foreach (int ch in Channels)
            {
                ends[ch] = ScheduleTrain(rig, ch, rng, 0, segmentMs);
            }

            while (rig.Now < segmentMs && !store.Dead)
            {
                rig.Step(PulseRig.StepMs);
            }

            tornWrites += store.Dead ? 1 : 0;
            long cutAt = rig.Now;
            stored = store.Snapshot();
            PulseRig after = new PulseRig(settings, FlashStore.From(stored), keepMessages: false);
            foreach (int ch in Channels)
            {
                long happened = restored[ch] + ends[ch].FindAll(e => e <= cutAt).Count;
                long now = after.Meter.Channel(ch).Pulses;
                string where = "restart " + restart + ", channel " + ch + ", cut at " + cutAt + (store.Dead ? " inside a write" : "");
                Assert.IsLessThanOrEqualTo(happened, now, where + ": counted a pulse twice");
                long allowed = ends[ch].FindAll(e => e <= cutAt && e > cutAt - window).Count;
                Assert.IsLessThanOrEqualTo(allowed, happened - now, where + ": lost more than the window");
                restored[ch] = now;
            }
        }

        Assert.IsGreaterThan(50, tornWrites, "many restarts began inside a torn write");
    }

    /// <summary>Restores from <paramref name="stored"/> and checks each channel against the pulses that ended by <paramref name="cutAt"/>; returns the worst loss.</summary>
    private static long CheckRestart(
        PulseMeterSettings settings, Dictionary<string, byte[]> stored, Dictionary<int, List<long>> ends, long cutAt, long window, string where)
    {
        PulseRig after = new PulseRig(settings, FlashStore.From(stored), keepMessages: false);
        long worst = 0;
        foreach (int ch in Channels)
        {
            long happened = ends[ch].FindAll(e => e <= cutAt).Count;
            long restored = after.Meter.Channel(ch).Pulses;
            Assert.IsLessThanOrEqualTo(happened, restored, where + ", channel " + ch + ": restored more pulses than happened");
            long allowed = ends[ch].FindAll(e => e <= cutAt && e > cutAt - window).Count;
            Assert.IsLessThanOrEqualTo(allowed, happened - restored, where + ", channel " + ch + ": lost more than the stated window");
            worst = Math.Max(worst, happened - restored);
        }

        return worst;
    }

    private static PulseMeterSettings CutSettings(long saveEveryMs)
    {
        PulseMeterSettings settings = new PulseMeterSettings { SaveEveryMs = saveEveryMs };
        PulseRig.Fit(settings, 4, MeterMedium.Electricity, 1250, 0);
        return settings;
    }

    /// <summary>
    /// A random S0 train on <paramref name="channel"/> from <paramref name="fromMs"/> (OFF until then): pulses of
    /// 30-200 ms, some with 3 ms of contact bounce at both ends, noise spikes of 8-20 ms, gaps from the 30 ms minimum
    /// (the fastest a meter may pulse) to half a minute of quiet. Returns the OFF times of the pulses that must count.
    /// </summary>
    private static List<long> ScheduleTrain(PulseRig rig, int channel, Random rng, long fromMs, long untilMs)
    {
        List<long> validEnds = new();
        long t = fromMs + 40 + rng.Next(200);
        while (true)
        {
            int kind = rng.Next(10);
            long width = kind == 0 ? 8 + rng.Next(13) : 30 + rng.Next(171);
            if (t + width + TrainBounceBurstMs >= untilMs)
            {
                return validEnds;
            }

            long last = t + width;
            if (kind == 1)
            {
                rig.EdgeAt(channel, t, true);
                rig.EdgeAt(channel, t + 1, false);
                rig.EdgeAt(channel, t + 2, true);
                rig.EdgeAt(channel, t + width, false);
                rig.EdgeAt(channel, t + width + 1, true);
                rig.EdgeAt(channel, t + width + TrainBounceBurstMs, false);
                last = t + width + TrainBounceBurstMs;
            }
            else
            {
                rig.PulseAt(channel, t, width);
            }

            if (kind != 0)
            {
                validEnds.Add(t + width);
            }

            int g = rng.Next(20);
            long gap = g < 8 ? 30 + rng.Next(20) : g < 18 ? 50 + rng.Next(2000) : 5000 + rng.Next(30000);
            t = last + gap;
        }
    }
}
