namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using SmartCommunity.Firmware.Devices.DoorController;

/// <summary>A card reader the test presents cards to; a fixed ring of preallocated reads, so presenting allocates nothing.</summary>
internal sealed class FakeCardReader : ICardReader
{
    private readonly CardRead[] _queue = new CardRead[64];
    private int _head;
    private int _count;

    public FakeCardReader()
    {
        for (int i = 0; i < _queue.Length; i++)
        {
            _queue[i] = new CardRead();
        }
    }

    public int Waiting => _count;

    /// <summary>How often the controller asked for grant feedback.</summary>
    public int GrantedSignals { get; private set; }

    /// <summary>How often the controller asked for deny feedback.</summary>
    public int DeniedSignals { get; private set; }

    public int Signals => GrantedSignals + DeniedSignals;

    public void Present(ulong card, int bits = 26, ReaderKind reader = ReaderKind.Wiegand) =>
        Enqueue(card, bits, reader, BadFrameReason.None);

    public void PresentBadFrame(BadFrameReason reason, ReaderKind reader = ReaderKind.Wiegand) =>
        Enqueue(0, 0, reader, reason);

    public bool TryTake(CardRead read)
    {
        if (_count == 0)
        {
            return false;
        }

        CardRead next = _queue[_head];
        read.Card = next.Card;
        read.Bits = next.Bits;
        read.Reader = next.Reader;
        read.BadFrame = next.BadFrame;
        _head = (_head + 1) % _queue.Length;
        _count--;
        return true;
    }

    public void Signal(bool granted)
    {
        if (granted)
        {
            GrantedSignals++;
        }
        else
        {
            DeniedSignals++;
        }
    }

    private void Enqueue(ulong card, int bits, ReaderKind reader, BadFrameReason badFrame)
    {
        CardRead slot = _queue[(_head + _count) % _queue.Length];
        slot.Card = card;
        slot.Bits = bits;
        slot.Reader = reader;
        slot.BadFrame = badFrame;
        _count++;
    }
}
