namespace SmartCommunity.Protocol.Osdp;

/// <summary>
/// Why a packet or a reply was refused (hardware-docs/osdp.md §3). Bad input is reported with one of these and
/// counted, never thrown. enum.ToString() gives a number on nanoFramework: use <see cref="OsdpRejectionNames"/>.
/// </summary>
public enum OsdpRejection
{
    None = 0,

    /// <summary>The first byte is not the start-of-message 0x53.</summary>
    BadStartOfMessage,

    /// <summary>Fewer bytes than the smallest packet, or the length field disagrees with the bytes received.</summary>
    BadLength,

    /// <summary>The length field or the data is larger than this implementation's buffers.</summary>
    Oversized,

    BadCrc,

    BadChecksum,

    /// <summary>The security block is malformed, of an unknown type, or of a type the other direction uses.</summary>
    BadSecurityBlock,

    /// <summary>The MAC does not verify: tampered, replayed or out of step with the secure channel.</summary>
    BadMac,

    /// <summary>Decrypted data lacks the 0x80 end marker or is not a whole number of AES blocks.</summary>
    BadPadding,

    /// <summary>A MAC-carrying packet arrived while no secure channel is active.</summary>
    NoSecureChannel,

    /// <summary>A plain-text reply arrived while the secure channel is active.</summary>
    PlainTextInSecureChannel,

    /// <summary>A packet from or for another address, or a command where a reply was expected (e.g. an RS-485 echo).</summary>
    WrongAddress,

    /// <summary>The reply's sequence number is not that of the outstanding command.</summary>
    WrongSequence,

    /// <summary>A reply that does not answer the outstanding command, or whose data has the wrong length.</summary>
    UnexpectedReply,

    /// <summary>The PD's cryptogram (or R-MAC-I) does not prove it holds the key.</summary>
    BadCryptogram,

    /// <summary>The install-mode key SCBK-D was offered or configured while the CP is not in install mode.</summary>
    DefaultKeyRefused,

    /// <summary>The PD answered osdp_NAK.</summary>
    Nak,

    /// <summary>No valid reply within the offline time.</summary>
    NoReply,

    /// <summary>A card read whose bit count is zero, longer than 64 bits, or disagrees with its data length.</summary>
    BadCardData,

    /// <summary>A 26- or 34-bit card read whose Wiegand parity bits do not check.</summary>
    BadCardParity,

    /// <summary>No secure channel base key is configured but the settings require the secure channel.</summary>
    NoKey,
}
