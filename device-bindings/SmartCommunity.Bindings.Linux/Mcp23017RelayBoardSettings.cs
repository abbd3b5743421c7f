namespace SmartCommunity.Bindings.Linux;

using System;
using System.Collections.Generic;

/// <summary>Settings of a <see cref="Mcp23017RelayBoard"/>.</summary>
public sealed class Mcp23017RelayBoardSettings
{
    /// <summary>
    /// The expander pins that drive relays, numbered as Iot.Device.Bindings numbers them: 0-7 are GPA0-GPA7
    /// (port A), 8-15 are GPB0-GPB7 (port B). Every other pin is left an input.
    /// </summary>
    public IReadOnlyList<int> RelayPins { get; init; } = Array.Empty<int>();

    /// <summary>
    /// True for relay boards whose input energises the relay on a low level (most ready-made opto-isolated boards).
    /// The de-energised level is then high, and it is what the latch holds before any pin becomes an output.
    /// </summary>
    public bool ActiveLow { get; init; }
}
