namespace SmartCommunity.Firmware.Devices.ManualCallPoint;

using SmartCommunity.Firmware.Boot;

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

    /// <summary>The settings from a device's parameters (the bundle's "params", or the layout's); anything not given keeps its default.</summary>
    public static ManualCallPointSettings Read(IParameterSource parameters)
    {
        ManualCallPointSettings s = new ManualCallPointSettings();
        s.ContactDebounceMs = parameters.Parameter("contactDebounceMs", s.ContactDebounceMs);
        s.LineFaultConfirmMs = parameters.Parameter("lineFaultConfirmMs", s.LineFaultConfirmMs);
        s.HeartbeatMs = parameters.Parameter("heartbeatMs", s.HeartbeatMs);
        return s;
    }
}
