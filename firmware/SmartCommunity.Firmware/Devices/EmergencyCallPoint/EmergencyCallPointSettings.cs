namespace SmartCommunity.Firmware.Devices.EmergencyCallPoint;

using SmartCommunity.Firmware.Boot;

/// <summary>
/// Emergency call point parameters, from the device configuration bundle (hardware-docs/call-points.md).
/// Out-of-range values are brought to the nearest limit by the device, which must keep working.
/// </summary>
public sealed class EmergencyCallPointSettings
{
    public const long MinCallResendMs = 1000;
    public const long MaxCallResendMs = 60000;

    /// <summary>One hour: a shorter window would raise welfare calls during an ordinary nap.</summary>
    public const long MinNoActivityMs = 3600000;

    /// <summary>72 hours.</summary>
    public const long MaxNoActivityMs = 259200000;

    /// <summary>The call and cancel buttons must hold a new level this long before it counts (contact bounce).</summary>
    public long ButtonDebounceMs = 50;

    /// <summary>The call event is sent again this often until the edge answers call-received.</summary>
    public long CallResendMs = 10000;

    /// <summary>No activity for this long raises a welfare call; 0 turns the welfare check off.</summary>
    public long NoActivityMs = 43200000;

    /// <summary>How long "handled" stays shown before the point is idle again.</summary>
    public long HandledShowMs = 10000;

    /// <summary>Period of the state heartbeat.</summary>
    public long HeartbeatMs = 30000;

    /// <summary>The settings from a device's parameters (the bundle's "params", or the layout's); anything not given keeps its default.</summary>
    public static EmergencyCallPointSettings Read(IParameterSource parameters)
    {
        EmergencyCallPointSettings s = new EmergencyCallPointSettings();
        s.ButtonDebounceMs = parameters.Parameter("buttonDebounceMs", s.ButtonDebounceMs);
        s.CallResendMs = parameters.Parameter("callResendMs", s.CallResendMs);
        s.NoActivityMs = parameters.Parameter("noActivityMs", s.NoActivityMs);
        s.HandledShowMs = parameters.Parameter("handledShowMs", s.HandledShowMs);
        s.HeartbeatMs = parameters.Parameter("heartbeatMs", s.HeartbeatMs);
        return s;
    }
}
