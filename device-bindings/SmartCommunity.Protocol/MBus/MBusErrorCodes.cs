namespace SmartCommunity.Protocol.MBus;

/// <summary>The codes of <see cref="MBusError"/> (hardware-docs/mbus.md §6). Constant strings so nothing allocates to name them.</summary>
public static class MBusErrorCodes
{
    /// <summary>No bytes, or fewer than the smallest frame of the kind the start byte announces.</summary>
    public const string TooShort = "too-short";
    public const string StartByte = "start-byte";
    public const string StopByte = "stop-byte";
    public const string LengthMismatch = "length-mismatch";
    public const string Checksum = "checksum";
    public const string TrailingBytes = "trailing-bytes";

    /// <summary>A CI field this decoder does not decode as meter data.</summary>
    public const string UnsupportedCi = "unsupported-ci";

    /// <summary>The meter answered with an application error (CI 0x70, EN 13757-3 §6.2); the message names it.</summary>
    public const string ApplicationError = "application-error";

    /// <summary>The telegram ends inside a header, a DIF/DIFE, a VIF/VIFE chain or a value.</summary>
    public const string PrematureEnd = "premature-end";
    public const string TooManyDifes = "too-many-difes";
    public const string TooManyVifes = "too-many-vifes";

    /// <summary>A DIF/VIF combination the standard does not allow (e.g. a plain-text VIF longer than the data left).</summary>
    public const string BadRecord = "bad-record";

    /// <summary>Hex text with a character that is not a hex digit or an odd number of digits.</summary>
    public const string BadHex = "bad-hex";
}
