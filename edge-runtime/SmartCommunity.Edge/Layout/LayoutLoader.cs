namespace SmartCommunity.Edge.Layout;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SmartCommunity.Protocol;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads and validates a layout YAML file (schema: hardware-docs/layout.md). Every problem is reported with
/// file, line and column; unknown keys are errors, so a typo never silently drops a device.
/// </summary>
public static class LayoutLoader
{
    public const int SchemaVersion = 1;

    public static BuildingLayout Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LayoutException(path, 0, 0, $"cannot read the layout file ({ex.Message}); check the path given with --layout");
        }

        return Parse(text, path);
    }

    public static BuildingLayout Parse(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new LayoutException(file, ex.Start.Line, ex.Start.Column, "not valid YAML: " + ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet reports some unterminated flow collections ('{' or '[' never closed) this way, without a position.
            throw new LayoutException(file, 0, 0, "not valid YAML (is a '{' or '[' never closed?): " + ex.Message);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new LayoutException(file, 1, 1, "a layout is one YAML mapping with keys schema, site and buildings");
        }

        return new Reader(file).ReadRoot(root);
    }

    private sealed class Reader(string file)
    {
        private readonly HashSet<string> _deviceIds = new(StringComparer.Ordinal);

        public BuildingLayout ReadRoot(YamlMappingNode root)
        {
            Keys(root, "schema", "site", "buildings");
            long schema = Integer(Required(root, "schema"), "schema");
            if (schema != SchemaVersion)
            {
                throw Error(root["schema"], $"schema {schema} is not supported; this edge reads schema {SchemaVersion}");
            }

            var siteNode = Mapping(Required(root, "site"), "site");
            Keys(siteNode, "id", "name");
            string site = Id(Required(siteNode, "id"), "site id");
            string siteName = Optional(siteNode, "name") ?? site;

            var buildings = new List<BuildingDefinition>();
            var buildingIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in Sequence(Required(root, "buildings"), "buildings"))
            {
                var building = Mapping(node, "building");
                Keys(building, "id", "name", "floors");
                string id = Id(Required(building, "id"), "building id");
                if (!buildingIds.Add(id))
                {
                    throw Error(building["id"], $"building '{id}' is declared twice; building ids must be unique within the site");
                }

                buildings.Add(new BuildingDefinition(id, Optional(building, "name") ?? id, ReadFloors(site, id, Required(building, "floors"))));
            }

            if (buildings.Count == 0)
            {
                throw Error(root["buildings"], "the site has no buildings; add at least one under 'buildings'");
            }

            return new BuildingLayout(site, siteName, buildings);
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
            Keys(device, "id", "kind", "role", "pins", "params");
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
            if (device.Children.TryGetValue(new YamlScalarNode("params"), out YamlNode? paramsNode))
            {
                foreach (var (key, value) in Mapping(paramsNode, "params").Children)
                {
                    parameters[Scalar(key, "parameter name")] = Integer(value, "parameter");
                }
            }

            return new DeviceDefinition(id, kind, role, site, building, floor, zone, pins, parameters);
        }

        private void Keys(YamlMappingNode node, params string[] allowed)
        {
            foreach (var key in node.Children.Keys)
            {
                string name = Scalar(key, "key");
                if (!allowed.Contains(name))
                {
                    throw Error(key, $"unknown key '{name}'; allowed here: {string.Join(", ", allowed)}");
                }
            }
        }

        private YamlNode Required(YamlMappingNode node, string key)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value))
            {
                throw Error(node, $"'{key}' is missing");
            }

            return value;
        }

        private string? Optional(YamlMappingNode node, string key) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? Scalar(value, key) : null;

        private YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping (key: value lines)");

        private IEnumerable<YamlNode> Sequence(YamlNode node, string what) =>
            node as YamlSequenceNode ?? throw Error(node, $"{what} must be a list (lines starting with '- ')");

        private string Scalar(YamlNode node, string what) =>
            (node as YamlScalarNode)?.Value ?? throw Error(node, $"{what} must be a single value");

        private long Integer(YamlNode node, string what)
        {
            string text = Scalar(node, what);
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
                ? value
                : throw Error(node, $"{what} '{text}' must be a whole number");
        }

        private string Id(YamlNode node, string what)
        {
            string value = Scalar(node, what);
            return Topics.IsValidLevel(value)
                ? value
                : throw Error(node, $"{what} '{value}' must be 1-{MessageLimits.MaxIdLength} characters of a-z, 0-9, '-' or '_' (it becomes an MQTT topic level)");
        }

        private LayoutException Error(YamlNode node, string reason) => new(file, node.Start.Line, node.Start.Column, reason);
    }
}
