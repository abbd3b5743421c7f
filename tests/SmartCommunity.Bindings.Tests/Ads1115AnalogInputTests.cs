namespace SmartCommunity.Bindings.Tests;

using System;
using Iot.Device.Ads1115;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Bindings.Linux;
using SmartCommunity.Bindings.Tests.Fakes;
using UnitsNet;

[TestClass]
public sealed class Ads1115AnalogInputTests
{
    // 4 mA and 16 mA of a 4-20 mA head across the reference 120 Ω shunt (smoke-detector.md, "Wiring").
    private const double CleanAirVolts = 0.48;
    private const double SmokeVolts = 1.92;

    [TestMethod]
    public void Read_Ain1Fs4096Continuous_ConfigRegisterAsDatasheetSays()
    {
        var chip = new Ads1115RegisterFile();
        using var adc = new Ads1115(chip);
        var head = new Ads1115AnalogInput(adc, new Ads1115AnalogInputSettings { Channel = InputMultiplexer.AIN1 });

        head.Read();

        ushort config = chip.Config;
        Assert.AreEqual(0b101, (config >> 12) & 0b111, "MUX[14:12] = 101: AINP = AIN1, AINN = GND");
        Assert.AreEqual(0b001, (config >> 9) & 0b111, "PGA[11:9] = 001: FSR ±4.096 V");
        Assert.AreEqual(0, (config >> 8) & 1, "MODE[8] = 0: continuous conversion");
        Assert.AreEqual(0b100, (config >> 5) & 0b111, "DR[7:5] = 100: 128 SPS");
        Assert.AreEqual(0b11, config & 0b11, "COMP_QUE[1:0] = 11: comparator disabled");
        Assert.AreEqual(0xD283 & 0x7FFF, chip.ConfigWrites[^1] & 0x7FFF);
    }

    [TestMethod]
    public void Read_Fs2048Sps860_GainAndRateBitsWritten()
    {
        var chip = new Ads1115RegisterFile();
        using var adc = new Ads1115(chip);
        var head = new Ads1115AnalogInput(adc, new Ads1115AnalogInputSettings
        {
            Channel = InputMultiplexer.AIN3,
            MeasuringRange = MeasuringRange.FS2048,
            DataRate = DataRate.SPS860,
            FullScale = ElectricPotential.FromVolts(2.0),
        });

        head.Read();

        Assert.AreEqual(0b111, (chip.Config >> 12) & 0b111, "MUX = AIN3 against GND");
        Assert.AreEqual(0b010, (chip.Config >> 9) & 0b111, "PGA = ±2.048 V");
        Assert.AreEqual(0b111, (chip.Config >> 5) & 0b111, "DR = 860 SPS");
    }

    [TestMethod]
    public void Read_CleanAirOnItsChannel_ScaledToTenBitCounts()
    {
        var chip = new Ads1115RegisterFile();
        chip.SetInput(0, 3.0);
        chip.SetInput(1, CleanAirVolts);
        using var adc = new Ads1115(chip);
        var head = new Ads1115AnalogInput(adc, new Ads1115AnalogInputSettings { Channel = InputMultiplexer.AIN1 });

        int level = head.Read();

        // 0.48 V / 4.096 V * 32768 = 3840 raw; 0.48 V / 3.3 V * 1023 = 148.8 → 149 counts. AIN0 would read 930.
        Assert.AreEqual(149, level);
        Assert.AreEqual(3840, head.LastRaw);
    }

    [TestMethod]
    public void Read_ConversionRegister_ReadThroughPointerZero()
    {
        var chip = new Ads1115RegisterFile();
        chip.SetInput(0, SmokeVolts);
        using var adc = new Ads1115(chip);
        var head = new Ads1115AnalogInput(adc);
        head.Read();
        chip.Transactions.Clear();
        chip.ConfigWrites.Clear();

        int level = head.Read();

        Assert.AreEqual(595, level, "1.92 V / 3.3 V * 1023");
        Assert.AreEqual(0, chip.ConfigWrites.Count, "same channel in continuous mode: no reconfiguration");
        Assert.AreEqual("W 00", chip.Transactions[0].ToString(), "pointer 0x00: conversion register");
        Assert.IsFalse(chip.Transactions[1].IsWrite);
    }

    [TestMethod]
    public void Read_RawScaling_ReturnsConversionResult()
    {
        var chip = new Ads1115RegisterFile();
        chip.SetInput(2, CleanAirVolts);
        using var adc = new Ads1115(chip);
        var head = new Ads1115AnalogInput(adc, new Ads1115AnalogInputSettings { Channel = InputMultiplexer.AIN2, Scaling = Ads1115Scaling.Raw });

        Assert.AreEqual(3840, head.Read());
    }

    [TestMethod]
    public void Read_ShortAndOpenCircuit_ReadFullScaleAndZero()
    {
        var chip = new Ads1115RegisterFile();
        using var adc = new Ads1115(chip);
        var head = new Ads1115AnalogInput(adc);

        chip.SetInput(0, 3.4);
        Assert.AreEqual(Ads1115AnalogInput.MaxCount, head.Read());

        chip.SetInput(0, 0.0);
        Assert.AreEqual(0, head.Read());
    }

    [TestMethod]
    public void Read_NegativeDifferential_ClampsToZero()
    {
        var chip = new Ads1115RegisterFile();
        chip.SetInput(0, 0.2);
        chip.SetInput(1, 0.5);
        using var adc = new Ads1115(chip);
        var head = new Ads1115AnalogInput(adc, new Ads1115AnalogInputSettings { Channel = InputMultiplexer.AIN0_AIN1 });

        Assert.AreEqual(0, head.Read());
        Assert.IsTrue(head.LastRaw < 0);
    }

    [TestMethod]
    public void Read_TwoChannelsShareOneChip_EachReadsItsOwnInput()
    {
        var chip = new Ads1115RegisterFile();
        chip.SetInput(0, CleanAirVolts);
        chip.SetInput(1, SmokeVolts);
        using var adc = new Ads1115(chip);
        var first = new Ads1115AnalogInput(adc, new Ads1115AnalogInputSettings { Channel = InputMultiplexer.AIN0 });
        var second = new Ads1115AnalogInput(adc, new Ads1115AnalogInputSettings { Channel = InputMultiplexer.AIN1 });

        Assert.AreEqual(149, first.Read());
        Assert.AreEqual(595, second.Read());
        Assert.AreEqual(149, first.Read());
        Assert.AreEqual(0b100, (chip.Config >> 12) & 0b111, "the last read switched the MUX back to AIN0");
    }

    [TestMethod]
    public void Read_PowerDownMode_StartsOneSingleShotPerRead()
    {
        var chip = new Ads1115RegisterFile();
        chip.SetInput(0, SmokeVolts);
        using var adc = new Ads1115(chip, InputMultiplexer.AIN0, MeasuringRange.FS4096, DataRate.SPS128, DeviceMode.PowerDown);
        var head = new Ads1115AnalogInput(adc);
        chip.ConfigWrites.Clear();
        int before = chip.Conversions;

        Assert.AreEqual(595, head.Read());
        Assert.AreEqual(595, head.Read());

        Assert.AreEqual(2, chip.ConfigWrites.Count);
        foreach (ushort written in chip.ConfigWrites)
        {
            Assert.AreEqual(1, written >> 15, "OS = 1: start a single conversion");
            Assert.AreEqual(1, (written >> 8) & 1, "MODE = 1: single-shot");
        }

        Assert.AreEqual(before + 2, chip.Conversions);
    }

    [TestMethod]
    public void Read_BusFails_ReturnsOpenCircuitValueAndCounts()
    {
        var chip = new Ads1115RegisterFile();
        chip.SetInput(0, SmokeVolts);
        using var adc = new Ads1115(chip);
        var head = new Ads1115AnalogInput(adc);
        chip.Unplugged = true;

        Assert.AreEqual(0, head.Read());
        Assert.AreEqual(1, head.ReadErrors);

        chip.Unplugged = false;
        Assert.AreEqual(595, head.Read());
    }

    [TestMethod]
    public void Constructor_FullScaleAboveRange_Throws()
    {
        var chip = new Ads1115RegisterFile();
        using var adc = new Ads1115(chip);

        Assert.ThrowsExactly<ArgumentException>(() => new Ads1115AnalogInput(adc, new Ads1115AnalogInputSettings { MeasuringRange = MeasuringRange.FS2048 }));
        _ = new Ads1115AnalogInput(adc, new Ads1115AnalogInputSettings { MeasuringRange = MeasuringRange.FS2048, Scaling = Ads1115Scaling.Raw });
    }
}
