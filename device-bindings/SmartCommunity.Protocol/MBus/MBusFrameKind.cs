namespace SmartCommunity.Protocol.MBus;

/// <summary>The four EN 13757-2 frame formats.</summary>
public enum MBusFrameKind
{
    None = 0,

    /// <summary>The single character E5: an acknowledgement.</summary>
    Ack,

    /// <summary>10 C A CS 16.</summary>
    Short,

    /// <summary>68 03 03 68 C A CI CS 16: a long frame with no user data.</summary>
    Control,

    /// <summary>68 L L 68 C A CI data CS 16.</summary>
    Long,
}
