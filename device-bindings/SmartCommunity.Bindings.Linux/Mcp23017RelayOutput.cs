namespace SmartCommunity.Bindings.Linux;

using SmartCommunity.Firmware.Hal;

/// <summary>
/// One relay of a <see cref="Mcp23017RelayBoard"/> as an <see cref="IDigitalOutput"/> (true = relay energised).
/// Obtained from <see cref="Mcp23017RelayBoard.GetRelay"/>; the board owns the expander and every relay's latch bit.
/// </summary>
public sealed class Mcp23017RelayOutput : IDigitalOutput
{
    private readonly Mcp23017RelayBoard _board;

    internal Mcp23017RelayOutput(Mcp23017RelayBoard board, int pin)
    {
        _board = board;
        Pin = pin;
    }

    /// <summary>0-7 = GPA0-GPA7, 8-15 = GPB0-GPB7.</summary>
    public int Pin { get; }

    public bool IsEnergised => _board.IsEnergised(Pin);

    /// <summary>Changes this relay's bit of the shadow latch and writes its port's OLAT; other relays keep their level.</summary>
    public void Write(bool energised) => _board.Write(Pin, energised);
}
