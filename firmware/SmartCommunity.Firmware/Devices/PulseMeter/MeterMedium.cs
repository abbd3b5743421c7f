namespace SmartCommunity.Firmware.Devices.PulseMeter;

/// <summary>
/// What a pulse channel measures (hardware-docs/pulse-meter.md, "Parameters"). The number is the bundle's
/// <c>chNMedium</c> code; 0 leaves the channel unfitted.
/// </summary>
public enum MeterMedium
{
    None = 0,
    Water = 1,
    HotWater = 2,
    Gas = 3,
    Electricity = 4,
}
