namespace SmartCommunity.DoorNode;

using System;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// Milliseconds since the MCU started, from <c>Environment.TickCount64</c> (nanoFramework.Runtime.Native), which
/// counts the system timer and never moves backwards. <c>DateTime.UtcNow</c> is not used: SNTP and the RTC can
/// step it at any time, which would break every timeout compared as <c>now - since &gt;= timeout</c>.
/// </summary>
internal sealed class UptimeClock : IClock
{
    public long UptimeMs => Environment.TickCount64;
}
