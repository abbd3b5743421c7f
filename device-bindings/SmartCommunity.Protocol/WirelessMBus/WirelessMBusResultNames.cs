namespace SmartCommunity.Protocol.WirelessMBus;

/// <summary>Wire and log names for <see cref="WirelessMBusResult"/> (enum.ToString() is a number on nanoFramework).</summary>
public static class WirelessMBusResultNames
{
    public const string Decoded = "decoded";
    public const string Encrypted = "encrypted";
    public const string Undecryptable = "undecryptable";
    public const string UnsupportedSecurityMode = "unsupported-security-mode";
    public const string UnsupportedCi = "unsupported-ci";
    public const string LengthError = "length";
    public const string CrcError = "crc";
    public const string MalformedHeader = "malformed-header";

    public static string Name(WirelessMBusResult result)
    {
        switch (result)
        {
            case WirelessMBusResult.Decoded:
                return Decoded;
            case WirelessMBusResult.Encrypted:
                return Encrypted;
            case WirelessMBusResult.Undecryptable:
                return Undecryptable;
            case WirelessMBusResult.UnsupportedSecurityMode:
                return UnsupportedSecurityMode;
            case WirelessMBusResult.UnsupportedCi:
                return UnsupportedCi;
            case WirelessMBusResult.LengthError:
                return LengthError;
            case WirelessMBusResult.CrcError:
                return CrcError;
            default:
                return MalformedHeader;
        }
    }
}
