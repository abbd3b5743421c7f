namespace SmartCommunity.Firmware.Hal;

/// <summary>An analog input read as a whole number in the unit of the device's settings (e.g. ADC counts).</summary>
public interface IAnalogInput
{
    int Read();
}
