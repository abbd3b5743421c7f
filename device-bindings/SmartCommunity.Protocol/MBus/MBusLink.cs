namespace SmartCommunity.Protocol.MBus;

/// <summary>EN 13757-2 link layer constants (hardware-docs/mbus.md §2): start/stop bytes, C-field values, addresses.</summary>
public static class MBusLink
{
    public const byte Ack = 0xE5;
    public const byte ShortStart = 0x10;
    public const byte LongStart = 0x68;
    public const byte Stop = 0x16;

    /// <summary>Short frame: 10 C A CS 16.</summary>
    public const int ShortFrameLength = 5;

    /// <summary>Long/control frame overhead around the L counted bytes: 68 L L 68 ... CS 16.</summary>
    public const int LongFrameOverhead = 6;

    /// <summary>The largest L: C, A, CI and 250 bytes of user data... L is one byte, so at most 255.</summary>
    public const int MaxLengthField = 255;

    // C field, master to slave.
    public const byte SndNke = 0x40;
    public const byte SndUd = 0x53;
    public const byte ReqUd2 = 0x5B;
    public const byte ReqUd1 = 0x5A;

    /// <summary>Frame count bit: toggled by the master on each new REQ_UD2/SND_UD so the slave can tell a repeat.</summary>
    public const byte Fcb = 0x20;

    /// <summary>Frame count valid: the FCB is meaningful.</summary>
    public const byte Fcv = 0x10;

    // C field, slave to master.
    public const byte RspUd = 0x08;

    /// <summary>Access demand (slave has class 1 data).</summary>
    public const byte Acd = 0x20;

    /// <summary>Data flow control (slave cannot accept more data).</summary>
    public const byte Dfc = 0x10;

    /// <summary>Direction bit: set on every master-to-slave frame.</summary>
    public const byte PrimaryStation = 0x40;

    // Addresses.
    public const byte AddressUnconfigured = 0x00;
    public const byte MaxPrimaryAddress = 250;

    /// <summary>Secondary addressing: the slave selected by SND_UD with CI 0x52 answers at this address.</summary>
    public const byte AddressNetworkLayer = 0xFD;

    /// <summary>Broadcast; every slave answers (only useful with one slave on the bus).</summary>
    public const byte AddressBroadcastReply = 0xFE;

    /// <summary>Broadcast; no slave answers.</summary>
    public const byte AddressBroadcastNoReply = 0xFF;

    // CI field (EN 13757-3 table 2; the ones this code writes or decodes).
    public const byte CiDataSend = 0x51;
    public const byte CiSelectSlave = 0x52;
    public const byte CiApplicationReset = 0x50;
    public const byte CiApplicationError = 0x70;
    public const byte CiResponseLong = 0x72;
    public const byte CiResponseFixed = 0x73;
    public const byte CiResponseNone = 0x78;
    public const byte CiResponseShort = 0x7A;
    public const byte CiResponseFixedMsbFirst = 0x77;

    /// <summary>Sum of <paramref name="count"/> bytes from <paramref name="offset"/>, modulo 256 (EN 13757-2 §5.4).</summary>
    public static byte Checksum(byte[] bytes, int offset, int count)
    {
        int sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += bytes[offset + i];
        }

        return (byte)(sum & 0xFF);
    }
}
