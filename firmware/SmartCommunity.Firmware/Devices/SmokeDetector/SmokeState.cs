namespace SmartCommunity.Firmware.Devices.SmokeDetector;

public enum SmokeState
{
    Normal = 0,

    /// <summary>Smoke seen, not yet for the confirmation time. Reported, never a fire.</summary>
    PreAlarm = 1,

    /// <summary>Smoke confirmed. Restores only after the reading stays low for the restore time.</summary>
    Alarm = 2,

    /// <summary>The head is not measuring (open or short circuit). An alarm in progress is not cancelled by a fault.</summary>
    Fault = 3,
}
