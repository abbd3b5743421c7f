namespace SmartCommunity.Protocol;

/// <summary>Wire protocol version carried in every payload's "v" field (hardware-docs/protocol.md §2).</summary>
public static class ProtocolVersion
{
    public const int Current = 1;
}
