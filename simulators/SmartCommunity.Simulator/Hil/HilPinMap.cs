namespace SmartCommunity.Simulator.Hil;

using System.Collections.Generic;

/// <summary>
/// A HIL pin map (hardware-docs/hil.md): which GPIO line of the bench board (a Linux board running sc-sim) is wired
/// to which named pin of a device under test, and the loopback jumpers <c>sc-sim hil check</c> tests the lines with.
/// </summary>
public sealed record HilPinMap(string File, int Chip, IReadOnlyList<HilDevice> Devices, IReadOnlyList<HilJumper> Jumpers)
{
    /// <summary>"17 (b1-lobby-entrance.lock)" for a line the map names, "17" otherwise.</summary>
    public string Describe(int line)
    {
        foreach (HilDevice device in Devices)
        {
            foreach (HilPin pin in device.Pins)
            {
                if (pin.Line == line)
                {
                    return $"{line} ({device.Id}.{pin.Name})";
                }
            }
        }

        return line.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A device under test: a layout id and kind, and its named pins as wired to the bench.</summary>
public sealed record HilDevice(string Id, string Kind, IReadOnlyList<HilPin> Pins);

/// <summary>
/// One named pin of the device under test on one bench line. <see cref="ActiveLow"/> is the device's own electrical
/// convention for the signal (door-controller.md: the door contact is active-low), so "active" always means what
/// the layout name says: fire present, door closed, lock energised.
/// </summary>
public sealed record HilPin(string Name, int Line, bool ActiveLow, HilDirection Direction, bool InitiallyActive);

/// <summary>Seen from the bench: it drives the device's inputs and reads the device's outputs.</summary>
public enum HilDirection
{
    /// <summary>A device input (fire, doorClosed): the bench line is an output.</summary>
    BenchDrives,

    /// <summary>A device output (lock): the bench line is an input.</summary>
    BenchReads,
}

/// <summary>A loopback jumper for <c>hil check</c>: bench output line <see cref="Drive"/> wired to bench input line <see cref="Read"/>.</summary>
public sealed record HilJumper(int Drive, int Read);
