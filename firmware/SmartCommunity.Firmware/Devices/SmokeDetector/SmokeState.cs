namespace SmartCommunity.Firmware.Devices.SmokeDetector;

/// <summary>What the smoke logic concludes from the head (hardware-docs/smoke-detector.md). Test mode and hush are
/// separate flags on top of it; faults that leave the head measuring are reported beside it.</summary>
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
