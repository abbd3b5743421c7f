namespace SmartCommunity.Protocol.MBus;

/// <summary>
/// One parsed EN 13757-2 frame (hardware-docs/mbus.md §2). The user data is not copied: it is
/// <see cref="Buffer"/>[<see cref="DataOffset"/> .. + <see cref="DataLength"/>], the bytes after the CI field.
/// </summary>
public sealed class MBusFrame
{
    public MBusFrameKind Kind { get; private set; }

    public byte Control { get; private set; }

    public byte Address { get; private set; }

    /// <summary>The CI field of a control or long frame; 0 for an ack or short frame.</summary>
    public byte ControlInformation { get; private set; }

    public byte[] Buffer { get; private set; }

    /// <summary>Where the frame's first byte is in <see cref="Buffer"/>; error offsets count from here.</summary>
    public int FrameOffset { get; private set; }

    /// <summary>Index in <see cref="Buffer"/> of the first user-data byte (after CI).</summary>
    public int DataOffset { get; private set; }

    public int DataLength { get; private set; }

    /// <summary>Bytes the whole frame occupies, start to stop byte.</summary>
    public int FrameLength { get; private set; }

    /// <summary>True when the C field is a slave's RSP_UD (function code 8, ACD/DFC bits ignored).</summary>
    public bool IsResponse => (Control & 0x4F) == MBusLink.RspUd;

    internal void Set(MBusFrameKind kind, byte control, byte address, byte ci, byte[] buffer, int frameOffset, int dataOffset, int dataLength, int frameLength)
    {
        Kind = kind;
        Control = control;
        Address = address;
        ControlInformation = ci;
        Buffer = buffer;
        FrameOffset = frameOffset;
        DataOffset = dataOffset;
        DataLength = dataLength;
        FrameLength = frameLength;
    }

    /// <summary>A copy of the user data bytes.</summary>
    public byte[] CopyData()
    {
        byte[] data = new byte[DataLength];
        System.Array.Copy(Buffer, DataOffset, data, 0, DataLength);
        return data;
    }
}
