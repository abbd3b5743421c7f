namespace SmartCommunity.Simulator.Scenarios;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SmartCommunity.Edge.Configuration;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Simulation.Devices;
using YamlDotNet.RepresentationModel;

/// <summary>
/// The arguments of one stimulus or expectation in a scenario file (the mapping under its name), with accessors that
/// check each value against the layout and report every problem as file:line:column, so a stimulus or expectation
/// kind added by a later device issue validates its own keys the same way.
/// </summary>
public sealed class ScenarioArguments
{
    private const string SelectorHint = "a device id, a list of ids, or a selector such as { building: b1, kind: door }";
    private static readonly string[] SelectorKeys = ["building", "floor", "zone", "kind", "role"];

    private readonly ScenarioYaml _yaml;
    private readonly YamlMappingNode _node;
    private readonly YamlNode _at;

    internal ScenarioArguments(ScenarioYaml yaml, string name, YamlMappingNode node, YamlNode at, BuildingLayout layout, bool hasUpstream, IReadOnlySet<string>? ruleNames)
    {
        _yaml = yaml;
        Name = name;
        _node = node;
        _at = at;
        Layout = layout;
        HasUpstream = hasUpstream;
        RuleNames = ruleNames;
    }

    /// <summary>The stimulus or expectation name, e.g. <c>smoke</c>.</summary>
    public string Name { get; }

    public BuildingLayout Layout { get; }

    /// <summary>Whether the scenario declares an upstream backend (<c>upstream:</c>).</summary>
    public bool HasUpstream { get; }

    /// <summary>The rules of the scenario's rules file; null when it runs none.</summary>
    public IReadOnlySet<string>? RuleNames { get; }

    public bool Has(string key) => _node.Children.ContainsKey(new YamlScalarNode(key));

    public bool IsMapping(string key) => Value(key) is YamlMappingNode;

    /// <summary>Unknown keys are errors, so a typo never turns into a default.</summary>
    public void AllowOnly(params string[] keys) => _yaml.CheckKeys(_node, keys);

    public ScenarioException Error(string reason) => _yaml.ErrorAt(_at, $"{Name}: {reason}");

    public ScenarioException Error(string key, string reason) => _yaml.ErrorAt(Value(key) ?? _at, $"{Name}: {reason}");

    public string Text(string key) => _yaml.ScalarOf(Required(key), key);

    public string? OptionalText(string key) => Value(key) is { } node ? _yaml.ScalarOf(node, key) : null;

    public string OneOf(string key, params string[] values)
    {
        string text = Text(key);
        return values.Contains(text, StringComparer.Ordinal) ? text : throw Error(key, $"{key} '{text}' is not one of: {string.Join(", ", values)}");
    }

    public string? OptionalOneOf(string key, params string[] values) => Has(key) ? OneOf(key, values) : null;

    public long Integer(string key, long min, long max)
    {
        long value = _yaml.IntegerOf(Required(key), key);
        return value < min || value > max ? throw Error(key, $"{key} {value} is out of range; use {min}-{max}") : value;
    }

    public long? OptionalInteger(string key, long min, long max) => Has(key) ? Integer(key, min, max) : null;

    public bool Boolean(string key) => _yaml.BooleanOf(Required(key), key);

    public bool? OptionalBoolean(string key) => Has(key) ? Boolean(key) : null;

    /// <summary>A duration such as <c>2s</c>; zero allowed; negative only with <paramref name="allowNegative"/>.</summary>
    public TimeSpan Duration(string key, bool allowNegative = false)
    {
        YamlNode node = Required(key);
        string text = _yaml.ScalarOf(node, key);
        return ScenarioTime.TryParse(text, allowNegative, out TimeSpan value, out string why) ? value : throw _yaml.ErrorAt(node, $"{Name}: {key}: {why}");
    }

    public TimeSpan? OptionalDuration(string key, bool allowNegative = false) => Has(key) ? Duration(key, allowNegative) : null;

    /// <summary>A mapping of field names to single values, e.g. <c>fields: { output: released }</c>.</summary>
    public IReadOnlyDictionary<string, string> Fields(string key)
    {
        YamlMappingNode map = _yaml.MappingOf(Required(key), key);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((YamlNode name, YamlNode value) in map.Children)
        {
            fields[_yaml.ScalarOf(name, "field name")] = _yaml.ScalarOf(value, "field value");
        }

        return fields.Count > 0 ? fields : throw Error(key, $"{key} is empty; give at least one field: value");
    }

    /// <summary>One text or a list of texts, e.g. <c>groups: [residents, car-park]</c>; at least one, none empty.</summary>
    public IReadOnlyList<string> Texts(string key)
    {
        YamlNode node = Required(key);
        List<string> texts = node is YamlSequenceNode list
            ? list.Select(item => _yaml.ScalarOf(item, key)).ToList()
            : [_yaml.ScalarOf(node, key)];
        return texts.Count == 0 || texts.Any(string.IsNullOrEmpty) ? throw Error(key, $"{key} needs at least one non-empty value") : texts;
    }

    /// <summary>The arguments of a nested mapping, e.g. <c>realTime: { within: 200ms, from: {...} }</c>.</summary>
    public ScenarioArguments Nested(string key) => new(_yaml, $"{Name}.{key}", _yaml.MappingOf(Required(key), key), Required(key), Layout, HasUpstream, RuleNames);

    /// <summary>A building id of the layout.</summary>
    public string Building(string key)
    {
        string building = Text(key);
        return Layout.HasBuilding(building)
            ? building
            : throw Error(key, $"unknown building '{building}'; buildings of the layout: {string.Join(", ", Layout.Buildings.Select(b => b.Id))}");
    }

    /// <summary>One device of the layout; <paramref name="fit"/> says why a device cannot be used here (null = fits).</summary>
    public DeviceDefinition Device(string key, Func<DeviceDefinition, string?>? fit = null)
    {
        YamlNode node = Required(key);
        DeviceDefinition device = Lookup(node, _yaml.ScalarOf(node, key));
        Check(node, device, fit);
        return device;
    }

    /// <summary>
    /// Devices by id, list of ids or selector (building, floor, zone, kind, role), in layout order; at least one, each
    /// fitting <paramref name="fit"/>.
    /// </summary>
    public IReadOnlyList<DeviceDefinition> Devices(string key, Func<DeviceDefinition, string?>? fit = null)
    {
        YamlNode node = Required(key);
        List<DeviceDefinition> devices;
        switch (node)
        {
            case YamlScalarNode scalar:
                devices = [Lookup(node, scalar.Value ?? "")];
                break;
            case YamlSequenceNode list:
                devices = [];
                foreach (YamlNode item in list)
                {
                    DeviceDefinition device = Lookup(item, _yaml.ScalarOf(item, "device id"));
                    if (!devices.Contains(device))
                    {
                        devices.Add(device);
                    }
                }

                break;
            case YamlMappingNode selector:
                devices = Select(selector);
                break;
            default:
                throw _yaml.ErrorAt(node, $"{Name}: {key} must be {SelectorHint}");
        }

        if (devices.Count == 0)
        {
            throw _yaml.ErrorAt(node, $"{Name}: {key} selects no device of the layout");
        }

        foreach (DeviceDefinition device in devices)
        {
            Check(node, device, fit);
        }

        Dictionary<string, int> order = Layout.DeclaredDevices.Select((d, i) => (d.Id, i)).ToDictionary(p => p.Id, p => p.i);
        return devices.OrderBy(d => order[d.Id]).ToList();
    }

    /// <summary>The simulated pin of <paramref name="device"/> named under <paramref name="key"/>, of the wanted kind.</summary>
    public string Pin(string key, DeviceDefinition device, SimulatedPinKind wanted)
    {
        YamlNode node = Required(key);
        string pin = _yaml.ScalarOf(node, key);
        IReadOnlyDictionary<string, SimulatedPinKind> pins = VirtualDevice.PinsOf(device) ?? new Dictionary<string, SimulatedPinKind>();
        string[] fitting = pins.Where(p => p.Value == wanted).Select(p => p.Key).ToArray();
        if (!pins.TryGetValue(pin, out SimulatedPinKind kind))
        {
            bool ofTheKind = VirtualDevice.PinsOf(device.Kind)?.ContainsKey(pin) ?? false;
            throw _yaml.ErrorAt(node, ofTheKind
                ? $"{Name}: pin '{pin}' is not fitted on {device.Id} ({device.Role}): optional signals exist when the layout's pins wire them; its {Describe(wanted)} pins: {List(fitting)}"
                : $"{Name}: unknown pin '{pin}' of {device.Kind} {device.Id}; its {Describe(wanted)} pins: {List(fitting)}");
        }

        if (kind == SimulatedPinKind.ModelledInput && wanted == SimulatedPinKind.DigitalInput)
        {
            throw _yaml.ErrorAt(node, $"{Name}: pin '{pin}' of {device.Id} is driven by the simulated hardware (the valve's position), not by a scenario; its {Describe(wanted)} pins: {List(fitting)}");
        }

        return kind == wanted
            ? pin
            : throw _yaml.ErrorAt(node, $"{Name}: pin '{pin}' of {device.Id} is not a {Describe(wanted)}; its {Describe(wanted)} pins: {List(fitting)}");
    }

    internal static string Describe(SimulatedPinKind kind) => kind switch
    {
        SimulatedPinKind.DigitalInput => "digital input",
        SimulatedPinKind.AnalogInput => "analog input",
        SimulatedPinKind.ModelledInput => "modelled input",
        _ => "digital output",
    };

    private static string List(string[] names) => names.Length == 0 ? "none" : string.Join(", ", names);

    private YamlNode? Value(string key) => _node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value : null;

    private YamlNode Required(string key) => Value(key) ?? throw _yaml.ErrorAt(_at, $"{Name}: '{key}' is missing");

    private DeviceDefinition Lookup(YamlNode node, string id)
    {
        if (Layout.DevicesById.TryGetValue(id, out DeviceDefinition? device))
        {
            return device;
        }

        string[] similar = Layout.DeclaredDevices.Select(d => d.Id).Where(d => d.Contains(id, StringComparison.Ordinal) || id.Contains(d, StringComparison.Ordinal)).Take(5).ToArray();
        string hint = similar.Length > 0 ? $"; did you mean {string.Join(" or ", similar)}?" : "; check the id against the layout";
        throw _yaml.ErrorAt(node, $"{Name}: unknown device '{id}'{hint}");
    }

    private List<DeviceDefinition> Select(YamlMappingNode selector)
    {
        _yaml.CheckKeys(selector, SelectorKeys);
        if (selector.Children.Count == 0)
        {
            throw _yaml.ErrorAt(selector, $"{Name}: an empty selector; give {SelectorHint}");
        }

        IEnumerable<DeviceDefinition> devices = Layout.DeclaredDevices;
        foreach ((YamlNode keyNode, YamlNode valueNode) in selector.Children)
        {
            string key = _yaml.ScalarOf(keyNode, "key");
            string value = _yaml.ScalarOf(valueNode, key);
            bool known = key switch
            {
                "building" => Layout.HasBuilding(value),
                "floor" => Layout.DeclaredDevices.Any(d => d.Floor == value),
                "zone" => Layout.DeclaredDevices.Any(d => d.Zone == value),
                "kind" => DeviceKinds.RolesByKind.ContainsKey(value),
                _ => DeviceKinds.RolesByKind.Values.Any(roles => roles.Contains(value)),
            };
            if (!known)
            {
                throw _yaml.ErrorAt(valueNode, $"{Name}: unknown {key} '{value}' in the layout");
            }

            devices = key switch
            {
                "building" => devices.Where(d => d.Building == value),
                "floor" => devices.Where(d => d.Floor == value),
                "zone" => devices.Where(d => d.Zone == value),
                "kind" => devices.Where(d => d.Kind == value),
                _ => devices.Where(d => d.Role == value),
            };
        }

        return devices.ToList();
    }

    private void Check(YamlNode node, DeviceDefinition device, Func<DeviceDefinition, string?>? fit)
    {
        if (VirtualDevice.PinsOf(device.Kind) is null)
        {
            throw _yaml.ErrorAt(node, $"{Name}: the simulator has no virtual {device.Kind} yet, so {device.Id} cannot take part in a scenario");
        }

        if (fit?.Invoke(device) is { } why)
        {
            throw _yaml.ErrorAt(node, $"{Name}: {device.Id} ({device.Kind}, {device.Role}) {why}");
        }
    }
}

/// <summary>The scenario file's node accessors (<see cref="YamlConfigReader"/>), for the loader and <see cref="ScenarioArguments"/>.</summary>
internal sealed class ScenarioYaml(string file) : YamlConfigReader(file)
{
    public string FileName => File;

    public ScenarioException ErrorAt(YamlNode node, string reason) => (ScenarioException)Error(node, reason);

    public ScenarioException ErrorAt(long line, long column, string reason) => (ScenarioException)Error(line, column, reason);

    public void CheckKeys(YamlMappingNode node, string[] allowed) => Keys(node, allowed);

    public YamlNode RequiredOf(YamlMappingNode node, string key) => Required(node, key);

    public string? OptionalOf(YamlMappingNode node, string key) => Optional(node, key);

    public YamlMappingNode MappingOf(YamlNode node, string what) => Mapping(node, what);

    public YamlSequenceNode SequenceOf(YamlNode node, string what) => Sequence(node, what);

    public string ScalarOf(YamlNode node, string what) => Scalar(node, what);

    public long IntegerOf(YamlNode node, string what) => Integer(node, what);

    public bool BooleanOf(YamlNode node, string what) => Boolean(node, what);

    public string IdOf(YamlNode node, string what) => Id(node, what);

    public static string Position(YamlNode node) => string.Create(CultureInfo.InvariantCulture, $"{node.Start.Line}:{node.Start.Column}");

    protected override ConfigFileException Error(long line, long column, string reason) => new ScenarioException(File, line, column, reason);
}
