namespace SmartCommunity.Bindings.Tests.Fakes;

using System;
using System.Collections.Generic;
using System.Device.I2c;
using System.IO;

/// <summary>
/// An ADS1115 on a fake I2C bus, modelled at register level (TI SBAS444, "Register Map"): a write's first byte
/// is the address pointer (0x00 conversion, 0x01 config, 0x02 Lo_thresh, 0x03 Hi_thresh), two more bytes write that
/// register MSB first; reads return the pointed register MSB first. Conversions follow the config register the way
/// the datasheet says: MUX[14:12] picks the input pair, PGA[11:9] the full-scale range, MODE[8] single-shot or
/// continuous; a single-shot starts when OS[15] is written 1 and, in this model, finishes at once, so OS reads 1
/// ("not converting"). The analog inputs are voltages the test sets.
/// </summary>
public sealed class Ads1115RegisterFile : I2cDevice
{
    public const byte ConversionRegister = 0x00;
    public const byte ConfigRegister = 0x01;
    public const byte LoThresholdRegister = 0x02;
    public const byte HiThresholdRegister = 0x03;

    private static readonly double[] FullScaleVolts = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];

    private readonly ushort[] _registers = new ushort[4];
    private readonly double[] _inputs = new double[4];
    private byte _pointer;

    public Ads1115RegisterFile(int busId = 1, int address = 0x48)
    {
        ConnectionSettings = new I2cConnectionSettings(busId, address);

        // Reset values (SBAS444, register field descriptions): config 0x8583 (AIN0-AIN1, ±2.048 V, single-shot, 128 SPS, comparator off).
        _registers[ConfigRegister] = 0x8583;
        _registers[LoThresholdRegister] = 0x8000;
        _registers[HiThresholdRegister] = 0x7FFF;
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    public List<I2cTransaction> Transactions { get; } = new();

    /// <summary>Every value written to the config register, in order.</summary>
    public List<ushort> ConfigWrites { get; } = new();

    /// <summary>Conversions performed (single-shots started, or continuous results read).</summary>
    public int Conversions { get; private set; }

    /// <summary>Fault switch: every transfer throws, as a chip that stopped answering (NACK) does on Linux.</summary>
    public bool Unplugged { get; set; }

    public ushort Config => _registers[ConfigRegister];

    /// <summary>Sets the voltage on AIN0..AIN3 against GND.</summary>
    public void SetInput(int channel, double volts) => _inputs[channel] = volts;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfUnplugged();
        Transactions.Add(new I2cTransaction(true, buffer.ToArray()));
        if (buffer.Length == 0)
        {
            return;
        }

        if (buffer[0] > HiThresholdRegister)
        {
            throw new InvalidOperationException($"ADS1115 pointer byte 0x{buffer[0]:X2}: only 0x00-0x03 exist (address pointer register)");
        }

        _pointer = buffer[0];
        if (buffer.Length == 1)
        {
            return;
        }

        if (buffer.Length != 3)
        {
            throw new InvalidOperationException($"ADS1115 register writes are pointer + 2 bytes, got {buffer.Length} bytes");
        }

        ushort value = (ushort)((buffer[1] << 8) | buffer[2]);
        switch (_pointer)
        {
            case ConversionRegister:
                throw new InvalidOperationException("the conversion register is read-only");
            case ConfigRegister:
                ConfigWrites.Add(value);
                bool singleShot = (value & 0x0100) != 0;
                bool start = (value & 0x8000) != 0;
                _registers[ConfigRegister] = (ushort)(value | 0x8000);
                if (singleShot && start)
                {
                    Convert();
                }

                break;
            default:
                _registers[_pointer] = value;
                break;
        }
    }

    public override void Read(Span<byte> buffer)
    {
        ThrowIfUnplugged();
        if (_pointer == ConversionRegister && (_registers[ConfigRegister] & 0x0100) == 0)
        {
            Convert();
        }

        ushort value = _registers[_pointer];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = i == 0 ? (byte)(value >> 8) : i == 1 ? (byte)value : (byte)0;
        }

        Transactions.Add(new I2cTransaction(false, buffer.ToArray()));
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private void ThrowIfUnplugged()
    {
        if (Unplugged)
        {
            throw new IOException("Error 6 performing I2C data transfer (no acknowledge)");
        }
    }

    private void Convert()
    {
        ushort config = _registers[ConfigRegister];
        int mux = (config >> 12) & 0x7;
        double fullScale = FullScaleVolts[(config >> 9) & 0x7];
        double volts = mux switch
        {
            0 => _inputs[0] - _inputs[1],
            1 => _inputs[0] - _inputs[3],
            2 => _inputs[1] - _inputs[3],
            3 => _inputs[2] - _inputs[3],
            _ => _inputs[mux - 4],
        };
        double code = Math.Round(volts / fullScale * 32768.0);
        _registers[ConversionRegister] = (ushort)(short)Math.Clamp(code, short.MinValue, short.MaxValue);
        Conversions++;
    }
}
