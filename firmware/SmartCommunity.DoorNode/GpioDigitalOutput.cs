namespace SmartCommunity.DoorNode;

using System.Device.Gpio;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// A push-pull output where high = energised. Only for drivers that are off when the pin is low or floating
/// (a logic-level MOSFET or transistor with a gate/base pull-down). Relay modules with an active-low input are
/// not allowed: they energise while the MCU is in reset (hardware-docs/safety.md).
/// </summary>
internal sealed class GpioDigitalOutput : IDigitalOutput
{
    private readonly GpioPin _pin;

    private GpioDigitalOutput(GpioPin pin)
    {
        _pin = pin;
    }

    public int PinNumber => _pin.PinNumber;

    /// <summary>
    /// Opens the pin as an output and drives it low at once. The output latch of an ESP32 GPIO is 0 after reset, so
    /// switching the pin to output drives low from the first instant; the explicit write makes that independent of
    /// the port and of what ran before a soft reboot.
    /// </summary>
    public static GpioDigitalOutput OpenReleased(GpioController controller, int pinNumber)
    {
        GpioPin pin = controller.OpenPin(pinNumber, PinMode.Output);
        pin.Write(PinValue.Low);
        return new GpioDigitalOutput(pin);
    }

    public void Write(bool energised)
    {
        _pin.Write(energised ? PinValue.High : PinValue.Low);
    }
}
