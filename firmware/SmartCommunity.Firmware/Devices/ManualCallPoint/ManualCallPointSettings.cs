namespace SmartCommunity.Firmware.Devices.ManualCallPoint;

/// <summary>Manual call point parameters, from the device configuration bundle (hardware-docs/call-points.md).</summary>
public sealed class ManualCallPointSettings
{
    /// <summary>
    /// The break-glass contact must hold a new level this long before it counts. Contact bounce only: a manual
    /// call point is never verified or delayed (domain notes A3: no alarm verification on manual call points).
    /// </summary>
    public long ContactDebounceMs = 30;

    /// <summary>The line fault signal must hold this long before a fault (or its end) is reported.</summary>
    public long LineFaultConfirmMs = 1000;

    /// <summary>Period of the state heartbeat.</summary>
    public long HeartbeatMs = 30000;
}
