namespace SmartCommunity.Simulator.Tests.Simulation;

using System;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Protocol.Wiegand;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// The simulated Wiegand reader's lines feeding the controller's real reader interface (the firmware's
/// <see cref="WiegandCardReader"/> and its collector): pulses keep the times they happened at, and what the collector
/// refuses reaches the controller as a bad frame, never as a card.
/// </summary>
[TestClass]
public sealed class SimulatedWiegandReaderTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ManualClock _clock = new();

    [TestMethod]
    public void DeliverTo_26BitFrame_GivesTheCredentialAfterTheGap()
    {
        var line = new SimulatedWiegandReader(_time);
        var reader = new WiegandCardReader(new WiegandSettings(), _clock);
        var read = new CardRead();

        line.Send(WiegandEncoder.Encode26(18, 1234), 26);
        Advance(TimeSpan.FromMilliseconds(50));
        line.DeliverTo(reader, _clock.UptimeMs);
        Assert.IsFalse(reader.TryTake(read), "the frame ends only after the quiet gap");
        Advance(TimeSpan.FromMilliseconds(30));

        Assert.IsTrue(reader.TryTake(read));
        Assert.AreEqual(BadFrameReason.None, read.BadFrame);
        Assert.AreEqual(18UL * 65536 + 1234, read.Card);
        Assert.AreEqual(26, read.Bits);
        Assert.AreEqual(ReaderKind.Wiegand, read.Reader);
    }

    [TestMethod]
    public void DeliverTo_FlippedParityBit_GivesABadFrameNotACard()
    {
        var line = new SimulatedWiegandReader(_time);
        var reader = new WiegandCardReader(new WiegandSettings(), _clock);
        var read = new CardRead();

        line.Send(WiegandEncoder.Encode34(18, 1234) ^ 1, 34);
        Advance(TimeSpan.FromMilliseconds(200));
        line.DeliverTo(reader, _clock.UptimeMs);

        Assert.IsTrue(reader.TryTake(read));
        Assert.AreEqual(BadFrameReason.Parity, read.BadFrame);
        Assert.AreEqual(0UL, read.Card);
        Assert.AreEqual(1L, reader.Collector.RejectedFor(WiegandRejection.Parity));
    }

    [TestMethod]
    public void DeliverTo_PulsesTakenLate_KeepTheirOwnTimes()
    {
        var line = new SimulatedWiegandReader(_time);
        var reader = new WiegandCardReader(new WiegandSettings(), _clock);
        var read = new CardRead();

        // Nobody takes the pulses for a second (a controller busy, or waiting for the edge): stamped as they
        // happened, 2 ms apart, they still make one frame, not 26 frames of one bit.
        line.Send(WiegandEncoder.Encode26(1, 1), 26);
        Advance(TimeSpan.FromSeconds(1));
        Assert.AreEqual(26, line.DeliverTo(reader, _clock.UptimeMs));

        Assert.IsTrue(reader.TryTake(read));
        Assert.AreEqual(65537UL, read.Card);
        Assert.IsFalse(reader.TryTake(read));
    }

    [TestMethod]
    public void Send_TwoFramesAtOnce_LeavesAGapBetweenThem()
    {
        var line = new SimulatedWiegandReader(_time);
        var reader = new WiegandCardReader(new WiegandSettings(), _clock);
        var read = new CardRead();

        line.Send(WiegandEncoder.Encode26(1, 1), 26);
        line.Send(WiegandEncoder.Encode26(1, 2), 26);
        Advance(TimeSpan.FromMilliseconds(400));
        line.DeliverTo(reader, _clock.UptimeMs);

        Assert.IsTrue(reader.TryTake(read));
        Assert.AreEqual(65537UL, read.Card);
        Assert.IsTrue(reader.TryTake(read));
        Assert.AreEqual(65538UL, read.Card);
        Assert.AreEqual(2L, line.FramesSent);
        Assert.AreEqual(0, line.Pending);
    }

    [TestMethod]
    public void Send_BeforeItsTime_NothingIsDelivered()
    {
        var line = new SimulatedWiegandReader(_time);
        var reader = new WiegandCardReader(new WiegandSettings(), _clock);

        line.Send(WiegandEncoder.Encode26(1, 1), 26);
        Advance(TimeSpan.FromMilliseconds(10));

        Assert.AreEqual(6, line.DeliverTo(reader, _clock.UptimeMs), "pulses at 0, 2, ..., 10 ms have happened");
        Assert.AreEqual(20, line.Pending);
    }

    private void Advance(TimeSpan span)
    {
        _time.Advance(span);
        _clock.Advance((long)span.TotalMilliseconds);
    }
}
