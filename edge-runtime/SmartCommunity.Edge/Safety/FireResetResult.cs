namespace SmartCommunity.Edge.Safety;

using System;
using System.Collections.Generic;

/// <summary>What an operator's fire reset did.</summary>
public enum FireResetResult
{
    Reset,

    /// <summary>The building had no latched fire alarm.</summary>
    NotLatched,

    /// <summary>Refused: a door of the building still reads its fire input; the fire panel must be reset first.</summary>
    FireInputActive,

    /// <summary>Refused: a smoke detector or fire manual call point of the building still reports alarm.</summary>
    DevicesInAlarm,
}

/// <summary>
/// The answer to a reset: what happened, and what stood in the way (doors reading the fire panel, detectors and
/// call points still in alarm, each with whether the edge sees it online) or what a forced reset went past.
/// </summary>
public sealed record FireResetOutcome(
    FireResetResult Result,
    IReadOnlyList<string> DoorsReportingFireInput,
    IReadOnlyList<FireDeviceAlarm> DevicesInAlarm,
    IReadOnlyList<FireDeviceAlarm> Overridden)
{
    public static FireResetOutcome Of(FireResetResult result) => new(result, [], [], []);
}

/// <summary>A smoke detector ("alarm") or fire manual call point ("activated") that reports alarm, as a reset sees it.</summary>
public sealed record FireDeviceAlarm(string Device, string Kind, string State, bool Test, DateTimeOffset Since, bool Online);
