namespace SmartCommunity.Firmware.Messaging;

using SmartCommunity.Protocol;

/// <summary>The building fire state as a device reports it in its state message (<c>fireState</c>, protocol.md).</summary>
public static class FireStateNames
{
    public const string Unknown = "unknown";

    public static string NameOf(FireState state)
    {
        switch (state)
        {
            case FireState.Clear: return FireStateDecoder.Clear;
            case FireState.Alarm: return FireStateDecoder.Alarm;
            default: return Unknown;
        }
    }
}
