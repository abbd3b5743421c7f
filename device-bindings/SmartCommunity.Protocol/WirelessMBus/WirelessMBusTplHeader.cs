namespace SmartCommunity.Protocol.WirelessMBus;

/// <summary>Which transport-layer header followed the CI field (EN 13757-7, hardware-docs/wireless-mbus.md §3).</summary>
public enum WirelessMBusTplHeader
{
    /// <summary>CI 0x78: no header, the application data follows the CI field; never encrypted.</summary>
    None = 0,

    /// <summary>CI 0x7A: access number, status, configuration word (4 bytes); the meter is the DLL address.</summary>
    Short,

    /// <summary>CI 0x72: the meter's own id, manufacturer, version, device type, then as the short header (12 bytes).</summary>
    Long,
}
