namespace SmartCommunity.Protocol.WirelessMBus;

/// <summary>
/// Where the CRCs sit in frame formats A and B (EN 13757-4, hardware-docs/wireless-mbus.md §2), in one place for
/// the decoder (check and strip) and the encoder (insert). "Data" below means the telegram without its CRCs, from
/// the L-field to the last application byte.
/// </summary>
public static class WirelessMBusLinkLayer
{
    public const int CrcSize = 2;

    /// <summary>L, C, M (2), A (6): block 1 in both formats.</summary>
    public const int FirstBlockSize = 10;

    /// <summary>Format A: data bytes per block after the first.</summary>
    public const int FormatABlockSize = 16;

    /// <summary>Format B: blocks 1 and 2 together hold at most this many data bytes, then one CRC (128 bytes in all).</summary>
    public const int FormatBFirstSpan = 126;

    /// <summary>The first block plus the CI field: the shortest telegram worth decoding.</summary>
    public const int MinDataLength = FirstBlockSize + 1;

    /// <summary>L is one byte; format A and CRC-less telegrams carry at most L + 1 = 256 data bytes.</summary>
    public const int MaxDataLength = 256;

    /// <summary>Format B: L counts its CRCs too, so 256 frame bytes hold at most 252 data bytes.</summary>
    public const int MaxFormatBDataLength = 252;

    public const int MaxFrameLength = MaxDataLength + (CrcSize * 17);

    /// <summary>The data length (L-field byte included) that this L-field announces; -1 for an L no telegram can have.</summary>
    public static int DataLength(WirelessMBusFrameFormat format, int lField)
    {
        if (format == WirelessMBusFrameFormat.B)
        {
            int frame = lField + 1;
            if (frame <= FormatBFirstSpan + CrcSize)
            {
                int data = frame - CrcSize;
                return data >= MinDataLength ? data : -1;
            }

            // Block 3 needs at least one data byte besides its own CRC.
            return frame - (FormatBFirstSpan + CrcSize) > CrcSize ? frame - (2 * CrcSize) : -1;
        }

        return lField + 1 >= MinDataLength ? lField + 1 : -1;
    }

    /// <summary>The L-field value for a telegram of <paramref name="dataLength"/> data bytes (L included).</summary>
    public static int LField(WirelessMBusFrameFormat format, int dataLength)
    {
        return format == WirelessMBusFrameFormat.B ? FrameLength(format, dataLength) - 1 : dataLength - 1;
    }

    /// <summary>The bytes on air for <paramref name="dataLength"/> data bytes: the data plus every CRC.</summary>
    public static int FrameLength(WirelessMBusFrameFormat format, int dataLength)
    {
        switch (format)
        {
            case WirelessMBusFrameFormat.A:
                int after = dataLength - FirstBlockSize;
                int blocks = 1 + ((after + FormatABlockSize - 1) / FormatABlockSize);
                return dataLength + (blocks * CrcSize);
            case WirelessMBusFrameFormat.B:
                return dataLength <= FormatBFirstSpan ? dataLength + CrcSize : dataLength + (2 * CrcSize);
            default:
                return dataLength;
        }
    }

    /// <summary>
    /// Checks every CRC of a frame of exactly <see cref="FrameLength"/> bytes and copies its data to
    /// <paramref name="data"/>. Returns 0 when all match, else the 1-based number of the first bad block (format B
    /// numbers its blocks as the standard does: 2 for the CRC after blocks 1 and 2, 3 for block 3).
    /// </summary>
    public static int RemoveCrcs(WirelessMBusFrameFormat format, byte[] frame, int offset, int dataLength, byte[] data)
    {
        switch (format)
        {
            case WirelessMBusFrameFormat.A:
                int read = offset;
                int written = 0;
                int block = 0;
                while (written < dataLength)
                {
                    int size = block == 0 ? FirstBlockSize : Min(FormatABlockSize, dataLength - written);
                    System.Array.Copy(frame, read, data, written, size);
                    block++;
                    if (!WirelessMBusCrc.Matches(frame, read, size, frame, read + size))
                    {
                        return block;
                    }

                    read += size + CrcSize;
                    written += size;
                }

                return 0;
            case WirelessMBusFrameFormat.B:
                int first = Min(FormatBFirstSpan, dataLength);
                System.Array.Copy(frame, offset, data, 0, first);
                if (!WirelessMBusCrc.Matches(frame, offset, first, frame, offset + first))
                {
                    return 2;
                }

                if (dataLength > first)
                {
                    int third = offset + first + CrcSize;
                    int rest = dataLength - first;
                    System.Array.Copy(frame, third, data, first, rest);
                    if (!WirelessMBusCrc.Matches(frame, third, rest, frame, third + rest))
                    {
                        return 3;
                    }
                }

                return 0;
            default:
                System.Array.Copy(frame, offset, data, 0, dataLength);
                return 0;
        }
    }

    /// <summary>Writes <paramref name="dataLength"/> data bytes into <paramref name="frame"/> with the format's CRCs inserted.</summary>
    public static void InsertCrcs(WirelessMBusFrameFormat format, byte[] data, int dataLength, byte[] frame, int offset)
    {
        switch (format)
        {
            case WirelessMBusFrameFormat.A:
                int read = 0;
                int write = offset;
                bool firstBlock = true;
                while (read < dataLength)
                {
                    int size = firstBlock ? FirstBlockSize : Min(FormatABlockSize, dataLength - read);
                    firstBlock = false;
                    System.Array.Copy(data, read, frame, write, size);
                    WirelessMBusCrc.Write(frame, write, size, frame, write + size);
                    read += size;
                    write += size + CrcSize;
                }

                break;
            case WirelessMBusFrameFormat.B:
                int first = Min(FormatBFirstSpan, dataLength);
                System.Array.Copy(data, 0, frame, offset, first);
                WirelessMBusCrc.Write(frame, offset, first, frame, offset + first);
                if (dataLength > first)
                {
                    int third = offset + first + CrcSize;
                    System.Array.Copy(data, first, frame, third, dataLength - first);
                    WirelessMBusCrc.Write(frame, third, dataLength - first, frame, third + dataLength - first);
                }

                break;
            default:
                System.Array.Copy(data, 0, frame, offset, dataLength);
                break;
        }
    }

    /// <summary>Offset in the frame of the first byte of 1-based block <paramref name="block"/>, for error messages.</summary>
    public static int BlockStart(WirelessMBusFrameFormat format, int block)
    {
        if (format == WirelessMBusFrameFormat.B)
        {
            return block <= 2 ? 0 : FormatBFirstSpan + CrcSize;
        }

        return block <= 1 ? 0 : FirstBlockSize + CrcSize + ((block - 2) * (FormatABlockSize + CrcSize));
    }

    private static int Min(int a, int b) => a < b ? a : b;
}
