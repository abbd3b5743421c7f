namespace SmartCommunity.Protocol.Wiegand;

/// <summary>Why a Wiegand frame was refused (hardware-docs/wiegand.md §5). A refused frame is counted, never guessed.</summary>
public enum WiegandRejection
{
    None = 0,

    /// <summary>The frame ended with a bit count the decoder does not know (25, 27, a frame cut short by a gap...).</summary>
    Length,

    /// <summary>The length is known but a parity bit does not match the data it covers.</summary>
    Parity,

    /// <summary>More bits arrived than <see cref="WiegandSettings.MaxBits"/> before the line went quiet.</summary>
    Overflow,

    /// <summary>Bits were still arriving <see cref="WiegandSettings.MaxFrameMs"/> after the frame's first bit.</summary>
    Timeout,

    /// <summary>Every slot of the collector's queue held a frame the loop had not taken yet; the newest was dropped.</summary>
    QueueFull,
}
