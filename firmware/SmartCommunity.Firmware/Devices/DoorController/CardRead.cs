namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>
/// One read taken from an <see cref="ICardReader"/>: a credential, or a frame the decoder refused. The controller
/// owns one instance and the reader fills it, so taking a read allocates nothing.
/// </summary>
public sealed class CardRead
{
    public ReaderKind Reader = ReaderKind.Wiegand;

    /// <summary>The credential number (for 26-bit Wiegand as the decoder forms it from facility and card).</summary>
    public ulong Card;

    /// <summary>The frame length in bits (26, 34, ...; an OSDP raw read gives its bit count too), or 0 when unknown.</summary>
    public int Bits;

    /// <summary><see cref="BadFrameReason.None"/> for a good read; otherwise why the frame was refused (Card is then meaningless).</summary>
    public BadFrameReason BadFrame;

    public void Clear()
    {
        Reader = ReaderKind.Wiegand;
        Card = 0;
        Bits = 0;
        BadFrame = BadFrameReason.None;
    }
}
