namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>Which reader protocol a read came from; sent as the access events' "reader".</summary>
public enum ReaderKind
{
    /// <summary>A Wiegand reader: unauthenticated and replayable, legacy only (hardware-docs/wiegand.md).</summary>
    Wiegand = 1,

    /// <summary>An OSDP v2 reader on RS-485, normally over its secure channel (hardware-docs/osdp.md).</summary>
    Osdp = 2,
}
