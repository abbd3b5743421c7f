namespace SmartCommunity.Firmware.Devices.EmergencyCallPoint;

/// <summary>Where the point's one open call stands (hardware-docs/call-points.md).</summary>
public enum EmergencyCallState
{
    /// <summary>No call open.</summary>
    Idle = 0,

    /// <summary>Raised; the event is sent again every resend period until the edge says it has the call.</summary>
    Calling = 1,

    /// <summary>The edge committed the call; the "received" indicator is lit.</summary>
    Received = 2,

    /// <summary>Nobody acknowledged in time; the local sounder is on until the call is handled or cancelled.</summary>
    Sounding = 3,

    /// <summary>A person acknowledged; "handled" is shown for the show time, then the point is idle again.</summary>
    Handled = 4,
}
