namespace SmartCommunity.Firmware.Hal;

/// <summary>A digital output. true = energised. An unpowered board leaves it de-energised (hardware-docs/safety.md).</summary>
public interface IDigitalOutput
{
    void Write(bool energised);
}
