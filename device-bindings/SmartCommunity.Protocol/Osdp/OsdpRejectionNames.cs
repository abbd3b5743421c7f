namespace SmartCommunity.Protocol.Osdp;

/// <summary>Wire and log names for <see cref="OsdpRejection"/> (enum.ToString() is a number on nanoFramework).</summary>
public static class OsdpRejectionNames
{
    public static string Of(OsdpRejection rejection)
    {
        switch (rejection)
        {
            case OsdpRejection.None: return "none";
            case OsdpRejection.BadStartOfMessage: return "som";
            case OsdpRejection.BadLength: return "length";
            case OsdpRejection.Oversized: return "oversized";
            case OsdpRejection.BadCrc: return "crc";
            case OsdpRejection.BadChecksum: return "checksum";
            case OsdpRejection.BadSecurityBlock: return "security-block";
            case OsdpRejection.BadMac: return "mac";
            case OsdpRejection.BadPadding: return "padding";
            case OsdpRejection.NoSecureChannel: return "no-secure-channel";
            case OsdpRejection.PlainTextInSecureChannel: return "plain-text";
            case OsdpRejection.WrongAddress: return "address";
            case OsdpRejection.WrongSequence: return "sequence";
            case OsdpRejection.UnexpectedReply: return "unexpected-reply";
            case OsdpRejection.BadCryptogram: return "cryptogram";
            case OsdpRejection.DefaultKeyRefused: return "default-key-refused";
            case OsdpRejection.Nak: return "nak";
            case OsdpRejection.NoReply: return "no-reply";
            case OsdpRejection.BadCardData: return "card-data";
            case OsdpRejection.BadCardParity: return "parity";
            case OsdpRejection.NoKey: return "no-key";
            default: return "unknown";
        }
    }
}
