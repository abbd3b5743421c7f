namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>Why a reader frame was refused; sent as the bad-frame event's "why". A bad frame is counted, never guessed.</summary>
public enum BadFrameReason
{
    None = 0,

    /// <summary>Wiegand: a parity bit does not match.</summary>
    Parity = 1,

    /// <summary>Wiegand: a bit count no supported format has; OSDP: a length field that does not fit.</summary>
    Length = 2,

    /// <summary>The frame stopped in the middle (the reader's own timeout).</summary>
    Timeout = 3,

    /// <summary>OSDP: the CRC-16 does not match.</summary>
    Crc = 4,

    /// <summary>OSDP: the 8-bit checksum does not match.</summary>
    Checksum = 5,

    /// <summary>The reader's decoder had no room for a frame and dropped it (Wiegand's queue-full).</summary>
    QueueFull = 6,
}
