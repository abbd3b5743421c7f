namespace SmartCommunity.Edge.Metering;

using System;
using System.Threading;
using System.Threading.Tasks;

/// <summary>
/// The M-Bus master's side of one bus: the serial line to the level converter (hardware-docs/mbus-master.md §2).
/// The production line is <see cref="SerialMBusLine"/>; tests run that same class on a pseudo-terminal and wrap it to
/// inject parity errors and lost or damaged bytes.
/// </summary>
public interface IMBusLine : IAsyncDisposable
{
    /// <summary>What the line is, for logs and status (the device path).</summary>
    string Name { get; }

    /// <summary>Sends the bytes of one frame.</summary>
    Task WriteAsync(byte[] bytes, CancellationToken cancellationToken);

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for bytes and returns those that have arrived (at most
    /// <paramref name="count"/>); a count of 0 means the line stayed silent that long.
    /// </summary>
    Task<MBusLineRead> ReadAsync(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Drops whatever the driver holds unread (the rest of a garbled reply, a late answer).</summary>
    void DiscardInput();
}

/// <param name="Count">Bytes placed in the buffer.</param>
/// <param name="LineError">The UART reported a parity, framing or overrun error since the previous read: at least one of these bytes (or one lost) is wrong.</param>
public readonly record struct MBusLineRead(int Count, bool LineError);
