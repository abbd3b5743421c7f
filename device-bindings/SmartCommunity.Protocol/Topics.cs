namespace SmartCommunity.Protocol;

/// <summary>
/// Builds the topic names of protocol v1 (hardware-docs/protocol.md §1). Devices build theirs once at boot,
/// so the steady-state loop never concatenates strings.
/// </summary>
public static class Topics
{
    public const string Root = "sc/v1";
    public const string FireLevel = "fire";

    /// <summary><c>sc/v1/{site}/{building}/{kind}/{device}/{channel}</c></summary>
    public static string Device(string site, string building, string kind, string deviceId, string channel)
    {
        return Root + "/" + site + "/" + building + "/" + kind + "/" + deviceId + "/" + channel;
    }

    /// <summary><c>sc/v1/{site}/{building}/fire</c>: the building's fire state, published retained by the edge.</summary>
    public static string FireState(string site, string building)
    {
        return Root + "/" + site + "/" + building + "/" + FireLevel;
    }

    /// <summary>True for the characters allowed in one topic level: a-z, 0-9, '-' and '_' (no wildcards, no '/').</summary>
    public static bool IsValidLevel(string level)
    {
        if (level == null || level.Length == 0 || level.Length > MessageLimits.MaxIdLength)
        {
            return false;
        }

        for (int i = 0; i < level.Length; i++)
        {
            char c = level[i];
            bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
