namespace SmartCommunity.Protocol.Wiegand;

/// <summary>
/// Framing parameters of a <see cref="WiegandCollector"/> (hardware-docs/wiegand.md §3). Out-of-range values are
/// clamped by the collector, so a bad configuration bundle cannot make it unbounded.
/// </summary>
public sealed class WiegandSettings
{
    public const long MinFrameGapMs = 1;

    public const long MaxFrameGapMs = 1000;

    public const long MaxMaxFrameMs = 10000;

    /// <summary>The collector keeps the whole frame in one 64-bit word.</summary>
    public const int MaxMaxBits = 64;

    /// <summary>The longest format the decoder knows, so no known frame is ever refused as an overflow.</summary>
    public const int MinMaxBits = 34;

    public const int MaxQueueLength = 16;

    /// <summary>
    /// No bit for this long ends the frame. Readers leave 0.2–20 ms between bits, so 25 ms is longer than any gap
    /// inside a frame and far shorter than the time between two cards.
    /// </summary>
    public long FrameGapMs = 25;

    /// <summary>
    /// A frame whose bits are still arriving this long after its first bit is refused (<see cref="WiegandRejection.Timeout"/>).
    /// 34 bits at the slowest 20 ms spacing take under 700 ms. Raised to just above <see cref="FrameGapMs"/> when smaller.
    /// </summary>
    public long MaxFrameMs = 1000;

    /// <summary>A frame with more bits is refused (<see cref="WiegandRejection.Overflow"/>). Between 34 and 64.</summary>
    public int MaxBits = 64;

    /// <summary>Closed frames held until the loop takes them with <see cref="WiegandCollector.Poll"/>. Between 1 and 16.</summary>
    public int QueueLength = 4;
}
