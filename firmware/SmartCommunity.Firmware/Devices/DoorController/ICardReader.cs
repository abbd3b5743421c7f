namespace SmartCommunity.Firmware.Devices.DoorController;

/// <summary>
/// Where the door controller takes card reads from. The board app or the simulator backs it with the Wiegand
/// collector or the OSDP control panel (device-bindings/SmartCommunity.Protocol/Wiegand, .../Osdp); the controller
/// depends on nothing else of them. Called from the device loop only, once per step at most.
/// </summary>
public interface ICardReader
{
    /// <summary>
    /// Fills <paramref name="read"/> with the oldest read not yet taken and returns true; false when none waits.
    /// Must not allocate. A refused frame is a read too, with <see cref="CardRead.BadFrame"/> set.
    /// </summary>
    bool TryTake(CardRead read);

    /// <summary>
    /// Gives the person at the reader feedback (LED, buzzer) for the decision just made on their read: called
    /// once per decision the controller reports, true for a grant (a fire-released read included), false for a
    /// denial; never for a bad frame or an ignored read. Must not allocate; a reader without feedback ignores it.
    /// </summary>
    void Signal(bool granted);
}
