namespace SmartCommunity.Firmware.Devices.SmokeDetector;

/// <summary>
/// What is wrong with the detector; a bit set, several can stand at once (hardware-docs/smoke-detector.md,
/// "Faults"). Only the circuit faults stop the head from measuring; the others are reported while smoke
/// detection carries on.
/// </summary>
public static class SmokeFaults
{
    /// <summary>The reading is below the valid range: the wire to the head is broken.</summary>
    public const int OpenCircuit = 1;

    /// <summary>The reading is above the valid range: the wiring is shorted.</summary>
    public const int ShortCircuit = 2;

    /// <summary>The clean-air baseline has drifted up: the chamber needs cleaning or the head replacing.</summary>
    public const int DirtyChamber = 4;

    /// <summary>The reading has not moved by one count for the stuck time; a working head always has some noise.</summary>
    public const int SensorStuck = 8;

    /// <summary>The highest bit, for loops over every fault.</summary>
    public const int Last = SensorStuck;

    /// <summary>Faults during which the reading means nothing, so the state is "fault" unless an alarm stands.</summary>
    public const int Circuit = OpenCircuit | ShortCircuit;

    public static string NameOf(int fault)
    {
        switch (fault)
        {
            case OpenCircuit: return "open-circuit";
            case ShortCircuit: return "short-circuit";
            case DirtyChamber: return "dirty-chamber";
            case SensorStuck: return "sensor-stuck";
            default: return "unknown";
        }
    }
}
