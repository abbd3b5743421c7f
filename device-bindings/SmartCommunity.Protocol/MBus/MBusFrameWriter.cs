namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// Builds EN 13757-2 frames for a master (SND_NKE, REQ_UD2, SND_UD select) and for a virtual slave (E5, RSP_UD)
/// (hardware-docs/mbus.md §2.2). Each Write* method writes at an offset and returns the byte count, or -1 (writing
/// nothing) when the arguments are out of range or the output is too small; the methods without "Write" return a
/// new array (null for bad arguments).
/// </summary>
public static class MBusFrameWriter
{
    /// <summary>Largest user data a long frame carries: L = C + A + CI + data ≤ 255.</summary>
    public const int MaxDataLength = MBusLink.MaxLengthField - 3;

    public static int WriteAck(byte[] output, int offset)
    {
        if (output == null || offset < 0 || offset >= output.Length)
        {
            return -1;
        }

        output[offset] = MBusLink.Ack;
        return 1;
    }

    /// <summary>10 C A CS 16.</summary>
    public static int WriteShort(byte control, byte address, byte[] output, int offset)
    {
        if (output == null || offset < 0 || output.Length - offset < MBusLink.ShortFrameLength)
        {
            return -1;
        }

        output[offset] = MBusLink.ShortStart;
        output[offset + 1] = control;
        output[offset + 2] = address;
        output[offset + 3] = (byte)((control + address) & 0xFF);
        output[offset + 4] = MBusLink.Stop;
        return MBusLink.ShortFrameLength;
    }

    /// <summary>68 L L 68 C A CI data CS 16, with <paramref name="dataLength"/> bytes of <paramref name="data"/> from <paramref name="dataOffset"/>.</summary>
    public static int WriteLong(byte control, byte address, byte ci, byte[] data, int dataOffset, int dataLength, byte[] output, int offset)
    {
        if (dataLength < 0 || dataLength > MaxDataLength || (dataLength > 0 && (data == null || dataOffset < 0 || dataOffset + dataLength > data.Length)))
        {
            return -1;
        }

        int total = dataLength + 3 + MBusLink.LongFrameOverhead;
        if (output == null || offset < 0 || output.Length - offset < total)
        {
            return -1;
        }

        int length = dataLength + 3;
        output[offset] = MBusLink.LongStart;
        output[offset + 1] = (byte)length;
        output[offset + 2] = (byte)length;
        output[offset + 3] = MBusLink.LongStart;
        output[offset + 4] = control;
        output[offset + 5] = address;
        output[offset + 6] = ci;
        if (dataLength > 0)
        {
            System.Array.Copy(data, dataOffset, output, offset + 7, dataLength);
        }

        output[offset + 4 + length] = MBusLink.Checksum(output, offset + 4, length);
        output[offset + 5 + length] = MBusLink.Stop;
        return total;
    }

    /// <summary>SND_NKE: resets the slave's link layer (and its FCB expectation). Answered by E5.</summary>
    public static byte[] SndNke(byte address) => Short(MBusLink.SndNke, address);

    /// <summary>
    /// REQ_UD2 with FCV set: asks for class 2 data. The master toggles <paramref name="frameCountBit"/> after each
    /// answered request; a repeat after a lost answer keeps it, so the slave sends the same telegram again.
    /// </summary>
    public static byte[] ReqUd2(byte address, bool frameCountBit) => Short(ReqUd2Control(frameCountBit), address);

    /// <summary>The C field of a REQ_UD2: 0x5B or 0x7B with FCV set (EN 13757-2 §5.2).</summary>
    public static byte ReqUd2Control(bool frameCountBit) => (byte)(MBusLink.ReqUd2 | MBusLink.Fcv | (frameCountBit ? MBusLink.Fcb : 0));

    /// <summary>
    /// SND_UD to address FD with CI 0x52: selects the slave(s) matching <paramref name="secondary"/> (wildcards allowed)
    /// for the following requests at address FD. Answered by E5 when exactly one slave matched.
    /// </summary>
    public static byte[] SelectSecondary(MBusSecondaryAddress secondary)
    {
        if (secondary == null || !secondary.IsValid())
        {
            return null;
        }

        byte[] data = new byte[MBusSecondaryAddress.Length];
        secondary.Write(data, 0);
        return Long(MBusLink.SndUd, MBusLink.AddressNetworkLayer, MBusLink.CiSelectSlave, data);
    }

    /// <summary>SND_UD with any CI and user data (e.g. CI 0x51 data send, CI 0x50 application reset).</summary>
    public static byte[] SndUd(byte address, byte ci, byte[] data) => Long(MBusLink.SndUd, address, ci, data);

    /// <summary>
    /// RSP_UD, a slave's answer: C = 0x08 plus the ACD and DFC bits, CI (usually 0x72) and user data, for a virtual
    /// meter; build the user data with <see cref="MBusUserDataWriter"/>.
    /// </summary>
    public static byte[] RspUd(byte address, byte ci, byte[] data, bool accessDemand, bool dataFlowControl)
    {
        byte control = (byte)(MBusLink.RspUd | (accessDemand ? MBusLink.Acd : 0) | (dataFlowControl ? MBusLink.Dfc : 0));
        return Long(control, address, ci, data);
    }

    public static byte[] Short(byte control, byte address)
    {
        byte[] frame = new byte[MBusLink.ShortFrameLength];
        WriteShort(control, address, frame, 0);
        return frame;
    }

    public static byte[] Long(byte control, byte address, byte ci, byte[] data)
    {
        int dataLength = data == null ? 0 : data.Length;
        if (dataLength > MaxDataLength)
        {
            return null;
        }

        byte[] frame = new byte[dataLength + 3 + MBusLink.LongFrameOverhead];
        WriteLong(control, address, ci, data, 0, dataLength, frame, 0);
        return frame;
    }
}
