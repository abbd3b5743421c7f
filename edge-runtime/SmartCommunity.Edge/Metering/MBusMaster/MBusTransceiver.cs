namespace SmartCommunity.Edge.Metering;

using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Protocol.MBus;

/// <summary>
/// One request and its answer on an M-Bus line (hardware-docs/mbus-master.md §3): sends the frame, waits for the
/// first byte within the reply time, then for the rest with a bounded pause between bytes, and checks the frame.
/// Anything wrong (a parity or framing error, a wrong start byte, a bad checksum, bytes after the frame as when two
/// meters answer at once) is thrown away after the line has gone quiet, so the next attempt starts clean.
/// </summary>
internal sealed class MBusTransceiver(IMBusLine line, MBusTimings timings)
{
    // A long frame is at most 255 + 6 bytes; the rest holds garbage arriving behind it.
    private readonly byte[] _buffer = new byte[512];
    private readonly MBusFrame _frame = new();

    /// <summary>Sends <paramref name="request"/> and waits for one answer.</summary>
    public async Task<MBusAnswer> ExchangeAsync(byte[] request, CancellationToken cancellationToken)
    {
        line.DiscardInput();
        await line.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReceiveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a frame nobody answers (SND_NKE to broadcast FF) and lets the line settle.</summary>
    public async Task SendAsync(byte[] request, CancellationToken cancellationToken)
    {
        line.DiscardInput();
        await line.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        await WaitForSilenceAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<MBusAnswer> ReceiveAsync(CancellationToken cancellationToken)
    {
        MBusLineRead read = await line.ReadAsync(_buffer, 0, _buffer.Length, timings.Reply, cancellationToken).ConfigureAwait(false);
        if (read.Count == 0 && !read.LineError)
        {
            return MBusAnswer.Silent;
        }

        int have = read.Count;
        while (true)
        {
            if (read.LineError)
            {
                return await GarbledAsync("the converter reported a parity or framing error", cancellationToken).ConfigureAwait(false);
            }

            int expected = MBusFrameParser.ExpectedLength(_buffer, 0, have);
            if (expected < 0)
            {
                return await GarbledAsync($"start byte 0x{_buffer[0]:X2} is none of E5, 10, 68", cancellationToken).ConfigureAwait(false);
            }

            if (expected > 0 && have > expected)
            {
                return await GarbledAsync($"{have - expected} bytes after a {expected}-byte frame (two meters answering at once?)", cancellationToken).ConfigureAwait(false);
            }

            if (expected > 0 && have == expected)
            {
                MBusError? error = MBusFrameParser.Parse(_buffer, 0, have, _frame);
                if (error is not null)
                {
                    return await GarbledAsync(error.ToString(), cancellationToken).ConfigureAwait(false);
                }

                byte[] copy = new byte[have];
                Array.Copy(_buffer, copy, have);
                return new MBusAnswer(MBusAnswerKind.Frame, copy, _frame.Kind, null);
            }

            if (have == _buffer.Length)
            {
                return await GarbledAsync("more bytes than any frame holds", cancellationToken).ConfigureAwait(false);
            }

            read = await line.ReadAsync(_buffer, have, _buffer.Length - have, timings.InterByte, cancellationToken).ConfigureAwait(false);
            if (read.Count == 0 && !read.LineError)
            {
                return await GarbledAsync($"answer cut short after {have} bytes", cancellationToken).ConfigureAwait(false);
            }

            have += read.Count;
        }
    }

    private async Task<MBusAnswer> GarbledAsync(string reason, CancellationToken cancellationToken)
    {
        await WaitForSilenceAsync(cancellationToken).ConfigureAwait(false);
        return new MBusAnswer(MBusAnswerKind.Garbled, null, MBusFrameKind.Ack, reason);
    }

    // Reads and drops until nothing has come for the silence time; bounded so a line that never goes quiet (a
    // shorted bus, a babbling meter) still hands control back.
    private async Task WaitForSilenceAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        TimeSpan limit = timings.Silence * 20;
        while (waited.Elapsed < limit)
        {
            MBusLineRead read = await line.ReadAsync(_buffer, 0, _buffer.Length, timings.Silence, cancellationToken).ConfigureAwait(false);
            if (read.Count == 0 && !read.LineError)
            {
                break;
            }
        }

        line.DiscardInput();
    }
}

internal enum MBusAnswerKind
{
    /// <summary>Nothing came within the reply time.</summary>
    Silent,

    /// <summary>Bytes came but no sound frame; <see cref="MBusAnswer.Problem"/> says why.</summary>
    Garbled,

    /// <summary>A frame whose lengths, checksum and stop byte are right.</summary>
    Frame,
}

internal sealed record MBusAnswer(MBusAnswerKind Kind, byte[]? Bytes, MBusFrameKind FrameKind, string? Problem)
{
    public static readonly MBusAnswer Silent = new(MBusAnswerKind.Silent, null, MBusFrameKind.Ack, "no answer");
}
