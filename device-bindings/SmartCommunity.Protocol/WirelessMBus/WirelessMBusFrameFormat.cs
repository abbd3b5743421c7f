namespace SmartCommunity.Protocol.WirelessMBus;

/// <summary>
/// How the link-layer CRCs sit in a received telegram (EN 13757-4, hardware-docs/wireless-mbus.md §2). The radio
/// module knows which one it received (format B only in C mode, told apart by the sync word); the decoder does not guess.
/// </summary>
public enum WirelessMBusFrameFormat
{
    /// <summary>A CRC after the 10-byte first block, then after every 16 data bytes and after the last, shorter block. L counts data bytes only.</summary>
    A = 0,

    /// <summary>One CRC after at most 126 data bytes (blocks 1 and 2), a second after block 3 if any. L counts the CRC bytes too.</summary>
    B,

    /// <summary>CRCs already checked and removed by the radio module (many modules deliver telegrams so). L counts data bytes only.</summary>
    WithoutCrc,
}
