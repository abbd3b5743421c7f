namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Protocol.Wiegand;
using SmartCommunity.Simulation.Hardware;

/// <summary>The Wiegand reader as the door's card source: pulses in, whole cards or refused frames out.</summary>
[TestClass]
public sealed class WiegandCardReaderTests
{
    private readonly ManualClock _clock = new ManualClock(1000);
    private readonly CardRead _read = new CardRead();
    private WiegandCardReader _reader = null!;

    [TestInitialize]
    public void Setup() => _reader = new WiegandCardReader(new WiegandSettings(), _clock);

    [TestMethod]
    public void TryTake_26BitFrameAfterTheGap_GivesTheCredential()
    {
        Pulse(WiegandEncoder.Encode26(90, 324), 26);
        Assert.IsFalse(_reader.TryTake(_read), "the frame is open until the line has been quiet for the gap");

        _clock.Advance(30);

        Assert.IsTrue(_reader.TryTake(_read));
        Assert.AreEqual((ReaderKind.Wiegand, 26, 5898564UL, BadFrameReason.None), (_read.Reader, _read.Bits, _read.Card, _read.BadFrame));
        Assert.IsFalse(_reader.TryTake(_read), "one frame, one read");
    }

    [TestMethod]
    public void TryTake_FlippedParityBit_IsABadFrameNotACard()
    {
        Pulse(WiegandEncoder.Encode26(90, 324) ^ 1, 26);
        _clock.Advance(30);

        Assert.IsTrue(_reader.TryTake(_read));
        Assert.AreEqual((0UL, BadFrameReason.Parity), (_read.Card, _read.BadFrame));
    }

    [TestMethod]
    public void TryTake_25Bits_IsALengthError()
    {
        Pulse(WiegandEncoder.Encode26(90, 324) >> 1, 25);
        _clock.Advance(30);

        Assert.IsTrue(_reader.TryTake(_read));
        Assert.AreEqual(BadFrameReason.Length, _read.BadFrame);
    }

    // One pulse per millisecond, first bit first, as the reader sends them.
    private void Pulse(long bits, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _reader.Bit(WiegandEncoder.BitAt(bits, count, i), _clock.UptimeMs);
            _clock.Advance(1);
        }
    }
}
