namespace SmartCommunity.Simulation.Devices;

using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Devices.EmergencyCallPoint;
using SmartCommunity.Firmware.Devices.LeakValve;
using SmartCommunity.Firmware.Devices.ManualCallPoint;
using SmartCommunity.Firmware.Devices.SmokeDetector;

/// <summary>
/// A layout device's parameters as the firmware's settings objects, the way the device would read them from its
/// configuration bundle (hardware-docs/protocol.md §7): every parameter the layout does not give keeps its default.
/// </summary>
public static class FirmwareSettings
{
    public static DoorSettings Door(DeviceDefinition device)
    {
        var defaults = new DoorSettings();
        return new DoorSettings
        {
            Role = device.Role == DeviceKinds.RoleHoldOpen ? DoorRole.HoldOpen : DoorRole.EgressLock,
            FireInputClearMs = device.Parameter("fireInputClearMs", defaults.FireInputClearMs),
            DoorContactDebounceMs = device.Parameter("doorContactDebounceMs", defaults.DoorContactDebounceMs),
            DefaultUnlockMs = device.Parameter("defaultUnlockMs", defaults.DefaultUnlockMs),
            MaxUnlockMs = device.Parameter("maxUnlockMs", defaults.MaxUnlockMs),
            HeartbeatMs = device.Parameter("heartbeatMs", defaults.HeartbeatMs),
        };
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
