namespace SmartCommunity.Bindings.Linux;

using System;
using System.Collections.Generic;
using System.Device.I2c;
using Iot.Device.Mcp23xxx;

/// <summary>
/// A relay board driven by an MCP23017 16-bit I/O expander on I2C: one <see cref="Mcp23017RelayOutput"/> per relay
/// pin, on port A or B.
/// </summary>
/// <remarks>
/// <para>
/// Register access goes through <see cref="Mcp23017"/> (Iot.Device.Bindings) in its default IOCON.BANK = 0 map
/// (MCP23017 datasheet DS20001952, Table 3-5: IODIRA 0x00, IODIRB 0x01, GPIOA 0x12, GPIOB 0x13, OLATA 0x14,
/// OLATB 0x15).
/// </para>
/// <para>
/// Start-up order: the latch (OLAT) is written with every relay's de-energised level first, then the direction
/// registers (IODIR, 1 = input) make the relay pins outputs, once. A pin that is still an input keeps its latch
/// value without driving it (datasheet §3.5.11, OLAT), so no relay sees the energised level while the board starts,
/// whatever its polarity. The Mcp23017 constructor itself first puts the chip into its power-on state
/// (IODIR 0xFFFF, GPIO/OLAT 0x0000, IPOL 0x0000).
/// </para>
/// <para>
/// Every relay write changes one bit of a shadow copy of OLATA/OLATB and writes that port's whole latch byte. The pins
/// are never read back to build the new value: GPIOx returns the level on the pin, which a loaded or shorted output
/// can pull away from its latch, and writing that back would switch the other relays (the read-modify-write hazard).
/// </para>
/// <para>
/// Ownership: the board creates the <see cref="Mcp23017"/> and owns it, so nothing else can change the latch behind
/// the shadow. With <c>shouldDispose</c> true it also disposes the <see cref="I2cDevice"/>. Dispose de-energises
/// every relay and leaves the relay pins as outputs at that level. Writes are serialised, so door controllers on
/// different threads may share one board.
/// </para>
/// </remarks>
public sealed class Mcp23017RelayBoard : IDisposable
{
    public const int PinCount = 16;

    private readonly I2cDevice _device;
    private readonly Mcp23017 _expander;
    private readonly bool _shouldDispose;
    private readonly bool _activeLow;
    private readonly object _gate = new();
    private readonly byte[] _relayMask = new byte[2];
    private readonly byte[] _latch = new byte[2];
    private readonly Mcp23017RelayOutput?[] _relays = new Mcp23017RelayOutput?[PinCount];
    private bool _disposed;

    /// <param name="device">The expander on its bus and address (0x20-0x27, set by A2..A0).</param>
    /// <param name="settings">Which pins drive relays and their polarity.</param>
    /// <param name="shouldDispose">True to dispose <paramref name="device"/> with the board.</param>
    public Mcp23017RelayBoard(I2cDevice device, Mcp23017RelayBoardSettings settings, bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.RelayPins.Count == 0)
        {
            throw new ArgumentException("a relay board needs at least one relay pin", nameof(settings));
        }

        foreach (int pin in settings.RelayPins)
        {
            if (pin < 0 || pin >= PinCount)
            {
                throw new ArgumentOutOfRangeException(nameof(settings), pin, "relay pins are 0-7 (GPA0-GPA7) and 8-15 (GPB0-GPB7)");
            }

            if (_relays[pin] is not null)
            {
                throw new ArgumentException($"relay pin {pin} is listed twice", nameof(settings));
            }

            _relays[pin] = new Mcp23017RelayOutput(this, pin);
            _relayMask[PortIndex(pin)] |= Bit(pin);
        }

        _device = device;
        _shouldDispose = shouldDispose;
        _activeLow = settings.ActiveLow;
        _expander = new Mcp23017(device);
        for (int port = 0; port < 2; port++)
        {
            _latch[port] = RestLevel(port);
        }

        ApplyAll();
    }

    public bool ActiveLow => _activeLow;

    /// <summary>The relay pins, in ascending order.</summary>
    public IReadOnlyList<int> RelayPins
    {
        get
        {
            var pins = new List<int>();
            for (int pin = 0; pin < PinCount; pin++)
            {
                if (_relays[pin] is not null)
                {
                    pins.Add(pin);
                }
            }

            return pins;
        }
    }

    /// <summary>The output of one relay pin; the same object on every call.</summary>
    public Mcp23017RelayOutput GetRelay(int pin)
    {
        Mcp23017RelayOutput? relay = pin >= 0 && pin < PinCount ? _relays[pin] : null;
        return relay ?? throw new ArgumentException($"pin {pin} is not a relay pin of this board", nameof(pin));
    }

    /// <summary>What the shadow latch says for the relay (true = energised).</summary>
    public bool IsEnergised(int pin)
    {
        GetRelay(pin);
        lock (_gate)
        {
            bool high = (_latch[PortIndex(pin)] & Bit(pin)) != 0;
            return high != _activeLow;
        }
    }

    /// <summary>
    /// Writes the shadow latch and the direction registers again. For boards whose expander can lose power on its
    /// own: its power-on reset makes every pin an input (relays released) while the shadow still says energised.
    /// </summary>
    public void Refresh()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ApplyAll();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                for (int port = 0; port < 2; port++)
                {
                    _latch[port] = RestLevel(port);
                    _expander.WriteByte(Register.OLAT, _latch[port], (Port)port);
                }
            }
            finally
            {
                _expander.Dispose();
                if (_shouldDispose)
                {
                    _device.Dispose();
                }
            }
        }
    }

    internal void Write(int pin, bool energised)
    {
        int port = PortIndex(pin);
        bool high = energised != _activeLow;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            byte latch = high ? (byte)(_latch[port] | Bit(pin)) : (byte)(_latch[port] & ~Bit(pin));
            _expander.WriteByte(Register.OLAT, latch, (Port)port);
            _latch[port] = latch;
        }
    }

    private static int PortIndex(int pin) => pin < 8 ? 0 : 1;

    private static byte Bit(int pin) => (byte)(1 << (pin % 8));

    // De-energised level of every relay pin of the port; non-relay bits stay 0 (they are inputs).
    private byte RestLevel(int port) => _activeLow ? _relayMask[port] : (byte)0;

    private void ApplyAll()
    {
        // Latch before direction: see the remarks.
        _expander.WriteByte(Register.OLAT, _latch[0], Port.PortA);
        _expander.WriteByte(Register.OLAT, _latch[1], Port.PortB);
        _expander.WriteByte(Register.IODIR, (byte)~_relayMask[0], Port.PortA);
        _expander.WriteByte(Register.IODIR, (byte)~_relayMask[1], Port.PortB);
    }
}
