namespace SmartCommunity.Protocol;

/// <summary>The last topic level of a device topic (hardware-docs/protocol.md §1).</summary>
public static class Channel
{
    public const string Telemetry = "telemetry";
    public const string Event = "event";
    public const string State = "state";
    public const string Status = "status";
    public const string Command = "cmd";
    public const string Ack = "ack";
}
