namespace SmartCommunity.Simulator.Tests.Simulation;

using System;
using System.Collections.Generic;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulation.Hardware;

/// <summary>The simulated meter's S0 output: pulses at the rate a flow gives, exact over any span, of the stated width.</summary>
[TestClass]
public sealed class S0PulseTrainTests
{
    private const long Hour = 3_600_000;

    [TestMethod]
    public void Take_SteadyFlowForAnHour_PulsesExactlyAtItsPeriod()
    {
        var train = new S0PulseTrain(milliPerPulse: 1000, startMilli: 0, startMs: 0);
        train.SetFlow(360m, 0);

        List<(bool On, long At)> edges = TakeAll(train, Hour + 1_000);

        Assert.AreEqual(720, edges.Count);
        for (int k = 0; k < 360; k++)
        {
            Assert.AreEqual((true, (k + 1) * 10_000L), edges[2 * k]);
            Assert.AreEqual((false, ((k + 1) * 10_000L) + S0PulseTrain.DefaultPulseWidthMs), edges[(2 * k) + 1]);
        }

        Assert.AreEqual(360, train.Emitted);
        Assert.AreEqual(360, train.Delivered);
        Assert.AreEqual(360_000, train.RegisterMilli);
    }

    [TestMethod]
    public void SetFlow_RateChangesHalfwayToAPulse_KeepsTheDialsFraction()
    {
        var train = new S0PulseTrain(milliPerPulse: 1000, startMilli: 0, startMs: 0);
        train.SetFlow(360m, 0);
        train.SetFlow(720m, 5_000);

        List<(bool On, long At)> edges = TakeAll(train, 20_000);

        // Half a litre passed at 0.1 L/s, the other half at 0.2 L/s: 2.5 s later; then every 5 s.
        Assert.AreEqual((true, 7_500L), edges[0]);
        Assert.AreEqual((true, 12_500L), edges[2]);
        Assert.AreEqual((true, 17_500L), edges[4]);
    }

    [TestMethod]
    public void SetFlow_ForADuration_StopsThenAndTheVolumeIsExact()
    {
        var train = new S0PulseTrain(milliPerPulse: 10, startMilli: 1_234_567, startMs: 1_000);
        train.SetFlow(2.5m, 1_000, untilMs: 1_000 + (Hour / 2));

        TakeAll(train, 3 * Hour);

        // 1.25 m3 in half an hour at 0.01 m3 per pulse.
        Assert.AreEqual(125, train.Emitted);
        Assert.AreEqual(1_234_567 + 1_250, train.RegisterMilli);
        Assert.AreEqual(0m, train.RatePerHour);
    }

    [TestMethod]
    public void Discard_ControllerOff_PulsesStayInTheRegisterButAreUndelivered()
    {
        var train = new S0PulseTrain(milliPerPulse: 1000, startMilli: 0, startMs: 0);
        train.SetFlow(3600m, 0);
        TakeAll(train, 10_500);

        train.PowerLost();
        train.Discard(20_500);
        TakeAll(train, 30_500);

        Assert.AreEqual(30, train.Emitted);
        Assert.AreEqual(20, train.Delivered);
        Assert.AreEqual(10, train.Undelivered);
    }

    [TestMethod]
    public void PowerLost_DuringAPulse_ThatPulseIsNeverDelivered()
    {
        var train = new S0PulseTrain(milliPerPulse: 1000, startMilli: 0, startMs: 0, pulseWidthMs: 100);
        train.SetFlow(3600m, 0);
        TakeAll(train, 1_050);

        // The controller saw the ON at 1000 and lost its power before the OFF at 1100.
        train.PowerLost();
        train.Discard(1_200);
        TakeAll(train, 2_200);

        Assert.AreEqual(2, train.Emitted);
        Assert.AreEqual(1, train.Delivered);
    }

    [TestMethod]
    public void Take_MoreEdgesThanAllowed_KeepsTheRestForTheNextTake()
    {
        var train = new S0PulseTrain(milliPerPulse: 1000, startMilli: 0, startMs: 0, pulseWidthMs: 30);
        train.SetFlow(36_000m, 0);

        int first = train.Take(10_000, (_, _) => { }, max: 7);

        // A pulse every 100 ms: ON 100, OFF 130, ... ON 400 are the seven; the OFF at 430 waits.
        Assert.AreEqual(7, first);
        Assert.AreEqual(430L, train.NextEdgeAt(10_000));
        Assert.AreEqual(199 - 7, TakeAll(train, 10_000).Count);
    }

    [TestMethod]
    public void SetFlow_FasterThanThePulsesAllow_IsRefused()
    {
        var train = new S0PulseTrain(milliPerPulse: 1000, startMilli: 0, startMs: 0, pulseWidthMs: 60);

        // 1 L per pulse, 60 ms ON and 60 ms OFF at least: 30 000 L/h at most.
        Assert.AreEqual(30_000m, S0PulseTrain.MaxRatePerHour(1000, 60));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => train.SetFlow(30_001m, 0));
        train.SetFlow(30_000m, 0);
    }

    private static List<(bool On, long At)> TakeAll(S0PulseTrain train, long upToMs)
    {
        var edges = new List<(bool, long)>();
        train.Take(upToMs, (on, at) => edges.Add((on, at)));
        return edges;
    }
}
