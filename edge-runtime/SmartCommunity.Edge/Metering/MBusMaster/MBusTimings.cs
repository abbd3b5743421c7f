namespace SmartCommunity.Edge.Metering;

using System;

/// <summary>
/// How long the master waits on the line and how often it tries (hardware-docs/mbus-master.md §3). EN 13757-2 lets a
/// meter take from 11 bit times up to 330 bit times plus 50 ms to begin its answer; <see cref="Reply"/> adds
/// <see cref="DefaultSlack"/> for the operating system and a USB converter, which hand bytes over in chunks.
/// </summary>
/// <param name="Reply">From the end of a request to the first byte of the answer.</param>
/// <param name="InterByte">The longest pause inside one answer before it counts as cut short.</param>
/// <param name="Silence">How long the line must stay quiet after garbage or a collision before the master sends again.</param>
/// <param name="Retries">Repeats of a request that got no usable answer (the same FCB each time), before the poll fails.</param>
public sealed record MBusTimings(TimeSpan Reply, TimeSpan InterByte, TimeSpan Silence, int Retries)
{
    public const int DefaultRetries = 3;

    public static readonly TimeSpan DefaultSlack = TimeSpan.FromMilliseconds(100);

    /// <summary>The timings for a bus at <paramref name="baud"/> (2400: answer within 288 ms, pauses up to 100 ms).</summary>
    public static MBusTimings For(int baud)
    {
        double bit = 1000.0 / baud;
        TimeSpan reply = TimeSpan.FromMilliseconds((330 * bit) + 50) + DefaultSlack;

        // A meter sends a frame without pauses; three character times (11 bits each) or 100 ms, whichever is longer,
        // covers a converter's chunking at every speed.
        TimeSpan interByte = TimeSpan.FromMilliseconds(Math.Max(100, 3 * 11 * bit));
        return new MBusTimings(reply, interByte, reply, DefaultRetries);
    }

    /// <summary>Bit times to a duration at <paramref name="baud"/>.</summary>
    public static TimeSpan Bits(int bits, int baud) => TimeSpan.FromMilliseconds(bits * 1000.0 / baud);
}
