namespace SmartCommunity.Protocol.WirelessMBus;

/// <summary>
/// What <see cref="WirelessMBusEncoder"/> writes before the application data: the DLL fields, an optional CI 0x8C
/// extended link layer and the transport header. Defaults are a meter's spontaneous telegram with a short header.
/// </summary>
public sealed class WirelessMBusHeader
{
    public int Control { get; set; } = WirelessMBusCodes.SendNoReply;

    public int ManufacturerCode { get; set; }

    /// <summary>BCD digits as a number: meter "12345678" is 0x12345678.</summary>
    public uint Id { get; set; }

    public int Version { get; set; }

    public int DeviceType { get; set; }

    /// <summary>0x7A (short header), 0x72 (long header) or 0x78 (none).</summary>
    public int Ci { get; set; } = WirelessMBusCodes.CiShortHeader;

    public bool UseExtendedLinkLayer { get; set; }

    public int EllControl { get; set; }

    public int EllAccessNumber { get; set; }

    public int AccessNumber { get; set; }

    public int Status { get; set; }

    /// <summary>Flag bits of the configuration word; the encoder sets the mode (bits 8-12) and block count (bits 4-7).</summary>
    public int ConfigurationFlags { get; set; }

    /// <summary>0 (none) or 5 (AES-128-CBC); mode 5 needs a key and a 0x72 or 0x7A header.</summary>
    public int SecurityMode { get; set; }

    // The meter's own address, written into the CI 0x72 long header (the DLL then names whoever sends, e.g. a repeater).
    public int LongManufacturerCode { get; set; }

    public uint LongId { get; set; }

    public int LongVersion { get; set; }

    public int LongDeviceType { get; set; }
}
