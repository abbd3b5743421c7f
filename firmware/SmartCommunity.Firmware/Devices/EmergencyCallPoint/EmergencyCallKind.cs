namespace SmartCommunity.Firmware.Devices.EmergencyCallPoint;

public enum EmergencyCallKind
{
    None = 0,

    /// <summary>The resident pressed the call button.</summary>
    Call = 1,

    /// <summary>Raised by the point: no activity for the no-activity window.</summary>
    Welfare = 2,
}
