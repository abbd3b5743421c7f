namespace SmartCommunity.Protocol;

/// <summary>The building's fire state as published, retained, by the edge (hardware-docs/protocol.md §5).</summary>
public enum FireState
{
    /// <summary>Nothing read yet: a door treats this like a fire (it stays released).</summary>
    Unknown = 0,
    Clear = 1,
    Alarm = 2,
}
