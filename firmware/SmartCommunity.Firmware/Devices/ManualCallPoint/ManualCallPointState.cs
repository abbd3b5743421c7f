namespace SmartCommunity.Firmware.Devices.ManualCallPoint;

public enum ManualCallPointState
{
    Normal = 0,

    /// <summary>The break-glass element is operated: a fire, with no verification delay. Ends only at the point.</summary>
    Activated = 1,

    /// <summary>The monitored line is open or shorted. An activation always wins over a fault.</summary>
    Fault = 2,
}
