namespace SmartCommunity.Firmware.Devices.SmokeDetector;

/// <summary>
/// Smoke detector parameters, from the device configuration bundle. Readings are in the units of the detector
/// head's analog output (ADC counts of a 10-bit converter on the reference board; hardware-docs/smoke-detector.md).
/// </summary>
public sealed class SmokeDetectorSettings
{
    /// <summary>A reading at or above this is smoke.</summary>
    public int AlarmThreshold = 600;

    /// <summary>Smoke must persist this long before it is an alarm; shorter spikes are pre-alarms only.</summary>
    public long ConfirmationMs = 3000;

    /// <summary>The reading must stay below the threshold this long before an alarm restores.</summary>
    public long RestoreMs = 10000;

    /// <summary>Readings below this mean an open circuit to the detector head.</summary>
    public int OpenCircuitBelow = 10;

    /// <summary>Readings above this mean a short circuit.</summary>
    public int ShortCircuitAbove = 1015;

    /// <summary>An out-of-range reading must persist this long before it is a fault.</summary>
    public long FaultConfirmMs = 2000;

    /// <summary>How often the head is read.</summary>
    public long SampleIntervalMs = 100;

    public long HeartbeatMs = 30000;

    public long TelemetryMs = 10000;
}
