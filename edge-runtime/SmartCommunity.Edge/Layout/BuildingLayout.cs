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

    /// <summary>The site's door groups (layout key <c>doorGroups</c>): cards may name them, and each may enforce anti-passback (hardware-docs/access-control.md).</summary>
    public IReadOnlyList<DoorGroup> DoorGroups { get; init; } = [];

    public DoorGroup? FindDoorGroup(string id) => DoorGroups.FirstOrDefault(g => g.Id == id);

    /// <summary>The site's car parks (layout key <c>carParks</c>) with the barriers that count them (hardware-docs/parking.md).</summary>
    public IReadOnlyList<CarParkDefinition> CarParks { get; init; } = [];

    public bool HasBuilding(string building) => Buildings.Any(b => b.Id == building);

    /// <summary>Called by the device registry when its devices change.</summary>
    internal void ReplaceDevices(IEnumerable<DeviceDefinition> devices) => _devices = new DeviceSet(devices.ToList());

    private sealed class DeviceSet(IReadOnlyList<DeviceDefinition> list)
    {
        public IReadOnlyList<DeviceDefinition> List { get; } = list;

        public IReadOnlyDictionary<string, DeviceDefinition> ById { get; } = list.ToDictionary(d => d.Id);
    }
}

public sealed record BuildingDefinition(string Id, string Name, IReadOnlyList<FloorDefinition> Floors)
{
    /// <summary>How the edge confirms a fire in this building (layout key <c>fire</c>; hardware-docs/safety.md).</summary>
    public FirePolicy Fire { get; init; } = FirePolicy.Default;

    /// <summary>The building's meters and M-Bus buses (layout key <c>metering</c>; hardware-docs/metering.md).</summary>
    public global::SmartCommunity.Edge.Metering.MeteringLayout Metering { get; init; } = global::SmartCommunity.Edge.Metering.MeteringLayout.Empty;
}

/// <summary>What confirms a fire in a building. A fire manual call point alone always confirms, whatever the mode.</summary>
public enum FireConfirmationMode
{
    /// <summary>Any one detector's confirmed alarm.</summary>
    AnyDetector,

    /// <summary>Two detectors of the same zone in alarm within <see cref="FirePolicy.Window"/>.</summary>
    TwoDetectors,

    /// <summary>One detector in alarm plus a fire manual call point within <see cref="FirePolicy.Window"/>.</summary>
    DetectorAndCallPoint,
}

/// <param name="Confirmation">What confirms a fire.</param>
/// <param name="Window">How long a first alarm waits for its second, for the two-signal modes.</param>
/// <param name="TestReleasesDoors">Whether a detector in test mode may latch the building (default: no).</param>
public sealed record FirePolicy(FireConfirmationMode Confirmation, System.TimeSpan Window, bool TestReleasesDoors)
{
    /// <summary>A detector's confirmation time plus the edge's window may not exceed this (the life-safety bound).</summary>
    public static readonly System.TimeSpan MaxTimeToConfirm = System.TimeSpan.FromSeconds(60);

    public static readonly FirePolicy Default = new(FireConfirmationMode.AnyDetector, System.TimeSpan.FromSeconds(30), false);

    public static string NameOf(FireConfirmationMode mode) => mode switch
    {
        FireConfirmationMode.TwoDetectors => "two-detectors",
        FireConfirmationMode.DetectorAndCallPoint => "detector-and-call-point",
        _ => "any-detector",
    };
}

/// <summary>What a door group does about a card used twice (hardware-docs/access-control.md, "Anti-passback").</summary>
public enum AntiPassbackMode
{
    /// <summary>No anti-passback: the group only names doors for cards.</summary>
    None,

    /// <summary>A second entry without an exit in between is denied.</summary>
    Hard,

    /// <summary>A second entry without an exit is granted but logged as a violation.</summary>
    Soft,

    /// <summary>After a passage the same card is refused at the group's doors for <see cref="DoorGroup.Timed"/>.</summary>
    Timed,
}

/// <summary>A group of doors (layout key <c>doorGroups</c>), e.g. every entrance of a car park.</summary>
/// <param name="Timed">For <see cref="AntiPassbackMode.Timed"/>: how long a card is refused after its passage (layout <c>timedS</c>).</param>
public sealed record DoorGroup(string Id, AntiPassbackMode AntiPassback, System.TimeSpan Timed)
{
    public static string NameOf(AntiPassbackMode mode) => mode switch
    {
        AntiPassbackMode.Hard => "hard",
        AntiPassbackMode.Soft => "soft",
        AntiPassbackMode.Timed => "timed",
        _ => "none",
    };

    /// <summary>Hard and soft anti-passback tell an entry from an exit, so every door of such a group needs a direction.</summary>
    public bool NeedsDirection => AntiPassback is AntiPassbackMode.Hard or AntiPassbackMode.Soft;
}

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
    /// <summary>The dwelling unit a device serves (e.g. the flat of an emergency call point), for the people who respond.</summary>
    public string? Unit { get; init; }

    /// <summary>A valve on a pipe that feeds sprinklers: no rule or operator command may ever close it (hardware-docs/leak-valve.md).</summary>
    public bool FeedsSprinklers { get; init; }

    /// <summary>Doors: <c>fail-safe</c> (de-energised = unlocked) or <c>fail-secure</c>; null when the layout leaves it to the device (fail-safe).</summary>
    public string? LockMode { get; init; }

    /// <summary>Doors: release and raise a fault when the edge link is lost (true), or stay secure on the local allow-list (false); null = device default.</summary>
    public bool? EgressCritical { get; init; }

    /// <summary>Doors: the door groups (site <c>doorGroups</c>) the door belongs to, for cards and anti-passback.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Doors: <c>in</c> or <c>out</c>, which way a passage through this door goes, for anti-passback; null when not given.</summary>
    public string? Direction { get; init; }

    /// <summary>Doors whose output the fire rule releases.</summary>
    public bool IsFireReleasedDoor => Kind == DeviceKinds.Door && (Role == DeviceKinds.RoleEgressLock || Role == DeviceKinds.RoleHoldOpen || Role == DeviceKinds.RoleEntryLock);

    public long Parameter(string name, long fallback) => Parameters.TryGetValue(name, out long value) ? value : fallback;
}

/// <summary>Device kinds and roles the layout accepts; later device issues add theirs.</summary>
public static class DeviceKinds
{
    public const string Door = "door";
    public const string Smoke = "smoke";
    public const string RoleEgressLock = "egress-lock";
    public const string RoleHoldOpen = "hold-open";

    /// <summary>
    /// A lock that only controls entry (the escape side opens mechanically): the one door role that may be fail-secure
    /// (hardware-docs/door-controller.md, "The roles"). Released in a fire like the others.
    /// </summary>
    public const string RoleEntryLock = "entry-lock";
    public const string RoleDetector = "detector";

    /// <summary>Door lock modes (layout key <c>lockMode</c>): what the lock does with no power.</summary>
    public const string LockFailSafe = "fail-safe";
    public const string LockFailSecure = "fail-secure";

    /// <summary>Door directions (layout key <c>direction</c>), for anti-passback.</summary>
    public const string DirectionIn = "in";
    public const string DirectionOut = "out";

    /// <summary>A fire manual call point (break-glass): confirms a fire by itself.</summary>
    public const string ManualCallPoint = "manual-call-point";
    public const string RoleBreakGlass = "break-glass";

    /// <summary>An emergency call point for an elderly resident: calls for help, never part of fire confirmation.</summary>
    public const string EmergencyCallPoint = "emergency-call-point";
    public const string RoleResident = "resident";

    /// <summary>A leak probe with its motorised valve, or a valve alone (closed by the edge's rules).</summary>
    public const string Leak = "leak";
    public const string RoleSensorValve = "sensor-valve";
    public const string RoleValve = "valve";

    /// <summary>A parking barrier (hardware-docs/parking-barrier.md); the fire rule opens it for evacuation.</summary>
    public const string Barrier = "barrier";
    public const string RoleBarrier = "barrier";

    /// <summary>A pulse meter device counting up to four meters' pulses (hardware-docs/pulse-meter.md, hardware-docs/metering.md).</summary>
    public const string Meter = "meter";
    public const string RolePulse = "pulse";

    public static readonly IReadOnlyDictionary<string, string[]> RolesByKind = new Dictionary<string, string[]>
    {
        [Door] = [RoleEgressLock, RoleHoldOpen, RoleEntryLock],
        [Smoke] = [RoleDetector],
        [ManualCallPoint] = [RoleBreakGlass],
        [EmergencyCallPoint] = [RoleResident],
        [Leak] = [RoleSensorValve, RoleValve],
        [Barrier] = [RoleBarrier],
        [Meter] = [RolePulse],
    };
}
