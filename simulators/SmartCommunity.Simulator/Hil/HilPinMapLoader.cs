namespace SmartCommunity.Simulator.Hil;

using System;
using System.Collections.Generic;
using System.Globalization;
using SmartCommunity.Edge.Configuration;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads and validates a HIL pin map (hardware-docs/hil.md, "Pin map"). Every problem is reported as
/// file:line:column with the reason; unknown keys are errors, so a typo never silently drops a pin.
/// </summary>
public static class HilPinMapLoader
{
    public const int Schema = 1;

    /// <summary>Highest line offset accepted; real chips have far fewer (a Raspberry Pi header chip has 54 or 58).</summary>
    public const int MaxLine = 1023;

    public static HilPinMap Load(string path) =>
        Parse(YamlConfigReader.ReadText(path, "pin map", "--pins", Error), path);

    public static HilPinMap Parse(string yaml, string file) =>
        new Reader(file).ReadRoot(YamlConfigReader.ParseRoot(yaml, file, "a pin map is one YAML mapping with keys schema, chip, devices and loopback", Error));

    private static PinMapException Error(string file, long line, long column, string reason) => new(file, line, column, reason);

    private sealed class Reader(string file) : YamlConfigReader(file)
    {
        // Which line each name already took, so a line wired twice is caught with both places named.
        private readonly Dictionary<int, string> _deviceLines = new();
        private readonly Dictionary<int, long> _jumperLines = new();

        public HilPinMap ReadRoot(YamlMappingNode root)
        {
            Keys(root, "schema", "chip", "devices", "loopback");
            YamlNode schema = Required(root, "schema");
            if (Integer(schema, "schema") != Schema)
            {
                throw Error(schema, $"schema must be {Schema} (the only pin map schema so far)");
            }

            int chip = 0;
            if (root.Children.TryGetValue(new YamlScalarNode("chip"), out YamlNode? chipNode))
            {
                chip = Bounded(chipNode, "chip", 0, 255);
            }

            var devices = new List<HilDevice>();
            if (root.Children.TryGetValue(new YamlScalarNode("devices"), out YamlNode? deviceList) && !IsEmpty(deviceList))
            {
                var ids = new HashSet<string>(StringComparer.Ordinal);
                foreach (YamlNode node in Sequence(deviceList, "devices"))
                {
                    HilDevice device = ReadDevice(Mapping(node, "device"));
                    if (!ids.Add(device.Id))
                    {
                        throw Error(((YamlMappingNode)node)["id"], $"device '{device.Id}' is listed twice");
                    }

                    devices.Add(device);
                }
            }

            var jumpers = new List<HilJumper>();
            if (root.Children.TryGetValue(new YamlScalarNode("loopback"), out YamlNode? jumperList) && !IsEmpty(jumperList))
            {
                foreach (YamlNode node in Sequence(jumperList, "loopback"))
                {
                    jumpers.Add(ReadJumper(Mapping(node, "loopback jumper")));
                }
            }

            if (devices.Count == 0 && jumpers.Count == 0)
            {
                throw Error(root, "the pin map lists neither devices nor loopback jumpers; see hardware-docs/hil.md for an example");
            }

            return new HilPinMap(File, chip, devices, jumpers);
        }

        protected override ConfigFileException Error(long line, long column, string reason) => new PinMapException(File, line, column, reason);

        private static bool IsEmpty(YamlNode node) => node is YamlScalarNode { Value: null or "" or "~" or "null" };

        private HilDevice ReadDevice(YamlMappingNode device)
        {
            Keys(device, "id", "kind", "pins");
            string id = Id(Required(device, "id"), "device id");
            YamlNode kindNode = Required(device, "kind");
            string kind = Scalar(kindNode, "kind");
            IReadOnlyDictionary<string, HilPinRoles.Role> roles = HilPinRoles.Of(kind)
                ?? throw Error(kindNode, HilPinRoles.Unsupported(kind) is { } why
                    ? $"kind '{kind}' cannot be wired for HIL: {why}"
                    : $"unknown kind '{kind}'; HIL mode supports: {string.Join(", ", HilPinRoles.Kinds)}");

            YamlMappingNode pinsNode = Mapping(Required(device, "pins"), "pins");
            var pins = new List<HilPin>();
            foreach (var (key, value) in pinsNode.Children)
            {
                string name = Scalar(key, "pin name");
                if (!roles.TryGetValue(name, out HilPinRoles.Role? role))
                {
                    throw Error(key, $"a {kind} has no pin '{name}'; its pins are: {string.Join(", ", roles.Keys)}");
                }

                (int line, bool activeLow, YamlNode lineNode) = ReadPin(value, name);
                string owner = $"{id}.{name}";
                if (_deviceLines.TryGetValue(line, out string? other))
                {
                    throw Error(lineNode, $"line {line} is wired to {other} already; one line can carry one signal");
                }

                _deviceLines[line] = owner;
                pins.Add(new HilPin(name, line, activeLow, role.Direction, role.InitiallyActive));
            }

            foreach (var (name, role) in roles)
            {
                if (role.Required && !pins.Exists(p => p.Name == name))
                {
                    throw Error(pinsNode, $"a {kind} needs pin '{name}'");
                }
            }

            return new HilDevice(id, kind, pins);
        }

        // A pin is either a bare line number (lock: 17) or a mapping ({ line: 22, activeLow: true }).
        private (int Line, bool ActiveLow, YamlNode LineNode) ReadPin(YamlNode value, string name)
        {
            if (value is YamlScalarNode)
            {
                return (Bounded(value, $"line of pin '{name}'", 0, MaxLine), false, value);
            }

            YamlMappingNode pin = Mapping(value, $"pin '{name}'");
            Keys(pin, "line", "activeLow");
            YamlNode lineNode = Required(pin, "line");
            int line = Bounded(lineNode, $"line of pin '{name}'", 0, MaxLine);
            bool activeLow = pin.Children.TryGetValue(new YamlScalarNode("activeLow"), out YamlNode? activeLowNode)
                && Boolean(activeLowNode, "activeLow");
            return (line, activeLow, lineNode);
        }

        private HilJumper ReadJumper(YamlMappingNode jumper)
        {
            Keys(jumper, "drive", "read");
            YamlNode driveNode = Required(jumper, "drive");
            YamlNode readNode = Required(jumper, "read");
            int drive = Bounded(driveNode, "drive line", 0, MaxLine);
            int read = Bounded(readNode, "read line", 0, MaxLine);
            if (drive == read)
            {
                throw Error(readNode, $"a jumper joins two different lines; drive and read are both {drive}");
            }

            foreach ((int line, YamlNode node) in new[] { (drive, driveNode), (read, readNode) })
            {
                if (_jumperLines.TryGetValue(line, out long at))
                {
                    throw Error(node, $"line {line} is in the jumper on line {at} already; each line may be in one jumper");
                }

                _jumperLines[line] = jumper.Start.Line;
            }

            return new HilJumper(drive, read);
        }

        private int Bounded(YamlNode node, string what, int min, int max)
        {
            long value = Integer(node, what);
            return value >= min && value <= max
                ? (int)value
                : throw Error(node, string.Create(CultureInfo.InvariantCulture, $"{what} {value} is out of range {min}-{max}"));
        }
    }
}
