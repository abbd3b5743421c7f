namespace SmartCommunity.Protocol.Wiegand;

/// <summary>The card formats the decoder knows; the value is the frame's bit count (hardware-docs/wiegand.md §2).</summary>
public enum WiegandFormat
{
    None = 0,

    /// <summary>26-bit: even parity, 8-bit facility code, 16-bit card number, odd parity.</summary>
    H10301 = 26,

    /// <summary>34-bit: even parity, 16-bit facility code, 16-bit card number, odd parity.</summary>
    H10306 = 34,
}
