namespace SmartCommunity.Firmware.Boot;

/// <summary>
/// Whole-number parameters by name (hardware-docs/protocol.md §7, "params"): the configuration bundle on a device,
/// the layout in the simulator. Each device's settings read themselves from one of these, so a parameter's name and
/// default live in one place.
/// </summary>
public interface IParameterSource
{
    long Parameter(string name, long fallback);
}
