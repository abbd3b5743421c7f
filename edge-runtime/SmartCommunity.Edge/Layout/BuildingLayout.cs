namespace SmartCommunity.Edge.Layout;

using System.Collections.Generic;
using System.Linq;

/// <summary>
/// One site's buildings, floors, zones and devices, read from the layout YAML (hardware-docs/layout.md).
/// The edge's registry and the simulator's virtual building both come from this one file.
/// </summary>
public sealed class BuildingLayout
{
    private volatile DeviceSet _devices;

    public BuildingLayout(string site, string siteName, IReadOnlyList<BuildingDefinition> buildings)
    {
        Site = site;
        SiteName = siteName;
        Buildings = buildings;
        DeclaredDevices = buildings.SelectMany(b => b.Floors).SelectMany(f => f.Zones).SelectMany(z => z.Devices).ToList();
        _devices = new DeviceSet(DeclaredDevices);
    }

    public string Site { get; }

    public string SiteName { get; }

    /// <summary>Buildings, floors and zones as the file declares them.</summary>
    public IReadOnlyList<BuildingDefinition> Buildings { get; }

    /// <summary>The devices as the file declares them.</summary>
    public IReadOnlyList<DeviceDefinition> DeclaredDevices { get; }

    /// <summary>
    /// The devices of the site now: the file's, as the device registry keeps them (changes through the API included).
    /// Readers get a consistent snapshot; the registry swaps it whole.
    /// </summary>
    public IReadOnlyList<DeviceDefinition> Devices => _devices.List;

    public IReadOnlyDictionary<string, DeviceDefinition> DevicesById => _devices.ById;

    public IEnumerable<DeviceDefinition> DevicesIn(string building) => Devices.Where(d => d.Building == building);

    public bool HasBuilding(string building) => Buildings.Any(b => b.Id == building);

    /// <summary>Called by the device registry when its devices change.</summary>
    internal void ReplaceDevices(IEnumerable<DeviceDefinition> devices) => _devices = new DeviceSet(devices.ToList());

    private sealed class DeviceSet(IReadOnlyList<DeviceDefinition> list)
    {
        public IReadOnlyList<DeviceDefinition> List { get; } = list;

        public IReadOnlyDictionary<string, DeviceDefinition> ById { get; } = list.ToDictionary(d => d.Id);
    }
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
