namespace SmartCommunity.Firmware.Devices.PulseMeter;

/// <summary>
/// The unit of a channel's total (hardware-docs/pulse-meter.md, "Parameters"). The number is the bundle's
/// <c>chNUnit</c> code; 0 takes the medium's usual unit. Totals are kept in thousandths of this unit.
/// </summary>
public enum MeterUnit
{
    Default = 0,
    Litre = 1,
    CubicMetre = 2,
    WattHour = 3,
}
