namespace SmartCommunity.Edge.Rules;

using SmartCommunity.Edge.Layout;

/// <summary>
/// One concrete place a rule works in: a device, a zone, a floor, a building or the site, as found from the device
/// that triggered it. <see cref="Key"/> names it for timers and counting windows ("zone:b1/ground/lobby").
/// </summary>
public sealed record ScopeInstance(RuleScope Scope, string Site, string? Building, string? Floor, string? Zone, string? Device)
{
    // Computed once: the engine looks it up for every message of a device an absence rule watches.
    public string Key { get; } = Scope switch
    {
        RuleScope.Device => "device:" + Device,
        RuleScope.Zone => $"zone:{Building}/{Floor}/{Zone}",
        RuleScope.Floor => $"floor:{Building}/{Floor}",
        RuleScope.Building => "building:" + Building,
        _ => "site:" + Site,
    };

    /// <summary>For people: "b1-lobby-smoke", "zone b1/ground/lobby", "building b1".</summary>
    public string Display => Scope == RuleScope.Device ? Device ?? "" : Key.Replace(':', ' ');

    public static ScopeInstance Of(DeviceDefinition device, RuleScope scope) => scope switch
    {
        RuleScope.Device => new(scope, device.Site, device.Building, device.Floor, device.Zone, device.Id),
        RuleScope.Zone => new(scope, device.Site, device.Building, device.Floor, device.Zone, null),
        RuleScope.Floor => new(scope, device.Site, device.Building, device.Floor, null, null),
        RuleScope.Building => new(scope, device.Site, device.Building, null, null, null),
        _ => new(scope, device.Site, null, null, null, null),
    };

    /// <summary>Whether <paramref name="device"/> lies within <paramref name="scope"/> around this place (e.g. the same building).</summary>
    public bool Contains(DeviceDefinition device, RuleScope scope)
    {
        if (device.Site != Site)
        {
            return false;
        }

        return scope switch
        {
            RuleScope.Device => Device is not null && device.Id == Device,
            RuleScope.Zone => Zone is not null && device.Building == Building && device.Floor == Floor && device.Zone == Zone,
            RuleScope.Floor => Floor is not null && device.Building == Building && device.Floor == Floor,
            RuleScope.Building => Building is not null && device.Building == Building,
            _ => true,
        };
    }
}
