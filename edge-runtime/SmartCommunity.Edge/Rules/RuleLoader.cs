namespace SmartCommunity.Edge.Rules;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Configuration;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Protocol;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads and checks a rules file (schema: hardware-docs/rules.md). Every problem is reported with file, line and
/// column and what to write instead; unknown keys are errors, so a misspelt key never silently turns a rule into a
/// different one. Device ids, kinds and roles are checked against the devices the edge knows at load time.
/// </summary>
public static partial class RuleLoader
{
    public const int SchemaVersion = 1;

    private static readonly string[] MatchKeys = ["kind", "role", "devices", "building", "floor", "zone"];
    private static readonly string[] MessageKeys = ["channel", "event", "state", "fields", "presence"];
    private static readonly string[] Scopes = ["device", "zone", "floor", "building", "site"];
    private static readonly string[] Channels = [Channel.Telemetry, Channel.Event, Channel.State, Channel.Status, Channel.Ack];

    public static RuleSet Load(string path, IEnumerable<DeviceDefinition> devices) =>
        Parse(YamlConfigReader.ReadText(path, "rules", "--rules", Error), path, devices);

    /// <summary>The hash a loaded file is known by (SHA-256 of its text, hex).</summary>
    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static RuleSet Parse(string yaml, string file, IEnumerable<DeviceDefinition> devices)
    {
        YamlMappingNode root = YamlConfigReader.ParseRoot(yaml, file, "a rules file is one YAML mapping with the keys schema and rules", Error);
        return new RuleSet(file, HashOf(yaml), new Reader(file, devices.ToList()).ReadRoot(root));
    }

    private static RulesException Error(string file, long line, long column, string reason) => new(file, line, column, reason);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex RuleName();

    private sealed class Reader(string file, IReadOnlyList<DeviceDefinition> devices) : YamlConfigReader(file)
    {
        private readonly Dictionary<string, DeviceDefinition> _byId = devices.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        public IReadOnlyList<RuleDefinition> ReadRoot(YamlMappingNode root)
        {
            Keys(root, "schema", "rules");
            YamlNode schemaNode = Required(root, "schema");
            long schema = Integer(schemaNode, "schema");
            if (schema != SchemaVersion)
            {
                throw Error(schemaNode, $"schema {schema} is not supported; this edge reads rules schema {SchemaVersion}");
            }

            YamlNode rulesNode = Required(root, "rules");
            var rules = new List<RuleDefinition>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (YamlNode node in Sequence(rulesNode, "rules"))
            {
                RuleDefinition rule = ReadRule(node);
                if (!names.Add(rule.Name))
                {
                    throw Error(Mapping(node, "rule")["name"], $"rule '{rule.Name}' is declared twice; rule names must be unique");
                }

                rules.Add(rule);
            }

            return rules;
        }

        private RuleDefinition ReadRule(YamlNode node)
        {
            YamlMappingNode rule = Mapping(node, "a rule");
            Keys(rule, "name", "description", "enabled", "cooldown", "when", "then");
            YamlNode nameNode = Required(rule, "name");
            string name = Scalar(nameNode, "name");
            if (!RuleName().IsMatch(name))
            {
                throw Error(nameNode, $"rule name '{name}' must be 1-64 characters of a-z, 0-9, '-' or '_', starting with a letter or digit");
            }

            string? description = Optional(rule, "description");
            bool enabled = !rule.Children.TryGetValue(new YamlScalarNode("enabled"), out YamlNode? enabledNode) || Boolean(enabledNode, "enabled");
            TimeSpan cooldown = rule.Children.TryGetValue(new YamlScalarNode("cooldown"), out YamlNode? cooldownNode) ? Duration(cooldownNode) : TimeSpan.Zero;

            YamlNode whenNode = Required(rule, "when");
            YamlMappingNode when = Mapping(whenNode, "when");
            Keys(when, "event", "held", "absence", "count");
            if (when.Children.Count != 1)
            {
                throw Error(when.Children.Count == 0 ? whenNode : when.Children.Keys.ElementAt(1),
                    "'when' takes exactly one trigger: event, held, absence or count; write two rules for two triggers");
            }

            (YamlNode triggerKey, YamlNode triggerNode) = when.Children.Single();
            RuleTrigger trigger = Scalar(triggerKey, "trigger") switch
            {
                "event" => ReadEvent(Mapping(triggerNode, "event")),
                "held" => ReadHeld(Mapping(triggerNode, "held")),
                "absence" => ReadAbsence(Mapping(triggerNode, "absence")),
                _ => ReadCount(Mapping(triggerNode, "count")),
            };

            YamlNode thenNode = Required(rule, "then");
            var actions = Sequence(thenNode, "then").Select(a => ReadAction(a, trigger)).ToList();
            if (actions.Count == 0)
            {
                throw Error(thenNode, "'then' needs at least one action: command, alert or relay");
            }

            return new RuleDefinition(name, description, enabled, cooldown, trigger, actions, Fingerprint(when), nameNode.Start.Line);
        }

        private EventTrigger ReadEvent(YamlMappingNode node)
        {
            Keys(node, [.. MatchKeys, .. MessageKeys, "scope"]);
            return new EventTrigger(ReadMatch(node), ReadScope(node, RuleScope.Device), ReadMessageMatch(node, "event"));
        }

        private HeldTrigger ReadHeld(YamlMappingNode node)
        {
            Keys(node, [.. MatchKeys, "fields", "for"]);
            YamlNode fieldsNode = Required(node, "fields");
            List<FieldCondition> conditions = ReadConditions(fieldsNode);
            if (conditions.Count == 0)
            {
                throw Error(fieldsNode, "say which condition must hold, e.g. fields: { door: open }");
            }

            return new HeldTrigger(ReadMatch(node), conditions, Duration(Required(node, "for")));
        }

        private AbsenceTrigger ReadAbsence(YamlMappingNode node)
        {
            Keys(node, [.. MatchKeys, "scope", "for"]);
            return new AbsenceTrigger(ReadMatch(node), ReadScope(node, RuleScope.Device), Duration(Required(node, "for")));
        }

        private CountTrigger ReadCount(YamlMappingNode node)
        {
            Keys(node, [.. MatchKeys, .. MessageKeys, "scope", "atLeast", "within", "distinct"]);
            RuleScope scope = ReadScope(node, RuleScope.Device);
            YamlNode atLeastNode = Required(node, "atLeast");
            long atLeast = Integer(atLeastNode, "atLeast");
            if (atLeast is < 2 or > 1000)
            {
                throw Error(atLeastNode, $"atLeast {atLeast} must be 2-1000; for a single message use an event trigger");
            }

            bool distinct = node.Children.TryGetValue(new YamlScalarNode("distinct"), out YamlNode? distinctNode) && Boolean(distinctNode, "distinct");
            if (distinct && scope == RuleScope.Device)
            {
                throw Error(distinctNode!, "distinct devices need a scope wider than one device: zone, floor, building or site");
            }

            return new CountTrigger(ReadMatch(node), scope, ReadMessageMatch(node, "count"), (int)atLeast, Duration(Required(node, "within")), distinct);
        }

        private MessageMatch ReadMessageMatch(YamlMappingNode node, string trigger)
        {
            string? channel = null;
            if (node.Children.TryGetValue(new YamlScalarNode("channel"), out YamlNode? channelNode))
            {
                channel = OneOf(channelNode, "channel", Channels);
            }

            if (node.Children.TryGetValue(new YamlScalarNode("presence"), out YamlNode? presenceNode))
            {
                YamlNode? other = MessageKeys.Where(k => k != "presence").Select(k => node.Children.TryGetValue(new YamlScalarNode(k), out YamlNode? v) ? v : null).FirstOrDefault(v => v is not null);
                if (other is not null)
                {
                    throw Error(other, "presence (online or offline) stands alone; it takes no channel, event, state or fields");
                }

                return new MessageMatch(null, null, [], OneOf(presenceNode, "presence", ["online", "offline"]) == "online" ? Presence.Online : Presence.Offline);
            }

            string? eventName = null;
            if (node.Children.TryGetValue(new YamlScalarNode("event"), out YamlNode? eventNode))
            {
                eventName = Scalar(eventNode, "event");
                if (eventName.Length == 0)
                {
                    throw Error(eventNode, "event needs a name, e.g. event: pre-alarm");
                }

                if (channel is not null && channel != Channel.Event)
                {
                    throw Error(channelNode!, $"an event name means channel event, not {channel}; leave channel out");
                }

                channel = Channel.Event;
            }

            var conditions = new List<FieldCondition>();
            if (node.Children.TryGetValue(new YamlScalarNode("state"), out YamlNode? stateNode))
            {
                if (eventName is not null)
                {
                    throw Error(stateNode, "event and state exclude each other: match an event by name, or a state by its fields; conditions on an event's fields go under 'fields'");
                }

                if (channel is not null && channel != Channel.State)
                {
                    throw Error(channelNode!, $"'state' means channel state, not {channel}; leave channel out");
                }

                channel = Channel.State;
                conditions.AddRange(ReadConditions(stateNode));
            }

            if (node.Children.TryGetValue(new YamlScalarNode("fields"), out YamlNode? fieldsNode))
            {
                conditions.AddRange(ReadConditions(fieldsNode));
            }

            if (channel is null && conditions.Count == 0)
            {
                throw Error(node, $"say what the {trigger} trigger matches: event, state, fields, channel or presence");
            }

            return new MessageMatch(channel, eventName, conditions, null);
        }

        private List<FieldCondition> ReadConditions(YamlNode node)
        {
            var conditions = new List<FieldCondition>();
            foreach ((YamlNode key, YamlNode value) in Mapping(node, "conditions").Children)
            {
                string field = Scalar(key, "field name");
                if (field.Length == 0)
                {
                    throw Error(key, "a field name is empty");
                }

                if (value is YamlScalarNode scalar)
                {
                    conditions.Add(Equals(field, scalar));
                    continue;
                }

                YamlMappingNode test = Mapping(value, $"the condition on '{field}' (a value, or equals / above / below)");
                Keys(test, "equals", "above", "below");
                if (test.Children.Count == 0)
                {
                    throw Error(value, $"the condition on '{field}' is empty; write equals, above or below");
                }

                if (test.Children.TryGetValue(new YamlScalarNode("equals"), out YamlNode? equals))
                {
                    if (test.Children.Count > 1)
                    {
                        throw Error(value, $"'{field}' cannot equal a value and be above or below one at once");
                    }

                    conditions.Add(Equals(field, equals as YamlScalarNode ?? throw Error(equals, "equals takes a single value")));
                }

                foreach ((string op, ConditionOperator kind) in new[] { ("above", ConditionOperator.Above), ("below", ConditionOperator.Below) })
                {
                    if (test.Children.TryGetValue(new YamlScalarNode(op), out YamlNode? limit))
                    {
                        string text = Scalar(limit, op);
                        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                        {
                            throw Error(limit, $"{op} '{text}' must be a number");
                        }

                        conditions.Add(new FieldCondition(field, kind, text, number));
                    }
                }
            }

            return conditions;
        }

        private static FieldCondition Equals(string field, YamlScalarNode value)
        {
            string text = value.Value ?? "";
            double? number = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) ? n : null;
            return new FieldCondition(field, ConditionOperator.Equals, text, number);
        }

        private DeviceMatch ReadMatch(YamlMappingNode node)
        {
            string? kind = Kind(node);
            string? role = Role(node, kind);
            IReadOnlyList<string>? ids = Ids(node, kind, role);
            string? building = Place(node, "building", d => d.Building);
            string? floor = Place(node, "floor", d => d.Floor);
            string? zone = Place(node, "zone", d => d.Zone);
            return new DeviceMatch(kind, role, ids, building, floor, zone);
        }

        private string? Kind(YamlMappingNode node)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode("kind"), out YamlNode? kindNode))
            {
                return null;
            }

            return OneOf(kindNode, "kind", DeviceKinds.RolesByKind.Keys.ToArray(), "device kind");
        }

        private string? Role(YamlMappingNode node, string? kind)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode("role"), out YamlNode? roleNode))
            {
                return null;
            }

            string role = Scalar(roleNode, "role");
            string[] roles = kind is null ? DeviceKinds.RolesByKind.Values.SelectMany(r => r).Distinct().ToArray() : DeviceKinds.RolesByKind[kind];
            return roles.Contains(role)
                ? role
                : throw Error(roleNode, kind is null ? $"unknown role '{role}'; known roles: {string.Join(", ", roles)}" : $"a {kind} cannot have role '{role}'; use one of: {string.Join(", ", roles)}");
        }

        private List<string>? Ids(YamlMappingNode node, string? kind, string? role)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode("devices"), out YamlNode? idsNode))
            {
                return null;
            }

            IEnumerable<YamlNode> items = idsNode is YamlScalarNode ? [idsNode] : Sequence(idsNode, "devices");
            var ids = new List<string>();
            foreach (YamlNode item in items)
            {
                string id = Scalar(item, "device id");
                if (!_byId.TryGetValue(id, out DeviceDefinition? device))
                {
                    throw Error(item, $"unknown device '{id}'; it is not in the layout (check the id, or add the device to the layout first)");
                }

                if ((kind is not null && device.Kind != kind) || (role is not null && device.Role != role))
                {
                    throw Error(item, $"device '{id}' is a {device.Role} {device.Kind}, which the kind or role given here excludes");
                }

                ids.Add(id);
            }

            if (ids.Count == 0)
            {
                throw Error(idsNode, "devices lists no device; give at least one id or leave the key out");
            }

            return ids;
        }

        private string? Place(YamlMappingNode node, string key, Func<DeviceDefinition, string> of)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? placeNode))
            {
                return null;
            }

            string value = Scalar(placeNode, key);
            return devices.Any(d => of(d) == value)
                ? value
                : throw Error(placeNode, $"no device of the layout is in {key} '{value}'; known: {string.Join(", ", devices.Select(of).Distinct().Order(StringComparer.Ordinal))}");
        }

        private RuleScope ReadScope(YamlMappingNode node, RuleScope fallback) =>
            node.Children.TryGetValue(new YamlScalarNode("scope"), out YamlNode? scopeNode) ? Scope(scopeNode) : fallback;

        private RuleScope Scope(YamlNode node) => OneOf(node, "scope", Scopes) switch
        {
            "device" => RuleScope.Device,
            "zone" => RuleScope.Zone,
            "floor" => RuleScope.Floor,
            "building" => RuleScope.Building,
            _ => RuleScope.Site,
        };

        private RuleAction ReadAction(YamlNode node, RuleTrigger trigger)
        {
            YamlMappingNode action = Mapping(node, "an action (command, alert or relay)");
            Keys(action, "command", "alert", "relay");
            if (action.Children.Count != 1)
            {
                throw Error(action, "each action is exactly one of command, alert or relay; start a new '- ' line for the next");
            }

            (YamlNode key, YamlNode value) = action.Children.Single();
            return Scalar(key, "action") switch
            {
                "command" => ReadCommand(Mapping(value, "command"), trigger),
                "alert" => ReadAlert(Mapping(value, "alert")),
                _ => ReadRelay(value),
            };
        }

        private CommandAction ReadCommand(YamlMappingNode node, RuleTrigger trigger)
        {
            Keys(node, "cmd", "to", "ms");
            YamlNode cmdNode = Required(node, "cmd");
            string cmd = Scalar(cmdNode, "cmd");
            if (!CommandSupport.ByName.TryGetValue(cmd, out CommandKind command))
            {
                throw Error(cmdNode, $"unknown command '{cmd}'; commands of protocol v1: {string.Join(", ", CommandSupport.ByName.Keys)}");
            }

            DeviceSelector target = ReadSelector(Mapping(Required(node, "to"), "to"), trigger, command, cmd);
            long ms = 0;
            if (node.Children.TryGetValue(new YamlScalarNode("ms"), out YamlNode? msNode))
            {
                if (command != CommandKind.Unlock)
                {
                    throw Error(msNode, $"'{cmd}' takes no duration; only unlock does (protocol.md §4.1)");
                }

                string text = Scalar(msNode, "ms");
                ms = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long whole) ? whole
                    : Durations.TryParse(text, out TimeSpan span, out string why) ? (long)span.TotalMilliseconds
                    : throw Error(msNode, $"ms '{text}' must be milliseconds (5000) or a duration (5s): {why}");
                if (ms is < 1 or > CommandSupport.MaxUnlockMs)
                {
                    throw Error(msNode, $"an unlock lasts 1-{CommandSupport.MaxUnlockMs} ms (at most 10m), not {ms}");
                }
            }

            return new CommandAction(command, target, ms, node.Start.Line);
        }

        private DeviceSelector ReadSelector(YamlMappingNode node, RuleTrigger trigger, CommandKind command, string cmd)
        {
            Keys(node, "kind", "role", "devices", "scope");
            string? kind = Kind(node);
            string? role = Role(node, kind);
            List<string>? ids = Ids(node, kind, role);
            if (kind is null && role is null && ids is null)
            {
                throw Error(node, "say which devices: kind, role or devices (e.g. to: { kind: door, role: egress-lock, scope: building })");
            }

            node.Children.TryGetValue(new YamlScalarNode("scope"), out YamlNode? scopeNode);
            if (ids is not null && scopeNode is not null)
            {
                throw Error(scopeNode, "devices named by id take no scope; leave one of them out");
            }

            RuleScope scope = scopeNode is null ? trigger.Scope : Scope(scopeNode);
            if (ids is null && trigger is AbsenceTrigger && scope < trigger.Scope)
            {
                throw Error(scopeNode ?? node,
                    $"an absence in a {Lower(trigger.Scope)} has no single {Lower(scope)} to act on; use scope {Lower(trigger.Scope)} or wider, or name the devices");
            }

            if (ids is not null)
            {
                foreach (string id in ids)
                {
                    if (CommandSupport.WhyNot(_byId[id], command) is { } why)
                    {
                        throw Error(node, why);
                    }
                }
            }
            else
            {
                IEnumerable<string> kinds = kind is not null ? [kind] : DeviceKinds.RolesByKind.Where(k => k.Value.Contains(role)).Select(k => k.Key);
                foreach (string k in kinds)
                {
                    if (!CommandSupport.Supports(k, role, command))
                    {
                        throw Error(node, $"{(role is null ? k : $"a {role} {k}")} does not take '{cmd}' (protocol.md §4.1)");
                    }
                }
            }

            return new DeviceSelector(kind, role, ids, scope);
        }

        private AlertAction ReadAlert(YamlMappingNode node)
        {
            Keys(node, "severity", "text");
            AlertSeverity severity = AlertSeverity.Warning;
            if (node.Children.TryGetValue(new YamlScalarNode("severity"), out YamlNode? severityNode))
            {
                AlertBook.TryParseSeverity(OneOf(severityNode, "severity", ["info", "warning", "critical"]), out severity);
            }

            return new AlertAction(severity, Template(Required(node, "text")), node.Start.Line);
        }

        private RelayAction ReadRelay(YamlNode node)
        {
            if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return new RelayAction(null, node.Start.Line);
            }

            YamlMappingNode relay = Mapping(node, "relay (empty, or with a note)");
            Keys(relay, "note");
            return new RelayAction(relay.Children.TryGetValue(new YamlScalarNode("note"), out YamlNode? note) ? Template(note) : null, node.Start.Line);
        }

        private TextTemplate Template(YamlNode node)
        {
            string text = Scalar(node, "text");
            return TextTemplate.TryParse(text, out TextTemplate? template, out string why) ? template! : throw Error(node, why);
        }

        private TimeSpan Duration(YamlNode node)
        {
            string text = Scalar(node, "duration");
            return Durations.TryParse(text, out TimeSpan duration, out string why) ? duration : throw Error(node, why);
        }

        private string OneOf(YamlNode node, string what, string[] allowed, string? noun = null)
        {
            string value = Scalar(node, what);
            return allowed.Contains(value) ? value : throw Error(node, $"unknown {noun ?? what} '{value}'; use one of: {string.Join(", ", allowed)}");
        }

        private static string Lower(RuleScope scope) => scope.ToString().ToLowerInvariant();

        protected override ConfigFileException Error(long line, long column, string reason) => new RulesException(File, line, column, reason);

        // The trigger's meaning, independent of layout and key order: equal fingerprints keep pending timers on reload.
        private static string Fingerprint(YamlNode when)
        {
            var text = new StringBuilder();
            Canonical(when, text);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        }

        private static void Canonical(YamlNode node, StringBuilder text)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    text.Append('{');
                    foreach ((YamlNode key, YamlNode value) in mapping.Children.OrderBy(c => (c.Key as YamlScalarNode)?.Value, StringComparer.Ordinal))
                    {
                        Canonical(key, text);
                        text.Append(':');
                        Canonical(value, text);
                        text.Append(',');
                    }

                    text.Append('}');
                    break;
                case YamlSequenceNode sequence:
                    text.Append('[');
                    foreach (YamlNode item in sequence.Children)
                    {
                        Canonical(item, text);
                        text.Append(',');
                    }

                    text.Append(']');
                    break;
                case YamlScalarNode scalar:
                    text.Append('"').Append(scalar.Value?.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                    break;
            }
        }
    }
}
