namespace SmartCommunity.Edge.Layout;

using System.Collections.Generic;
using System.Linq;

/// <summary>
/// One site's buildings, floors, zones and devices, read from the layout YAML (hardware-docs/layout.md).
/// The edge's registry and the simulator's virtual building both come from this one file.
/// </summary>
public sealed class BuildingLayout
{
    public BuildingLayout(string site, string siteName, IReadOnlyList<BuildingDefinition> buildings)
    {
        Site = site;
        SiteName = siteName;
        Buildings = buildings;
        Devices = buildings.SelectMany(b => b.Floors).SelectMany(f => f.Zones).SelectMany(z => z.Devices).ToList();
        DevicesById = Devices.ToDictionary(d => d.Id);
    }

    public string Site { get; }

    public string SiteName { get; }

    public IReadOnlyList<BuildingDefinition> Buildings { get; }

    public IReadOnlyList<DeviceDefinition> Devices { get; }

    public IReadOnlyDictionary<string, DeviceDefinition> DevicesById { get; }

    public IEnumerable<DeviceDefinition> DevicesIn(string building) => Devices.Where(d => d.Building == building);
}

public sealed record BuildingDefinition(string Id, string Name, IReadOnlyList<FloorDefinition> Floors);

public sealed record FloorDefinition(string Id, IReadOnlyList<ZoneDefinition> Zones);

public sealed record ZoneDefinition(string Id, IReadOnlyList<DeviceDefinition> Devices);

/// <summary>A device as the layout declares it. <see cref="Pins"/> and <see cref="Parameters"/> go into its configuration bundle.</summary>
public sealed record DeviceDefinition(
    string Id,
    string Kind,
    string Role,
    string Site,
    string Building,
    string Floor,
    string Zone,
    IReadOnlyDictionary<string, int> Pins,
    IReadOnlyDictionary<string, long> Parameters)
{
    /// <summary>Doors whose output the fire rule releases.</summary>
    public bool IsFireReleasedDoor => Kind == DeviceKinds.Door && (Role == DeviceKinds.RoleEgressLock || Role == DeviceKinds.RoleHoldOpen);

    public long Parameter(string name, long fallback) => Parameters.TryGetValue(name, out long value) ? value : fallback;
}

/// <summary>Device kinds and roles the layout accepts; later device issues add theirs.</summary>
public static class DeviceKinds
{
    public const string Door = "door";
    public const string Smoke = "smoke";
    public const string RoleEgressLock = "egress-lock";
    public const string RoleHoldOpen = "hold-open";
    public const string RoleDetector = "detector";

    public static readonly IReadOnlyDictionary<string, string[]> RolesByKind = new Dictionary<string, string[]>
    {
        [Door] = [RoleEgressLock, RoleHoldOpen],
        [Smoke] = [RoleDetector],
    };
}
