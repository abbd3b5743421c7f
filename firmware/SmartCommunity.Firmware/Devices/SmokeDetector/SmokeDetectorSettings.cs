namespace SmartCommunity.Firmware.Devices.SmokeDetector;

using SmartCommunity.Firmware.Boot;

/// <summary>
/// Smoke detector parameters, from the device configuration bundle. Readings are in the units of the detector
/// head's analog output (ADC counts of a 10-bit converter on the reference board; hardware-docs/smoke-detector.md).
/// Times that bound how long something may be silenced or delayed are clamped by the detector, so no bundle can
/// mute the sounder or hold back an alarm for long.
/// </summary>
public sealed class SmokeDetectorSettings
{
    /// <summary>Upper bound applied to <see cref="ConfirmationMs"/>.</summary>
    public const long MaxConfirmationMs = 60000;

    /// <summary>Upper bound applied to <see cref="HushMs"/>: a hush ends by itself within 10 minutes.</summary>
    public const long MaxHushMs = 600000;

    /// <summary>Upper bound applied to <see cref="TestMs"/>.</summary>
    public const long MaxTestMs = 300000;

    /// <summary>Upper bound applied to <see cref="BatteryDebounceMs"/>, so no bundle can keep a low battery from chirping.</summary>
    public const long MaxBatteryDebounceMs = 60000;

    /// <summary>Bounds applied to <see cref="ChirpEveryMs"/>: room for three chirps, and never rarer than once a minute.</summary>
    public const long MinChirpEveryMs = 2000;

    public const long MaxChirpEveryMs = 60000;

    /// <summary>A reading at or above this is smoke.</summary>
    public int AlarmThreshold = 600;

    /// <summary>Smoke must persist this long before it is an alarm; shorter spikes are pre-alarms only. At most 60 s.</summary>
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

    /// <summary>Time constant of the clean-air baseline, a slow average of in-range readings below the threshold.</summary>
    public long BaselineTimeConstantMs = 300000;

    /// <summary>A baseline above this level is a dirty chamber (once it has stayed there for the confirm time).</summary>
    public int DirtyChamberAbove = 450;

    /// <summary>The baseline must stay above (or, to clear, below) the dirty level this long before it counts.</summary>
    public long DirtyChamberConfirmMs = 3600000;

    /// <summary>A reading that has not changed by one count for this long is a stuck sensor.</summary>
    public long StuckAfterMs = 3600000;

    /// <summary>The low-battery input must hold a new level this long before it counts; at most 60 s.</summary>
    public long BatteryDebounceMs = 10000;

    /// <summary>The hush and test buttons must hold a new level this long before it counts.</summary>
    public long ButtonDebounceMs = 50;

    /// <summary>Period of the trouble chirps (low battery, faults); clamped to 2-60 s.</summary>
    public long ChirpEveryMs = 40000;

    /// <summary>How long a hush silences the local sounder during an alarm; at most 10 minutes.</summary>
    public long HushMs = 480000;

    /// <summary>A reading at or above this is dense smoke: a hush is refused, or ends.</summary>
    public int DenseSmokeLevel = 720;

    /// <summary>A hush ends when the reading rises more than this above its level when the hush began.</summary>
    public int RisingBy = 50;

    /// <summary>How long a test started by the test button lasts; at most 5 minutes.</summary>
    public long TestMs = 30000;

    /// <summary>The settings from a device's parameters (the bundle's "params", or the layout's); anything not given keeps its default.</summary>
    public static SmokeDetectorSettings Read(IParameterSource parameters)
    {
        SmokeDetectorSettings s = new SmokeDetectorSettings();
        s.AlarmThreshold = (int)parameters.Parameter("alarmThreshold", s.AlarmThreshold);
        s.ConfirmationMs = parameters.Parameter("confirmationMs", s.ConfirmationMs);
        s.RestoreMs = parameters.Parameter("restoreMs", s.RestoreMs);
        s.OpenCircuitBelow = (int)parameters.Parameter("openCircuitBelow", s.OpenCircuitBelow);
        s.ShortCircuitAbove = (int)parameters.Parameter("shortCircuitAbove", s.ShortCircuitAbove);
        s.FaultConfirmMs = parameters.Parameter("faultConfirmMs", s.FaultConfirmMs);
        s.SampleIntervalMs = parameters.Parameter("sampleIntervalMs", s.SampleIntervalMs);
        s.HeartbeatMs = parameters.Parameter("heartbeatMs", s.HeartbeatMs);
        s.TelemetryMs = parameters.Parameter("telemetryMs", s.TelemetryMs);
        s.BaselineTimeConstantMs = parameters.Parameter("baselineTimeConstantMs", s.BaselineTimeConstantMs);
        s.DirtyChamberAbove = (int)parameters.Parameter("dirtyChamberAbove", s.DirtyChamberAbove);
        s.DirtyChamberConfirmMs = parameters.Parameter("dirtyChamberConfirmMs", s.DirtyChamberConfirmMs);
        s.StuckAfterMs = parameters.Parameter("stuckAfterMs", s.StuckAfterMs);
        s.BatteryDebounceMs = parameters.Parameter("batteryDebounceMs", s.BatteryDebounceMs);
        s.ButtonDebounceMs = parameters.Parameter("buttonDebounceMs", s.ButtonDebounceMs);
        s.ChirpEveryMs = parameters.Parameter("chirpEveryMs", s.ChirpEveryMs);
        s.HushMs = parameters.Parameter("hushMs", s.HushMs);
        s.DenseSmokeLevel = (int)parameters.Parameter("denseSmokeLevel", s.DenseSmokeLevel);
        s.RisingBy = (int)parameters.Parameter("risingBy", s.RisingBy);
        s.TestMs = parameters.Parameter("testMs", s.TestMs);
        return s;
    }
}
