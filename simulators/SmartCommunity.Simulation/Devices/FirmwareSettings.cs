namespace SmartCommunity.Simulation.Devices;

using System;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Devices.EmergencyCallPoint;
using SmartCommunity.Firmware.Devices.LeakValve;
using SmartCommunity.Firmware.Devices.ManualCallPoint;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Protocol.Wiegand;

/// <summary>
/// A layout device's parameters as the firmware's settings objects, the way the device would read them from its
/// configuration bundle (hardware-docs/protocol.md §7): every parameter the layout does not give keeps its default.
/// </summary>
public static class FirmwareSettings
{
    /// <summary>
    /// The door's settings read the way the board reads its bundle (<see cref="DoorSettings.Read"/>), with the layout's
    /// lockMode and egressCritical keys as the bundle carries them: the 0/1 parameters failSecure and egressCritical
    /// (given as params, they are read when the key is left out).
    /// </summary>
    public static DoorSettings Door(DeviceDefinition device) => DoorSettings.Read(device.Role, new LayoutParameters(device));

    private sealed class LayoutParameters(DeviceDefinition device) : IParameterSource
    {
        public long Parameter(string name, long fallback) => name switch
        {
            "failSecure" when device.LockMode is { } mode => mode == DeviceKinds.LockFailSecure ? 1 : 0,
            "egressCritical" when device.EgressCritical is { } critical => critical ? 1 : 0,
            _ => device.Parameter(name, fallback),
        };
    }

    /// <summary>
    /// The framing of a door's Wiegand input (hardware-docs/wiegand.md §3): the collector's defaults, since the door's
    /// parameters name no framing settings.
    /// </summary>
    public static WiegandSettings Wiegand(DeviceDefinition device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new WiegandSettings();
    }

    public static SmokeDetectorSettings SmokeDetector(DeviceDefinition device)
    {
        var defaults = new SmokeDetectorSettings();
        return new SmokeDetectorSettings
        {
            AlarmThreshold = (int)device.Parameter("alarmThreshold", defaults.AlarmThreshold),
            ConfirmationMs = device.Parameter("confirmationMs", defaults.ConfirmationMs),
            RestoreMs = device.Parameter("restoreMs", defaults.RestoreMs),
            OpenCircuitBelow = (int)device.Parameter("openCircuitBelow", defaults.OpenCircuitBelow),
            ShortCircuitAbove = (int)device.Parameter("shortCircuitAbove", defaults.ShortCircuitAbove),
            FaultConfirmMs = device.Parameter("faultConfirmMs", defaults.FaultConfirmMs),
            SampleIntervalMs = device.Parameter("sampleIntervalMs", defaults.SampleIntervalMs),
            HeartbeatMs = device.Parameter("heartbeatMs", defaults.HeartbeatMs),
            TelemetryMs = device.Parameter("telemetryMs", defaults.TelemetryMs),
            BaselineTimeConstantMs = device.Parameter("baselineTimeConstantMs", defaults.BaselineTimeConstantMs),
            DirtyChamberAbove = (int)device.Parameter("dirtyChamberAbove", defaults.DirtyChamberAbove),
            DirtyChamberConfirmMs = device.Parameter("dirtyChamberConfirmMs", defaults.DirtyChamberConfirmMs),
            StuckAfterMs = device.Parameter("stuckAfterMs", defaults.StuckAfterMs),
            BatteryDebounceMs = device.Parameter("batteryDebounceMs", defaults.BatteryDebounceMs),
            ButtonDebounceMs = device.Parameter("buttonDebounceMs", defaults.ButtonDebounceMs),
            ChirpEveryMs = device.Parameter("chirpEveryMs", defaults.ChirpEveryMs),
            HushMs = device.Parameter("hushMs", defaults.HushMs),
            DenseSmokeLevel = (int)device.Parameter("denseSmokeLevel", defaults.DenseSmokeLevel),
            RisingBy = (int)device.Parameter("risingBy", defaults.RisingBy),
            TestMs = device.Parameter("testMs", defaults.TestMs),
        };
    }

    /// <summary>The controller's parameters; <c>valveTravelMs</c> is the simulated valve's, not the firmware's.</summary>
    public static LeakValveSettings LeakValve(DeviceDefinition device)
    {
        var defaults = new LeakValveSettings();
        return new LeakValveSettings
        {
            LeakConfirmMs = device.Parameter("leakConfirmMs", defaults.LeakConfirmMs),
            DryConfirmMs = device.Parameter("dryConfirmMs", defaults.DryConfirmMs),
            TravelMs = device.Parameter("travelMs", defaults.TravelMs),
            ExerciseIntervalMs = device.Parameter("exerciseIntervalMs", defaults.ExerciseIntervalMs),
            ExerciseMs = device.Parameter("exerciseMs", defaults.ExerciseMs),
            CloseRetries = (int)device.Parameter("closeRetries", defaults.CloseRetries),
            CloseRetryPauseMs = device.Parameter("closeRetryPauseMs", defaults.CloseRetryPauseMs),
            ReversePauseMs = device.Parameter("reversePauseMs", defaults.ReversePauseMs),
            SwitchDebounceMs = device.Parameter("switchDebounceMs", defaults.SwitchDebounceMs),
            ButtonDebounceMs = device.Parameter("buttonDebounceMs", defaults.ButtonDebounceMs),
            HeartbeatMs = device.Parameter("heartbeatMs", defaults.HeartbeatMs),
        };
    }

    public static ManualCallPointSettings ManualCallPoint(DeviceDefinition device)
    {
        var defaults = new ManualCallPointSettings();
        return new ManualCallPointSettings
        {
            ContactDebounceMs = device.Parameter("contactDebounceMs", defaults.ContactDebounceMs),
            LineFaultConfirmMs = device.Parameter("lineFaultConfirmMs", defaults.LineFaultConfirmMs),
            HeartbeatMs = device.Parameter("heartbeatMs", defaults.HeartbeatMs),
        };
    }

    /// <summary>The call point's own parameters; quiet hours (<c>quietStartMin</c>, <c>quietEndMin</c>) are the edge's, not the device's.</summary>
    public static EmergencyCallPointSettings EmergencyCallPoint(DeviceDefinition device)
    {
        var defaults = new EmergencyCallPointSettings();
        return new EmergencyCallPointSettings
        {
            ButtonDebounceMs = device.Parameter("buttonDebounceMs", defaults.ButtonDebounceMs),
            CallResendMs = device.Parameter("callResendMs", defaults.CallResendMs),
            NoActivityMs = device.Parameter("noActivityMs", defaults.NoActivityMs),
            HandledShowMs = device.Parameter("handledShowMs", defaults.HandledShowMs),
            HeartbeatMs = device.Parameter("heartbeatMs", defaults.HeartbeatMs),
        };
    }
}
