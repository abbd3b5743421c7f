namespace SmartCommunity.Protocol;

/// <summary>Why a device refused a command; sent as the ack's "reason" (hardware-docs/protocol.md §4.3).</summary>
public enum CommandRejection
{
    None = 0,
    Malformed,
    UnsupportedVersion,
    MissingId,
    UnknownCommand,
    Expired,
    NotSupportedByDevice,
    FireActive,
    Oversized,
    BadArgument,

    /// <summary>A valve asked to reopen while its leak probe still reads water.</summary>
    LeakActive,

    /// <summary>An allow-list delta whose "base" is not the door's list version, or a full-list part out of order.</summary>
    VersionMismatch,

    /// <summary>An allow-list change did not fit the door's table: what fitted is stored, nothing it had was dropped.</summary>
    ListFull,

    /// <summary>A barrier's remote close while a safety sensor is missing or faulty: only a local hold-to-run close works.</summary>
    SafetySensorFault,

    /// <summary>A keyed device got a command whose "mac" is missing or is not the HMAC under its key (protocol.md §4.5).</summary>
    BadMac,

    /// <summary>A correctly signed command whose counter is not above the last one the device took this boot (protocol.md §4.5).</summary>
    Replayed,
}
