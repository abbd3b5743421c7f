namespace SmartCommunity.DoorNode;

/// <summary>
/// GPIO numbers of the reference board, an ESP32 module (WROOM or WROVER) on the carrier described in
/// hardware-docs/door-controller.md ("Wiring"). The configuration bundle's pin map may name other pins; these are
/// the defaults, and <see cref="LockPin"/> is the one driven low before the bundle has even been read.
/// </summary>
internal static class ReferenceBoard
{
    /// <summary>
    /// Lock or magnet driver. Chosen because it is none of the ESP32 strapping pins (0, 2, 5, 12, 15), not a flash
    /// or PSRAM line (6-11, 16-17), not UART0 (1, 3) and shows no activity while the ROM bootloader runs. After a
    /// reset every GPIO is a floating input; the 100 kΩ pull-down on the MOSFET gate then keeps the lock
    /// de-energised until this firmware drives the pin itself, and whenever the MCU is unpowered.
    /// </summary>
    public const int LockPin = 23;

    /// <summary>
    /// Fire input, from the opto-coupler that watches the fire panel's contact. Input-only pin (34-39 have no
    /// output driver, so they cannot glitch anything), external pull-up. High = opto dark = contact open = fire.
    /// </summary>
    public const int FirePin = 34;

    /// <summary>Door-position contact to ground, external pull-up. Low = contact closed = door closed.</summary>
    public const int DoorClosedPin = 35;

    /// <summary>Status LED through a resistor to ground. Not safety related.</summary>
    public const int LedPin = 22;
}
