namespace SmartCommunity.Protocol.WirelessMBus;

/// <summary>
/// What the decoder made of one telegram (hardware-docs/wireless-mbus.md §5). Only <see cref="Decoded"/> exposes
/// application data; every other state carries a reason and is counted, never thrown.
/// </summary>
public enum WirelessMBusResult
{
    /// <summary>Unencrypted, or decrypted with the meter's key and verified by the leading 2F 2F.</summary>
    Decoded = 0,

    /// <summary>Security mode 5, but the key table holds no key for this meter. The data stays sealed.</summary>
    Encrypted,

    /// <summary>A key was found but the plaintext does not start 2F 2F: a wrong key, or a telegram damaged past its CRCs.</summary>
    Undecryptable,

    /// <summary>A security mode other than 0 (none) and 5 (AES-128-CBC), e.g. mode 7.</summary>
    UnsupportedSecurityMode,

    /// <summary>A CI field this decoder does not handle (e.g. 0x8D, the extended link layer with its own encryption).</summary>
    UnsupportedCi,

    /// <summary>The bytes received do not match what the L-field announces (truncated, oversized, impossible L).</summary>
    LengthError,

    /// <summary>A link-layer CRC does not match; <see cref="WirelessMBusTelegram.CrcErrorBlock"/> names the block.</summary>
    CrcError,

    /// <summary>The link layer is sound but a header inside it is cut short or contradicts itself.</summary>
    MalformedHeader,
}
