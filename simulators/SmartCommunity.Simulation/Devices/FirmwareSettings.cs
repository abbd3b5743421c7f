namespace SmartCommunity.Simulation.Devices;

using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Devices.DoorController;
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
            HeartbeatMs = device.Parameter("heartbeatMs", defaults.HeartbeatMs),
            TelemetryMs = device.Parameter("telemetryMs", defaults.TelemetryMs),
        };
    }
}
