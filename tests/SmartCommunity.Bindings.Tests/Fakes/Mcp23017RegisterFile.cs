namespace SmartCommunity.Bindings.Tests.Fakes;

using System;
using System.Collections.Generic;
using System.Device.I2c;

/// <summary>
/// An MCP23017 on a fake I2C bus, modelled at register level (datasheet DS20001952, Table 3-5, IOCON.BANK = 0):
/// the first byte of a write sets the address pointer, further bytes are written to consecutive registers (SEQOP = 0;
/// this model rolls the pointer over after 0x15); reads continue from the pointer. Writing GPIOx writes OLATx (§3.5.10); reading
/// GPIOx gives the pin levels: the latch for outputs (unless the test pulls the pin with <see cref="ForcePin"/>), the
/// external level for inputs, inverted by IPOL. Every transaction and every register write is recorded.
/// </summary>
public sealed class Mcp23017RegisterFile : I2cDevice
{
    public const byte IODIRA = 0x00;
    public const byte IODIRB = 0x01;
    public const byte IPOLA = 0x02;
    public const byte IPOLB = 0x03;
    public const byte IOCONA = 0x0A;
    public const byte IOCONB = 0x0B;
    public const byte GPIOA = 0x12;
    public const byte GPIOB = 0x13;
    public const byte OLATA = 0x14;
    public const byte OLATB = 0x15;
    private const int RegisterCount = 0x16;

    private readonly byte[] _registers = new byte[RegisterCount];
    private readonly byte[] _externalLevels = new byte[2];
    private readonly int?[] _forced = new int?[16];
    private byte _pointer;

    public Mcp23017RegisterFile(int busId = 1, int address = 0x20)
    {
        ConnectionSettings = new I2cConnectionSettings(busId, address);
        PowerOnReset();
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    public List<I2cTransaction> Transactions { get; } = new();

    /// <summary>Every register write, byte by byte, in order: (address, value).</summary>
    public List<(byte Address, byte Value)> RegisterWrites { get; } = new();

    public int Disposals { get; private set; }

    public byte this[byte address] => _registers[address];

    /// <summary>The chip's power-on reset values (Table 3-5): IODIR 0xFF (all inputs), every other register 0.</summary>
    public void PowerOnReset()
    {
        Array.Clear(_registers);
        _registers[IODIRA] = 0xFF;
        _registers[IODIRB] = 0xFF;
        _pointer = 0;
    }

    /// <summary>The level driven into an input pin from outside (pin 0-15).</summary>
    public void SetExternalLevel(int pin, bool high)
    {
        byte bit = (byte)(1 << (pin % 8));
        _externalLevels[pin / 8] = high ? (byte)(_externalLevels[pin / 8] | bit) : (byte)(_externalLevels[pin / 8] & ~bit);
    }

    /// <summary>Pulls a pin to a level whatever drives it (an overloaded or shorted output); null releases it.</summary>
    public void ForcePin(int pin, bool? high) => _forced[pin] = high is null ? null : (high.Value ? 1 : 0);

    /// <summary>The last value written to a register, or null when none was written since the list was cleared.</summary>
    public byte? LastWrite(byte address)
    {
        for (int i = RegisterWrites.Count - 1; i >= 0; i--)
        {
            if (RegisterWrites[i].Address == address)
            {
                return RegisterWrites[i].Value;
            }
        }

        return null;
    }

    public int WriteCount(byte address) => RegisterWrites.FindAll(w => w.Address == address).Count;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Transactions.Add(new I2cTransaction(true, buffer.ToArray()));
        if (buffer.Length == 0)
        {
            return;
        }

        _pointer = buffer[0];
        if (_pointer >= RegisterCount)
        {
            throw new InvalidOperationException($"MCP23017 has no register 0x{_pointer:X2} in the BANK = 0 map");
        }

        for (int i = 1; i < buffer.Length; i++)
        {
            WriteRegister(_pointer, buffer[i]);
            _pointer = Next(_pointer);
        }
    }

    public override void Read(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = ReadRegister(_pointer);
            _pointer = Next(_pointer);
        }

        Transactions.Add(new I2cTransaction(false, buffer.ToArray()));
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    protected override void Dispose(bool disposing)
    {
        Disposals++;
        base.Dispose(disposing);
    }

    private static byte Next(byte address) => (byte)((address + 1) % RegisterCount);

    private void WriteRegister(byte address, byte value)
    {
        RegisterWrites.Add((address, value));
        switch (address)
        {
            case GPIOA:
                _registers[OLATA] = value;
                break;
            case GPIOB:
                _registers[OLATB] = value;
                break;
            case IOCONA:
            case IOCONB:
                if ((value & 0x80) != 0)
                {
                    throw new NotSupportedException("this fake models the BANK = 0 register map only");
                }

                _registers[IOCONA] = value;
                _registers[IOCONB] = value;
                break;
            case 0x0E: // INTFA, INTFB, INTCAPA, INTCAPB are read-only
            case 0x0F:
            case 0x10:
            case 0x11:
                break;
            default:
                _registers[address] = value;
                break;
        }
    }

    private byte ReadRegister(byte address)
    {
        if (address is GPIOA or GPIOB)
        {
            int port = address - GPIOA;
            byte direction = _registers[IODIRA + port];
            byte level = (byte)((_registers[OLATA + port] & ~direction) | ((_externalLevels[port] ^ _registers[IPOLA + port]) & direction));
            for (int bit = 0; bit < 8; bit++)
            {
                int? forced = _forced[(port * 8) + bit];
                if (forced is not null)
                {
                    level = forced == 1 ? (byte)(level | (1 << bit)) : (byte)(level & ~(1 << bit));
                }
            }

            return level;
        }

        return _registers[address];
    }
}
