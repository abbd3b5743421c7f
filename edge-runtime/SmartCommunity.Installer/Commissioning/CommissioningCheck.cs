namespace SmartCommunity.Installer.Commissioning;

using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>One check of a commissioning: its name, whether it passed, the value seen and what was expected.</summary>
public sealed record CommissioningCheck(string Name, bool Passed, string Seen, string Expected);

/// <summary>One device's commissioning, as the building's report keeps it.</summary>
public sealed record CommissioningResult(
    string Site,
    string Building,
    string Device,
    string Kind,
    string? Firmware,
    string By,
    DateTimeOffset At,
    IReadOnlyList<CommissioningCheck> Checks)
{
    public bool Passed => Checks.Count > 0 && Checks.All(c => c.Passed);
}
