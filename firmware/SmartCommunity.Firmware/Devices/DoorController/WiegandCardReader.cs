namespace SmartCommunity.Firmware.Devices.DoorController;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Protocol.Wiegand;

/// <summary>
/// A Wiegand reader as the controller's <see cref="ICardReader"/> (hardware-docs/wiegand.md). The input adapter
/// (GPIO interrupts on the board, the simulated lines in the simulator) calls <see cref="Bit"/> for every pulse with
/// the controller's uptime; the loop takes whole frames through <see cref="TryTake"/>. Framing, parity and the
/// counters are the portable <see cref="WiegandCollector"/>'s; a refused frame comes out as a bad frame, never a card.
/// </summary>
public sealed class WiegandCardReader : ICardReader
{
    private readonly WiegandCollector _collector;
    private readonly IClock _clock;
    private readonly WiegandFrame _frame = new WiegandFrame();

    public WiegandCardReader(WiegandSettings settings, IClock clock)
    {
        _collector = new WiegandCollector(settings);
        _clock = clock;
    }

    public WiegandCollector Collector => _collector;

    /// <summary>One pulse: 0 from the D0 line, 1 from D1, stamped when it happened. Safe from an interrupt thread.</summary>
    public void Bit(int bit, long atMs)
    {
        _collector.Bit(bit, atMs);
    }

    public bool TryTake(CardRead read)
    {
        if (!_collector.Poll(_clock.UptimeMs, _frame))
        {
            return false;
        }

        read.Reader = ReaderKind.Wiegand;
        read.Bits = _frame.BitCount;
        if (_frame.IsValid)
        {
            read.Card = (ulong)_frame.Credential;
            read.BadFrame = BadFrameReason.None;
        }
        else
        {
            read.Card = 0;
            read.BadFrame = ReasonOf(_frame.Rejection);
        }

        return true;
    }

    public void Signal(bool granted)
    {
        // Nothing to do: a Wiegand reader's LED and beeper are separate input lines the board drives (or ties to
        // the lock output); they are not modelled here.
    }

    /// <summary>The controller's name for a collector's refusal (the bad-frame "why"); too many bits is a length problem.</summary>
    public static BadFrameReason ReasonOf(WiegandRejection rejection)
    {
        switch (rejection)
        {
            case WiegandRejection.None: return BadFrameReason.None;
            case WiegandRejection.Parity: return BadFrameReason.Parity;
            case WiegandRejection.Timeout: return BadFrameReason.Timeout;
            case WiegandRejection.QueueFull: return BadFrameReason.QueueFull;
            default: return BadFrameReason.Length;
        }
    }
}
