namespace SmartCommunity.Bindings.Tests;

using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Bindings.Linux;
using SmartCommunity.Bindings.Tests.Fakes;
using static SmartCommunity.Bindings.Tests.Fakes.Mcp23017RegisterFile;

[TestClass]
public sealed class Mcp23017RelayBoardTests
{
    // Relays on GPA0, GPA3 and GPB1 (pin 9): masks 0x09 on port A, 0x02 on port B.
    private static readonly int[] Pins = [0, 3, 9];

    [TestMethod]
    public void Constructor_ActiveHigh_DirectionMakesOnlyRelayPinsOutputs()
    {
        var chip = new Mcp23017RegisterFile();

        using var board = new Mcp23017RelayBoard(chip, new Mcp23017RelayBoardSettings { RelayPins = Pins });

        Assert.AreEqual(0xF6, chip[IODIRA], "IODIRA: GPA0 and GPA3 outputs (0), the rest inputs (1)");
        Assert.AreEqual(0xFD, chip[IODIRB], "IODIRB: GPB1 output, the rest inputs");
        Assert.AreEqual(0x00, chip[OLATA]);
        Assert.AreEqual(0x00, chip[OLATB]);
    }

    [TestMethod]
    public void Constructor_ActiveLow_LatchHoldsReleasedLevelBeforeAnyPinIsAnOutput()
    {
        var chip = new Mcp23017RegisterFile();

        using var board = new Mcp23017RelayBoard(chip, new Mcp23017RelayBoardSettings { RelayPins = Pins, ActiveLow = true });

        int latchA = chip.RegisterWrites.FindLastIndex(w => w.Address == OLATA && w.Value == 0x09);
        int latchB = chip.RegisterWrites.FindLastIndex(w => w.Address == OLATB && w.Value == 0x02);
        int directionA = chip.RegisterWrites.FindIndex(w => w.Address == IODIRA && w.Value != 0xFF);
        int directionB = chip.RegisterWrites.FindIndex(w => w.Address == IODIRB && w.Value != 0xFF);
        Assert.IsTrue(latchA >= 0 && latchB >= 0, "OLATA/OLATB must be written with the released (high) level");
        Assert.IsTrue(directionA > latchA && directionA > latchB, "IODIRA may change only after both latches hold the released level");
        Assert.IsTrue(directionB > latchA && directionB > latchB, "IODIRB may change only after both latches hold the released level");
        Assert.AreEqual(0xF6, chip[IODIRA]);
        Assert.AreEqual(0xFD, chip[IODIRB]);
        foreach (int pin in Pins)
        {
            Assert.IsFalse(board.GetRelay(pin).IsEnergised, $"pin {pin}");
        }
    }

    [TestMethod]
    public void Write_RelaysOnPortA_SetsAndClearsOnlyTheirOwnBits()
    {
        var chip = new Mcp23017RegisterFile();
        using var board = new Mcp23017RelayBoard(chip, new Mcp23017RelayBoardSettings { RelayPins = Pins });
        chip.RegisterWrites.Clear();

        board.GetRelay(3).Write(true);
        Assert.AreEqual(0x08, chip[OLATA]);
        board.GetRelay(0).Write(true);
        Assert.AreEqual(0x09, chip[OLATA]);
        board.GetRelay(3).Write(false);
        Assert.AreEqual(0x01, chip[OLATA]);

        CollectionAssert.AreEqual(
            new[] { (OLATA, (byte)0x08), (OLATA, (byte)0x09), (OLATA, (byte)0x01) },
            chip.RegisterWrites,
            "one OLATA write per relay change, nothing on port B or the direction registers");
    }

    [TestMethod]
    public void Write_RelayOnPortB_WritesOlatbOnlyAndKeepsPortA()
    {
        var chip = new Mcp23017RegisterFile();
        using var board = new Mcp23017RelayBoard(chip, new Mcp23017RelayBoardSettings { RelayPins = Pins });
        board.GetRelay(0).Write(true);
        chip.RegisterWrites.Clear();

        board.GetRelay(9).Write(true);

        CollectionAssert.AreEqual(new[] { (OLATB, (byte)0x02) }, chip.RegisterWrites);
        Assert.AreEqual(0x01, chip[OLATA]);
        Assert.IsTrue(board.GetRelay(0).IsEnergised);
        Assert.IsTrue(board.GetRelay(9).IsEnergised);
    }

    [TestMethod]
    public void Write_ActiveLow_EnergisedClearsBit()
    {
        var chip = new Mcp23017RegisterFile();
        using var board = new Mcp23017RelayBoard(chip, new Mcp23017RelayBoardSettings { RelayPins = Pins, ActiveLow = true });

        board.GetRelay(3).Write(true);

        Assert.AreEqual(0x01, chip[OLATA], "GPA3 low energises, GPA0 stays high (released)");
        Assert.IsTrue(board.GetRelay(3).IsEnergised);
        Assert.IsFalse(board.GetRelay(0).IsEnergised);
    }

    [TestMethod]
    public void Write_PinPulledAwayFromItsLatch_OtherRelaysKeepTheShadowValue()
    {
        var chip = new Mcp23017RegisterFile();
        using var board = new Mcp23017RelayBoard(chip, new Mcp23017RelayBoardSettings { RelayPins = Pins });
        board.GetRelay(0).Write(true);

        // An overloaded output: GPIOA reads GPA0 low although its latch is high. A read-modify-write of GPIOA would
        // now switch relay 0 off when relay 3 is switched on.
        chip.ForcePin(0, false);
        chip.Transactions.Clear();
        board.GetRelay(3).Write(true);

        Assert.AreEqual(0x09, chip[OLATA]);
        Assert.IsFalse(chip.Transactions.Exists(t => !t.IsWrite), "relay writes never read the chip");
    }

    [TestMethod]
    public void Write_ManyTimes_DirectionRegistersWrittenOnce()
    {
        var chip = new Mcp23017RegisterFile();
        using var board = new Mcp23017RelayBoard(chip, new Mcp23017RelayBoardSettings { RelayPins = Pins });
        int before = chip.WriteCount(IODIRA) + chip.WriteCount(IODIRB);

        for (int i = 0; i < 10; i++)
        {
            board.GetRelay(Pins[i % 3]).Write(i % 2 == 0);
        }

        Assert.AreEqual(before, chip.WriteCount(IODIRA) + chip.WriteCount(IODIRB));
    }

    [TestMethod]
    public void Refresh_AfterExpanderPowerOnReset_RestoresLatchThenDirection()
    {
        var chip = new Mcp23017RegisterFile();
        using var board = new Mcp23017RelayBoard(chip, new Mcp23017RelayBoardSettings { RelayPins = Pins });
        board.GetRelay(9).Write(true);
        chip.PowerOnReset();
        chip.RegisterWrites.Clear();

        board.Refresh();

        CollectionAssert.AreEqual(
            new[] { (OLATA, (byte)0x00), (OLATB, (byte)0x02), (IODIRA, (byte)0xF6), (IODIRB, (byte)0xFD) },
            chip.RegisterWrites);
    }

    [TestMethod]
    public void Dispose_EnergisedRelays_ReleasesAllAndDisposesDevice()
    {
        var chip = new Mcp23017RegisterFile();
        var board = new Mcp23017RelayBoard(chip, new Mcp23017RelayBoardSettings { RelayPins = Pins });
        board.GetRelay(0).Write(true);
        board.GetRelay(9).Write(true);

        board.Dispose();
        board.Dispose();

        Assert.AreEqual(0x00, chip[OLATA]);
        Assert.AreEqual(0x00, chip[OLATB]);
        Assert.AreEqual(0xF6, chip[IODIRA], "relay pins stay outputs, driven released");
        Assert.IsTrue(chip.Disposals >= 1);
        Assert.ThrowsExactly<ObjectDisposedException>(() => board.GetRelay(0).Write(true));
    }

    [TestMethod]
    public void Dispose_NotOwningDevice_LeavesDeviceOpen()
    {
        var chip = new Mcp23017RegisterFile();
        var board = new Mcp23017RelayBoard(chip, new Mcp23017RelayBoardSettings { RelayPins = Pins }, shouldDispose: false);

        board.Dispose();

        Assert.AreEqual(0, chip.Disposals);
    }

    [TestMethod]
    public void Constructor_BadPins_Throw()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new Mcp23017RelayBoard(new Mcp23017RegisterFile(), new Mcp23017RelayBoardSettings()));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new Mcp23017RelayBoard(new Mcp23017RegisterFile(), new Mcp23017RelayBoardSettings { RelayPins = [16] }));
        Assert.ThrowsExactly<ArgumentException>(() => new Mcp23017RelayBoard(new Mcp23017RegisterFile(), new Mcp23017RelayBoardSettings { RelayPins = [2, 2] }));
    }

    [TestMethod]
    public void GetRelay_NotARelayPin_Throws()
    {
        using var board = new Mcp23017RelayBoard(new Mcp23017RegisterFile(), new Mcp23017RelayBoardSettings { RelayPins = Pins });

        Assert.ThrowsExactly<ArgumentException>(() => board.GetRelay(1));
        CollectionAssert.AreEqual(Pins, new System.Collections.Generic.List<int>(board.RelayPins));
    }
}
