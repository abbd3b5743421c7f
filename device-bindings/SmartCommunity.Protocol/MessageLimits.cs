namespace SmartCommunity.Protocol;

/// <summary>Size limits of protocol v1 (hardware-docs/protocol.md §6). Both ends enforce them.</summary>
public static class MessageLimits
{
    /// <summary>Largest payload a device publishes or the edge accepts from a device.</summary>
    public const int MaxUplinkBytes = 512;

    /// <summary>Largest command or fire-state payload the edge sends to a device.</summary>
    public const int MaxDownlinkBytes = 384;

    /// <summary>Longest site, building, device id or command id.</summary>
    public const int MaxIdLength = 32;

    /// <summary>Longest MAC field, as lowercase hex (HMAC-SHA256 = 64 characters).</summary>
    public const int MaxMacLength = 64;
}
