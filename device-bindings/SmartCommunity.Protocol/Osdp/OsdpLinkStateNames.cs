namespace SmartCommunity.Protocol.Osdp;

/// <summary>Wire and log names for <see cref="OsdpLinkState"/> (enum.ToString() is a number on nanoFramework).</summary>
public static class OsdpLinkStateNames
{
    public static string Of(OsdpLinkState state)
    {
        switch (state)
        {
            case OsdpLinkState.Offline: return "offline";
            case OsdpLinkState.Connecting: return "connecting";
            case OsdpLinkState.SecureChallenge: return "sc-challenge";
            case OsdpLinkState.SecureCryptogram: return "sc-cryptogram";
            case OsdpLinkState.SettingKey: return "setting-key";
            case OsdpLinkState.Online: return "online";
            default: return "unknown";
        }
    }
}
