namespace SmartCommunity.DoorNode;

using System.Device.Gpio;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// A polled digital input translated to its meaning (<see cref="IDigitalInput"/>: true = active). Debouncing is
/// the device logic's job, on its own clock, so no native debounce or pin events are used here.
/// </summary>
internal sealed class GpioDigitalInput : IDigitalInput
{
    private readonly GpioPin _pin;
    private readonly bool _activeLow;

    /// <param name="mode">
    /// <see cref="PinMode.Input"/> for pins with an external resistor (GPIO 34-39 have no internal pulls at all);
    /// <see cref="PinMode.InputPullUp"/> only where the board relies on the weak internal pull-up.
    /// </param>
    /// <param name="activeLow">True when a low level means active (a contact switching to ground).</param>
    public GpioDigitalInput(GpioController controller, int pinNumber, PinMode mode, bool activeLow)
    {
        _pin = controller.OpenPin(pinNumber, mode);
        _activeLow = activeLow;
    }

    public bool IsActive()
    {
        bool high = _pin.Read() == PinValue.High;
        return high != _activeLow;
    }
}
