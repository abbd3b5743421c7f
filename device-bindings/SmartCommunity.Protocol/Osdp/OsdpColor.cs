namespace SmartCommunity.Protocol.Osdp;

/// <summary>Reader LED colours as osdp_LED codes them.</summary>
public enum OsdpColor
{
    Black = 0,
    Red = 1,
    Green = 2,
    Amber = 3,
    Blue = 4,
    Magenta = 5,
    Cyan = 6,
    White = 7,
}
