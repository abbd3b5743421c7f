namespace SmartCommunity.Simulation.Devices;

using SmartCommunity.Edge.Layout;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Devices.EmergencyCallPoint;
using SmartCommunity.Firmware.Devices.LeakValve;
using SmartCommunity.Firmware.Devices.ManualCallPoint;
using SmartCommunity.Firmware.Devices.ParkingBarrier;
using SmartCommunity.Firmware.Devices.PulseMeter;
using SmartCommunity.Firmware.Devices.SmokeDetector;

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

    // The layout's door keys lockMode and egressCritical travel in the bundle as the 0/1 params failSecure and
    // egressCritical; every other parameter is the layout's params as given.
    private sealed class LayoutParameters(DeviceDefinition device) : IParameterSource
    {
        public long Parameter(string name, long fallback) => name switch
        {
            "failSecure" when device.LockMode is { } mode => mode == DeviceKinds.LockFailSecure ? 1 : 0,
            "egressCritical" when device.EgressCritical is { } critical => critical ? 1 : 0,
            _ => device.Parameter(name, fallback),
        };
    }

    public static SmokeDetectorSettings SmokeDetector(DeviceDefinition device) => SmokeDetectorSettings.Read(new LayoutParameters(device));

    /// <summary>The controller's parameters; <c>valveTravelMs</c> is the simulated valve's, not the firmware's.</summary>
    public static LeakValveSettings LeakValve(DeviceDefinition device) => LeakValveSettings.Read(new LayoutParameters(device));

    public static ManualCallPointSettings ManualCallPoint(DeviceDefinition device) => ManualCallPointSettings.Read(new LayoutParameters(device));

    /// <summary>The call point's own parameters; quiet hours (<c>quietStartMin</c>, <c>quietEndMin</c>) are the edge's, not the device's.</summary>
    public static EmergencyCallPointSettings EmergencyCallPoint(DeviceDefinition device) => EmergencyCallPointSettings.Read(new LayoutParameters(device));

    /// <summary>The controller's parameters; <c>armTravelMs</c> is the simulated arm's, not the firmware's.</summary>
    public static BarrierSettings Barrier(DeviceDefinition device) => BarrierSettings.Read(new LayoutParameters(device));

    /// <summary>
    /// The pulse meter's parameters as its bundle carries them (hardware-docs/pulse-meter.md, "Parameters"): medium and
    /// unit as the numeric codes <c>chNMedium</c> and <c>chNUnit</c>, since a layout's params are whole numbers.
    /// </summary>
    public static PulseMeterSettings PulseMeter(DeviceDefinition device) => PulseMeterSettings.Read(new LayoutParameters(device));
}
