namespace SmartCommunity.Firmware.Hal;

/// <summary>A digital input, already translated to its meaning: true = active (the adapter owns any inversion).</summary>
public interface IDigitalInput
{
    bool IsActive();
}
