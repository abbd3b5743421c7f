namespace SmartCommunity.Firmware.Devices.DoorController;

using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;

/// <summary>
/// Writes a card read into a message as the access contract has it (hardware-docs/access-control.md): the card as
/// decimal text, its bit count and the reader kind. Shared by every device with a card reader (doors, barriers);
/// each owns one, whose digit buffer makes writing allocation-free.
/// </summary>
public sealed class CardPayload
{
    public const string ReaderWiegand = "wiegand";
    public const string ReaderOsdp = "osdp";

    /// <summary>Longest decimal text of a 64-bit card number.</summary>
    private const int CardDigits = 20;

    private readonly byte[] _digits = new byte[CardDigits];

    /// <summary>Writes "card", "bits" and "reader".</summary>
    public void Write(PayloadWriter writer, ulong card, int bits, ReaderKind reader)
    {
        // Least significant digit first, then reversed in place.
        int length = 0;
        do
        {
            _digits[length++] = (byte)('0' + (int)(card % 10));
            card /= 10;
        }
        while (card != 0);

        for (int i = 0, j = length - 1; i < j; i++, j--)
        {
            byte t = _digits[i];
            _digits[i] = _digits[j];
            _digits[j] = t;
        }

        writer.Property("card", _digits, length);
        writer.Property("bits", bits);
        writer.Property("reader", ReaderName(reader));
    }

    /// <summary>Writes the "bad-frame" fields of a refused frame: "reader" and "why".</summary>
    public static void WriteBadFrame(PayloadWriter writer, CardRead read)
    {
        writer.Property("reader", ReaderName(read.Reader));
        writer.Property("why", BadFrameName(read.BadFrame));
    }

    public static string ReaderName(ReaderKind reader)
    {
        return reader == ReaderKind.Osdp ? ReaderOsdp : ReaderWiegand;
    }

    public static string BadFrameName(BadFrameReason reason)
    {
        switch (reason)
        {
            case BadFrameReason.Parity: return "parity";
            case BadFrameReason.Length: return "length";
            case BadFrameReason.Timeout: return "timeout";
            case BadFrameReason.Crc: return "crc";
            case BadFrameReason.Checksum: return "checksum";
            case BadFrameReason.QueueFull: return "queue-full";
            default: return "unknown";
        }
    }
}
