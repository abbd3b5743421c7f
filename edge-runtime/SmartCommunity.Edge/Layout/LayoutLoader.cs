namespace SmartCommunity.Edge.Layout;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SmartCommunity.Edge.Configuration;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Protocol;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads and validates a layout YAML file (schema: hardware-docs/layout.md). Every problem is reported with
/// file, line and column; unknown keys are errors, so a typo never silently drops a device.
/// </summary>
public static class LayoutLoader
{
    public const int SchemaVersion = 1;

    /// <summary>The smoke detector's parameter for its confirmation time, and the firmware's default for it.</summary>
    public const string SmokeConfirmationParameter = "confirmationMs";
    public const long DefaultSmokeConfirmationMs = 3000;

    /// <summary>The leak valve's exercise interval parameter; forced to 0 (never) for a valve that feeds sprinklers.</summary>
    public const string ExerciseIntervalParameter = "exerciseIntervalMs";

    /// <summary>The longest timed anti-passback a door group may have (a day).</summary>
    public const long MaxTimedAntiPassbackS = 86_400;

    /// <summary>
    /// Why a door of <paramref name="role"/> cannot have <paramref name="lockMode"/>, or null when it can. An egress lock
    /// and a hold-open magnet must release when de-energised (hardware-docs/safety.md): the one so people get out, the
    /// other so the fire door closes. Only an entry-lock, whose escape side opens mechanically, may be fail-secure. The
    /// registry applies the same check.
    /// </summary>
    public static string? LockModeProblem(string role, string lockMode) => lockMode switch
    {
        DeviceKinds.LockFailSafe => null,
        DeviceKinds.LockFailSecure when role == DeviceKinds.RoleEgressLock =>
            "an egress-lock is always fail-safe (people must get out when the power fails); use lockMode: fail-safe or leave it out",
        DeviceKinds.LockFailSecure when role == DeviceKinds.RoleHoldOpen =>
            "a hold-open magnet is always fail-safe (the fire door must close when the power fails); use lockMode: fail-safe or leave it out",
        DeviceKinds.LockFailSecure => null,
        _ => $"lockMode '{lockMode}' must be {DeviceKinds.LockFailSafe} or {DeviceKinds.LockFailSecure}",
    };

    public static BuildingLayout Load(string path) =>
        Parse(YamlConfigReader.ReadText(path, "layout", "--layout", Error), path);

    public static BuildingLayout Parse(string yaml, string file) =>
        new Reader(file).ReadRoot(YamlConfigReader.ParseRoot(yaml, file, "a layout is one YAML mapping with keys schema, site and buildings", Error));

    private static LayoutException Error(string file, long line, long column, string reason) => new(file, line, column, reason);

    private sealed class Reader(string file) : YamlConfigReader(file)
    {
        private readonly HashSet<string> _deviceIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DoorGroup> _doorGroups = new(StringComparer.Ordinal);
        private readonly CarParkReader _carParks = new(file);
        private readonly HashSet<string> _meterIds = new(StringComparer.Ordinal);

        public BuildingLayout ReadRoot(YamlMappingNode root)
        {
            Keys(root, "schema", "site", "buildings", "doorGroups", "carParks");
            long schema = Integer(Required(root, "schema"), "schema");
            if (schema != SchemaVersion)
            {
                throw Error(root["schema"], $"schema {schema} is not supported; this edge reads schema {SchemaVersion}");
            }

            var siteNode = Mapping(Required(root, "site"), "site");
            Keys(siteNode, "id", "name");
            string site = Id(Required(siteNode, "id"), "site id");
            string siteName = Optional(siteNode, "name") ?? site;

            // Read before the buildings, wherever they stand in the file: doors name these groups.
            if (root.Children.TryGetValue(new YamlScalarNode("doorGroups"), out YamlNode? groupsNode))
            {
                ReadDoorGroups(groupsNode);
            }

            // Likewise: barriers name these (hardware-docs/parking.md).
            if (root.Children.TryGetValue(new YamlScalarNode("carParks"), out YamlNode? carParksNode))
            {
                _carParks.ReadCarParks(carParksNode);
            }

            var buildings = new List<BuildingDefinition>();
            var buildingIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in Sequence(Required(root, "buildings"), "buildings"))
            {
                var building = Mapping(node, "building");
                Keys(building, "id", "name", "floors", "fire", "metering");
                string id = Id(Required(building, "id"), "building id");
                if (!buildingIds.Add(id))
                {
                    throw Error(building["id"], $"building '{id}' is declared twice; building ids must be unique within the site");
                }

                var floors = ReadFloors(site, id, Required(building, "floors"));
                FirePolicy fire = building.Children.TryGetValue(new YamlScalarNode("fire"), out YamlNode? fireNode)
                    ? ReadFirePolicy(Mapping(fireNode, "fire"))
                    : FirePolicy.Default;
                CheckTimeToConfirm(id, fire, floors, fireNode ?? building);
                MeteringLayout metering = building.Children.TryGetValue(new YamlScalarNode("metering"), out YamlNode? meteringNode)
                    ? new MeterLayoutReader(File, _meterIds).Read(meteringNode, id, floors.SelectMany(f => f.Zones).SelectMany(z => z.Devices).ToList())
                    : MeteringLayout.Empty;
                buildings.Add(new BuildingDefinition(id, Optional(building, "name") ?? id, floors) { Fire = fire, Metering = metering });
            }

            if (buildings.Count == 0)
            {
                throw Error(root["buildings"], "the site has no buildings; add at least one under 'buildings'");
            }

            return new BuildingLayout(site, siteName, buildings) { DoorGroups = _doorGroups.Values.ToList(), CarParks = _carParks.Build() };
        }

        private void ReadDoorGroups(YamlNode node)
        {
            foreach (YamlNode item in Sequence(node, "doorGroups"))
            {
                var group = Mapping(item, "door group");
                Keys(group, "id", "antiPassback", "timedS");
                string id = Id(Required(group, "id"), "door group id");
                if (_doorGroups.ContainsKey(id))
                {
                    throw Error(group["id"], $"door group '{id}' is declared twice; door group ids must be unique within the site");
                }

                AntiPassbackMode mode = AntiPassbackMode.None;
                if (group.Children.TryGetValue(new YamlScalarNode("antiPassback"), out YamlNode? modeNode))
                {
                    string text = Scalar(modeNode, "antiPassback");
                    mode = text switch
                    {
                        "none" => AntiPassbackMode.None,
                        "hard" => AntiPassbackMode.Hard,
                        "soft" => AntiPassbackMode.Soft,
                        "timed" => AntiPassbackMode.Timed,
                        _ => throw Error(modeNode, $"unknown antiPassback '{text}'; use none, hard, soft or timed"),
                    };
                }

                TimeSpan timed = TimeSpan.Zero;
                if (group.Children.TryGetValue(new YamlScalarNode("timedS"), out YamlNode? timedNode))
                {
                    long seconds = Integer(timedNode, "timedS");
                    if (mode != AntiPassbackMode.Timed)
                    {
                        throw Error(timedNode, $"timedS applies to antiPassback: timed only; remove it or set antiPassback: timed for group '{id}'");
                    }

                    if (seconds < 1 || seconds > MaxTimedAntiPassbackS)
                    {
                        throw Error(timedNode, $"timedS {seconds} is out of range; give 1-{MaxTimedAntiPassbackS} seconds");
                    }

                    timed = TimeSpan.FromSeconds(seconds);
                }
                else if (mode == AntiPassbackMode.Timed)
                {
                    throw Error(group, $"door group '{id}' has antiPassback: timed but no timedS; say how many seconds a card is refused after its passage");
                }

                _doorGroups[id] = new DoorGroup(id, mode, timed);
            }
        }

        private FirePolicy ReadFirePolicy(YamlMappingNode node)
        {
            Keys(node, "confirm", "windowS", "testReleasesDoors");
            FireConfirmationMode mode = FirePolicy.Default.Confirmation;
            if (node.Children.TryGetValue(new YamlScalarNode("confirm"), out YamlNode? confirmNode))
            {
                string confirm = Scalar(confirmNode, "confirm");
                mode = confirm switch
                {
                    "any-detector" => FireConfirmationMode.AnyDetector,
                    "two-detectors" => FireConfirmationMode.TwoDetectors,
                    "detector-and-call-point" => FireConfirmationMode.DetectorAndCallPoint,
                    _ => throw Error(confirmNode, $"unknown fire confirmation '{confirm}'; use any-detector, two-detectors or detector-and-call-point"),
                };
            }

            TimeSpan window = FirePolicy.Default.Window;
            if (node.Children.TryGetValue(new YamlScalarNode("windowS"), out YamlNode? windowNode))
            {
                long seconds = Integer(windowNode, "windowS");
                if (seconds < 1 || seconds > FirePolicy.MaxTimeToConfirm.TotalSeconds)
                {
                    throw Error(windowNode, $"windowS {seconds} is out of range; give 1-{FirePolicy.MaxTimeToConfirm.TotalSeconds:0} seconds");
                }

                window = TimeSpan.FromSeconds(seconds);
            }

            bool testReleases = node.Children.TryGetValue(new YamlScalarNode("testReleasesDoors"), out YamlNode? testNode)
                && Boolean(testNode, "testReleasesDoors");
            return new FirePolicy(mode, window, testReleases);
        }

        // A detector's own confirmation time plus the edge's window is the longest a real fire can wait for its release.
        private void CheckTimeToConfirm(string building, FirePolicy fire, List<FloorDefinition> floors, YamlNode at)
        {
            if (fire.Confirmation == FireConfirmationMode.AnyDetector)
            {
                return;
            }

            foreach (DeviceDefinition detector in floors.SelectMany(f => f.Zones).SelectMany(z => z.Devices).Where(d => d.Kind == DeviceKinds.Smoke))
            {
                TimeSpan total = TimeSpan.FromMilliseconds(detector.Parameter(SmokeConfirmationParameter, DefaultSmokeConfirmationMs)) + fire.Window;
                if (total > FirePolicy.MaxTimeToConfirm)
                {
                    throw Error(at, $"in building '{building}', detector '{detector.Id}' confirms in {detector.Parameter(SmokeConfirmationParameter, DefaultSmokeConfirmationMs)} ms and the fire window is {fire.Window.TotalSeconds:0} s: "
                        + $"together {total.TotalSeconds:0.#} s, over the {FirePolicy.MaxTimeToConfirm.TotalSeconds:0} s limit; shorten windowS or the detector's confirmationMs");
                }
            }
        }

        private List<FloorDefinition> ReadFloors(string site, string building, YamlNode floorsNode)
        {
            var floors = new List<FloorDefinition>();
            foreach (var node in Sequence(floorsNode, "floors"))
            {
                var floor = Mapping(node, "floor");
                Keys(floor, "id", "zones");
                string floorId = Id(Required(floor, "id"), "floor id");
                var zones = new List<ZoneDefinition>();
                foreach (var zoneNode in Sequence(Required(floor, "zones"), "zones"))
                {
                    var zone = Mapping(zoneNode, "zone");
                    Keys(zone, "id", "devices");
                    string zoneId = Id(Required(zone, "id"), "zone id");
                    var devices = Sequence(Required(zone, "devices"), "devices")
                        .Select(d => ReadDevice(d, site, building, floorId, zoneId))
                        .ToList();
                    zones.Add(new ZoneDefinition(zoneId, devices));
                }

                floors.Add(new FloorDefinition(floorId, zones));
            }

            return floors;
        }

        private DeviceDefinition ReadDevice(YamlNode node, string site, string building, string floor, string zone)
        {
            var device = Mapping(node, "device");
            Keys(device, "id", "kind", "role", "pins", "params", "unit", "feedsSprinklers", "lockMode", "egressCritical", "groups", "direction", "carPark", "lane", "from", "to");
            string id = Id(Required(device, "id"), "device id");
            if (!_deviceIds.Add(id))
            {
                throw Error(device["id"], $"device '{id}' is declared twice; device ids must be unique within the site");
            }

            string kind = Scalar(Required(device, "kind"), "kind");
            if (!DeviceKinds.RolesByKind.TryGetValue(kind, out string[]? roles))
            {
                throw Error(device["kind"], $"unknown device kind '{kind}'; known kinds: {string.Join(", ", DeviceKinds.RolesByKind.Keys)}");
            }

            string role = Optional(device, "role") ?? roles[0];
            if (!roles.Contains(role))
            {
                throw Error(device["role"], $"a {kind} cannot have role '{role}'; use one of: {string.Join(", ", roles)}");
            }

            var pins = new Dictionary<string, int>(StringComparer.Ordinal);
            if (device.Children.TryGetValue(new YamlScalarNode("pins"), out YamlNode? pinsNode))
            {
                foreach (var (key, value) in Mapping(pinsNode, "pins").Children)
                {
                    long pin = Integer(value, "pin");
                    if (pin < 0 || pin > 255)
                    {
                        throw Error(value, $"pin {pin} is out of range; GPIO numbers are 0-255");
                    }

                    pins[Scalar(key, "pin name")] = (int)pin;
                }
            }

            var parameters = new Dictionary<string, long>(StringComparer.Ordinal);
            var parameterNodes = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            if (device.Children.TryGetValue(new YamlScalarNode("params"), out YamlNode? paramsNode))
            {
                foreach (var (key, value) in Mapping(paramsNode, "params").Children)
                {
                    string name = Scalar(key, "parameter name");
                    parameters[name] = Integer(value, "parameter");
                    parameterNodes[name] = value;
                }
            }

            string? unit = null;
            if (device.Children.TryGetValue(new YamlScalarNode("unit"), out YamlNode? unitNode))
            {
                unit = Scalar(unitNode, "unit");
                if (unit.Length is 0 or > 64)
                {
                    throw Error(unitNode, "unit must be 1-64 characters naming the dwelling, e.g. 'flat 12'");
                }
            }

            bool feedsSprinklers = false;
            if (device.Children.TryGetValue(new YamlScalarNode("feedsSprinklers"), out YamlNode? sprinklerNode))
            {
                feedsSprinklers = Boolean(sprinklerNode, "feedsSprinklers");
                if (kind != DeviceKinds.Leak)
                {
                    throw Error(sprinklerNode, $"feedsSprinklers applies to valves (kind {DeviceKinds.Leak}) only, not to a {kind}");
                }

                if (feedsSprinklers)
                {
                    CheckSprinklerValve(sprinklerNode, role, parameters);
                }
            }

            if (kind == DeviceKinds.Smoke && parameters.TryGetValue(SmokeConfirmationParameter, out long confirmationMs)
                && (confirmationMs < 0 || confirmationMs > FirePolicy.MaxTimeToConfirm.TotalMilliseconds))
            {
                throw Error(parameterNodes[SmokeConfirmationParameter], $"confirmationMs {confirmationMs} is out of range; a detector confirms within 0-{FirePolicy.MaxTimeToConfirm.TotalMilliseconds:0} ms");
            }

            DoorKeys door = ReadDoorKeys(device, id, kind, role);
            _carParks.ReadBarrier(device, id, kind);
            return new DeviceDefinition(id, kind, role, site, building, floor, zone, pins, parameters)
            {
                Unit = unit, FeedsSprinklers = feedsSprinklers, LockMode = door.LockMode, EgressCritical = door.EgressCritical, Groups = door.Groups, Direction = door.Direction,
            };
        }

        // lockMode, egressCritical, groups and direction (hardware-docs/access-control.md) belong to doors only.
        private DoorKeys ReadDoorKeys(YamlMappingNode device, string id, string kind, string role)
        {
            foreach (string key in new[] { "lockMode", "egressCritical", "groups", "direction" })
            {
                // A barrier takes groups too, so a card can name it like a door (hardware-docs/parking.md).
                bool barrierGroups = kind == DeviceKinds.Barrier && key == "groups";
                if (kind != DeviceKinds.Door && !barrierGroups && device.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? misplaced))
                {
                    throw Error(misplaced, $"{key} applies to doors (kind {DeviceKinds.Door}) only, not to a {kind}");
                }
            }

            string? lockMode = null;
            if (device.Children.TryGetValue(new YamlScalarNode("lockMode"), out YamlNode? lockNode))
            {
                lockMode = Scalar(lockNode, "lockMode");
                if (LockModeProblem(role, lockMode) is { } problem)
                {
                    throw Error(lockNode, problem);
                }
            }

            bool? egressCritical = device.Children.TryGetValue(new YamlScalarNode("egressCritical"), out YamlNode? egressNode)
                ? Boolean(egressNode, "egressCritical")
                : null;

            string? direction = null;
            if (device.Children.TryGetValue(new YamlScalarNode("direction"), out YamlNode? directionNode))
            {
                direction = Scalar(directionNode, "direction");
                if (direction is not (DeviceKinds.DirectionIn or DeviceKinds.DirectionOut))
                {
                    throw Error(directionNode, $"direction '{direction}' must be {DeviceKinds.DirectionIn} or {DeviceKinds.DirectionOut} (which way a passage through this door goes)");
                }
            }

            var groups = new List<string>();
            if (device.Children.TryGetValue(new YamlScalarNode("groups"), out YamlNode? groupsNode))
            {
                foreach (YamlNode groupNode in Sequence(groupsNode, "groups"))
                {
                    string group = Scalar(groupNode, "door group");
                    if (!_doorGroups.TryGetValue(group, out DoorGroup? definition))
                    {
                        throw Error(groupNode, _doorGroups.Count == 0
                            ? $"unknown door group '{group}'; declare it under doorGroups at the top of the file"
                            : $"unknown door group '{group}'; declared groups: {string.Join(", ", _doorGroups.Keys)}");
                    }

                    if (groups.Contains(group))
                    {
                        throw Error(groupNode, $"door group '{group}' is listed twice for door '{id}'");
                    }

                    if (kind == DeviceKinds.Barrier && definition.AntiPassback != AntiPassbackMode.None)
                    {
                        throw Error(groupNode, $"barrier '{id}' cannot be in group '{group}': its antiPassback {DoorGroup.NameOf(definition.AntiPassback)} is counted from door contacts, which a barrier has not; use a group without antiPassback");
                    }

                    if (definition.NeedsDirection && direction is null)
                    {
                        throw Error(groupNode, $"door '{id}' is in group '{group}' with antiPassback {DoorGroup.NameOf(definition.AntiPassback)}, which needs to know entries from exits: give the door direction: in or out");
                    }

                    groups.Add(group);
                }
            }

            return new DoorKeys(lockMode, egressCritical, groups, direction);
        }

        // A valve on a sprinkler feed must stay open whatever happens: a probe of its own would close it with no edge
        // involved, and the weekly exercise would throttle the feed for seconds (hardware-docs/leak-valve.md).
        private void CheckSprinklerValve(YamlNode at, string role, Dictionary<string, long> parameters)
        {
            if (role != DeviceKinds.RoleValve)
            {
                throw Error(at, $"a valve that feeds sprinklers must have role '{DeviceKinds.RoleValve}' (no leak probe of its own): a probe would close it locally");
            }

            if (parameters.TryGetValue(ExerciseIntervalParameter, out long interval) && interval != 0)
            {
                throw Error(at, $"a valve that feeds sprinklers is never exercised; remove {ExerciseIntervalParameter} or set it to 0");
            }

            parameters[ExerciseIntervalParameter] = 0;
        }

        protected override ConfigFileException Error(long line, long column, string reason) => new LayoutException(File, line, column, reason);

        private sealed record DoorKeys(string? LockMode, bool? EgressCritical, IReadOnlyList<string> Groups, string? Direction);
    }
}
