namespace SmartCommunity.Simulator.Scenarios;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SmartCommunity.Edge.Configuration;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Simulator.Scenarios.Expectations;
using SmartCommunity.Simulator.Scenarios.Stimuli;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads a scenario file (simulators/README.md, "Scenarios") and checks all of it before anything starts: unknown
/// keys, unknown devices, pins, buildings, rules, stimuli and expectations, and impossible timelines (negative times,
/// steps out of order, a deadline before its step, restoring a link that was never cut). Every problem is a
/// <see cref="ScenarioException"/> (or the layout's or rules file's own error) with file, line and column.
/// </summary>
public sealed partial class ScenarioLoader(StimulusRegistry stimuli, ExpectationRegistry expectations)
{
    private static readonly string[] RootKeys = ["scenario", "description", "layout", "rules", "upstream", "calls", "timing", "end", "steps", "signedCommands"];
    private static readonly string[] StepKeys = ["at", "note", "do", "expect"];
    private static readonly string[] TimingKeys = ["within", "by", "for", "realTime"];

    public StimulusRegistry Stimuli => stimuli;

    public ExpectationRegistry Expectations => expectations;

    public static ScenarioLoader CreateDefault() => new(StimulusRegistry.CreateDefault(), ExpectationRegistry.CreateDefault());

    /// <param name="layoutOverride">A layout file to use instead of the one the scenario names (sc-sim scenario --layout).</param>
    public Scenario Load(string path, string? layoutOverride = null) =>
        Parse(YamlConfigReader.ReadText(path, "scenario", "the FILE argument", Error), path, layoutOverride);

    public Scenario Parse(string yaml, string file, string? layoutOverride = null)
    {
        YamlMappingNode root = YamlConfigReader.ParseRoot(yaml, file, "a scenario is one YAML mapping with keys scenario, layout and steps", Error);
        return new Reader(file, stimuli, expectations).ReadRoot(root, layoutOverride);
    }

    private static ScenarioException Error(string file, long line, long column, string reason) => new(file, line, column, reason);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();

    private sealed class Reader(string file, StimulusRegistry stimuli, ExpectationRegistry expectations)
    {
        private readonly ScenarioYaml _yaml = new(file);
        private readonly string _folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";

        public Scenario ReadRoot(YamlMappingNode root, string? layoutOverride)
        {
            _yaml.CheckKeys(root, RootKeys);
            YamlNode nameNode = _yaml.RequiredOf(root, "scenario");
            string name = _yaml.ScalarOf(nameNode, "scenario");
            if (!NamePattern().IsMatch(name))
            {
                throw _yaml.ErrorAt(nameNode, $"scenario name '{name}' must be 1-64 characters of a-z, 0-9, '-' or '_' (it names the JUnit test suite)");
            }

            string layoutPath = layoutOverride is not null ? Path.GetFullPath(layoutOverride) : ExistingFile(_yaml.RequiredOf(root, "layout"), "layout");
            BuildingLayout layout = LayoutLoader.Load(layoutPath);
            string? rulesPath = root.Children.TryGetValue(new YamlScalarNode("rules"), out YamlNode? rulesNode) ? ExistingFile(rulesNode, "rules") : null;
            IReadOnlySet<string>? ruleNames = rulesPath is null
                ? null
                : RuleLoader.Load(rulesPath, layout.Devices).Rules.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            UpstreamDefinition? upstream = root.Children.TryGetValue(new YamlScalarNode("upstream"), out YamlNode? upstreamNode) ? ReadUpstream(upstreamNode) : null;
            CallsDefinition? calls = root.Children.TryGetValue(new YamlScalarNode("calls"), out YamlNode? callsNode) ? ReadCalls(callsNode, upstream) : null;
            ScenarioTiming timing = root.Children.TryGetValue(new YamlScalarNode("timing"), out YamlNode? timingNode) ? ReadTiming(timingNode) : new ScenarioTiming();
            bool signed = root.Children.TryGetValue(new YamlScalarNode("signedCommands"), out YamlNode? signedNode) && _yaml.BooleanOf(signedNode, "signedCommands");

            var plan = new TimelinePlan();
            var steps = new List<ScenarioStep>();
            YamlSequenceNode stepNodes = _yaml.SequenceOf(_yaml.RequiredOf(root, "steps"), "steps");
            if (stepNodes.Children.Count == 0)
            {
                throw _yaml.ErrorAt(stepNodes, "a scenario needs at least one step");
            }

            foreach (YamlNode node in stepNodes)
            {
                ScenarioStep step = ReadStep(_yaml.MappingOf(node, "step"), steps.LastOrDefault(), layout, upstream is not null, ruleNames, plan);
                steps.Add(step);
            }

            TimeSpan end = TimeSpan.Zero;
            if (root.Children.TryGetValue(new YamlScalarNode("end"), out YamlNode? endNode))
            {
                end = Time(endNode, "end");
                if (end < steps[^1].At)
                {
                    throw _yaml.ErrorAt(endNode, $"end {ScenarioTime.Format(end)} comes before the last step at {ScenarioTime.Format(steps[^1].At)}");
                }
            }

            return new Scenario
            {
                SignedCommands = signed,
                Name = name,
                File = file,
                Description = _yaml.OptionalOf(root, "description"),
                LayoutPath = layoutPath,
                Layout = layout,
                RulesPath = rulesPath,
                Upstream = upstream,
                Calls = calls,
                Timing = timing,
                End = end,
                Steps = steps,
            };
        }

        private ScenarioStep ReadStep(YamlMappingNode node, ScenarioStep? previous, BuildingLayout layout, bool hasUpstream, IReadOnlySet<string>? ruleNames, TimelinePlan plan)
        {
            _yaml.CheckKeys(node, StepKeys);
            YamlNode atNode = _yaml.RequiredOf(node, "at");
            TimeSpan at = Time(atNode, "at");
            if (previous is not null && at < previous.At)
            {
                throw _yaml.ErrorAt(atNode,
                    $"steps out of order: this step is at {ScenarioTime.Format(at)}, after a step at {ScenarioTime.Format(previous.At)} (line {previous.Line}); list steps in time order");
            }

            plan.At = at;
            bool hasDo = node.Children.TryGetValue(new YamlScalarNode("do"), out YamlNode? doNode);
            bool hasExpect = node.Children.TryGetValue(new YamlScalarNode("expect"), out YamlNode? expectNode);
            if (!hasDo && !hasExpect)
            {
                throw _yaml.ErrorAt(node, "a step needs do: (stimuli), expect: (expectations), or both");
            }

            var actions = new List<BoundStimulus>();
            foreach (YamlNode item in hasDo ? _yaml.SequenceOf(doNode!, "do") : [])
            {
                (string name, YamlNode key, YamlMappingNode arguments) = Single(item, "stimulus", "- smoke: { device: b1-lobby-smoke, level: 800 }");
                if (!stimuli.TryGet(name, out IStimulus? stimulus))
                {
                    string hint = expectations.TryGet(name, out _) ? $"; '{name}' is an expectation, put it under expect:" : "";
                    throw _yaml.ErrorAt(key, $"unknown stimulus '{name}'{hint}; stimuli: {string.Join(", ", stimuli.All.Select(s => s.Name))}");
                }

                IScenarioAction action = stimulus.Bind(new ScenarioArguments(_yaml, name, arguments, key, layout, hasUpstream, ruleNames));
                if (action.Plan(plan) is { } impossible)
                {
                    throw _yaml.ErrorAt(key, $"{name} at {ScenarioTime.Format(at)}: {impossible}");
                }

                actions.Add(new BoundStimulus(name, action, key.Start.Line, key.Start.Column));
            }

            var expected = new List<ExpectationDefinition>();
            foreach (YamlNode item in hasExpect ? _yaml.SequenceOf(expectNode!, "expect") : [])
            {
                (string name, YamlNode key, YamlMappingNode arguments) = Single(item, "expectation", "- output: { devices: b1-lobby-entrance, is: released, within: 2s }");
                if (!expectations.TryGet(name, out IExpectationKind? kind))
                {
                    string hint = stimuli.TryGet(name, out _) ? $"; '{name}' is a stimulus, put it under do:" : "";
                    throw _yaml.ErrorAt(key, $"unknown expectation '{name}'{hint}; expectations: {string.Join(", ", expectations.All.Select(e => e.Name))}");
                }

                _yaml.CheckKeys(arguments, [.. kind.Keys, .. TimingKeys]);
                var args = new ScenarioArguments(_yaml, name, arguments, key, layout, hasUpstream, ruleNames);
                IExpectationCheck check = kind.Bind(args);
                expected.Add(ReadTimingOf(args, kind, check, at, key));
            }

            return new ScenarioStep { At = at, Line = atNode.Start.Line, Note = _yaml.OptionalOf(node, "note"), Actions = actions, Expectations = expected };
        }

        private ExpectationDefinition ReadTimingOf(ScenarioArguments args, IExpectationKind kind, IExpectationCheck check, TimeSpan at, YamlNode key)
        {
            string[] given = ["within", "by", "for"];
            given = given.Where(args.Has).ToArray();
            if (given.Length != 1)
            {
                string modes = kind.Modes switch
                {
                    ExpectationModes.Eventually => "within: 2s (from this step) or by: 12s (scenario time)",
                    ExpectationModes.Throughout => "for: 30s (it must hold throughout that window)",
                    _ => "within: 2s (from this step), by: 12s (scenario time) or for: 30s (throughout that window)",
                };
                throw given.Length == 0
                    ? args.Error($"say when: {modes}")
                    : args.Error(given[1], $"give one of {string.Join(", ", given)}, not several");
            }

            ExpectationMode mode = given[0] == "for" ? ExpectationMode.Throughout : ExpectationMode.Eventually;
            if (mode == ExpectationMode.Throughout && !kind.Modes.HasFlag(ExpectationModes.Throughout))
            {
                throw args.Error("for", $"{kind.Name} is met once, not held over a window; use within: or by:");
            }

            if (mode == ExpectationMode.Eventually && !kind.Modes.HasFlag(ExpectationModes.Eventually))
            {
                throw args.Error(given[0], $"{kind.Name} must hold over a window; use for: 30s");
            }

            TimeSpan until;
            switch (given[0])
            {
                case "within":
                    until = at + args.Duration("within");
                    break;
                case "by":
                    until = args.Duration("by");
                    if (until < at)
                    {
                        throw args.Error("by", $"the deadline {ScenarioTime.Format(until)} is before its step at {ScenarioTime.Format(at)}; by: is scenario time, within: counts from the step");
                    }

                    break;
                default:
                    TimeSpan window = args.Duration("for");
                    if (window <= TimeSpan.Zero)
                    {
                        throw args.Error("for", "a window of zero holds nothing; give a duration, e.g. for: 30s");
                    }

                    until = at + window;
                    break;
            }

            RealTimeLimit? realTime = null;
            if (args.Has("realTime"))
            {
                if (mode == ExpectationMode.Throughout)
                {
                    throw args.Error("realTime", "a real-time deadline applies to something that must happen (within: or by:), not to a window");
                }

                realTime = ReadRealTime(args);
            }

            return new ExpectationDefinition(kind.Name, check, mode, at, until, realTime, key.Start.Line, key.Start.Column);
        }

        // realTime: 200ms (from the step's stimuli) or realTime: { within: 200ms, from: { device: ..., event: alarm } }
        // (from that event leaving the device, e.g. alarm to release).
        private static RealTimeLimit ReadRealTime(ScenarioArguments args)
        {
            if (!args.IsMapping("realTime"))
            {
                return new RealTimeLimit(Positive(args, "realTime"), null, null);
            }

            ScenarioArguments limit = args.Nested("realTime");
            limit.AllowOnly("within", "from");
            TimeSpan within = Positive(limit, "within");
            if (!limit.Has("from"))
            {
                return new RealTimeLimit(within, null, null);
            }

            ScenarioArguments from = limit.Nested("from");
            from.AllowOnly("device", "event");
            return new RealTimeLimit(within, from.Device("device").Id, from.Text("event"));
        }

        private static TimeSpan Positive(ScenarioArguments args, string key)
        {
            TimeSpan value = args.Duration(key);
            return value > TimeSpan.Zero ? value : throw args.Error(key, $"{key} must be longer than zero");
        }

        private UpstreamDefinition ReadUpstream(YamlNode node)
        {
            YamlMappingNode map = _yaml.MappingOf(node, "upstream");
            _yaml.CheckKeys(map, ["webhook", "backoff"]);
            string name = _yaml.IdOf(_yaml.RequiredOf(map, "webhook"), "relay name");
            TimeSpan initial = TimeSpan.FromMilliseconds(200), max = TimeSpan.FromSeconds(2);
            if (map.Children.TryGetValue(new YamlScalarNode("backoff"), out YamlNode? backoffNode))
            {
                YamlMappingNode backoff = _yaml.MappingOf(backoffNode, "backoff");
                _yaml.CheckKeys(backoff, ["initial", "max"]);
                initial = backoff.Children.TryGetValue(new YamlScalarNode("initial"), out YamlNode? i) ? PositiveTime(i, "initial") : initial;
                max = backoff.Children.TryGetValue(new YamlScalarNode("max"), out YamlNode? m) ? PositiveTime(m, "max") : max;
                if (max < initial)
                {
                    throw _yaml.ErrorAt(backoffNode, $"backoff max {ScenarioTime.Format(max)} is below initial {ScenarioTime.Format(initial)}");
                }
            }

            return new UpstreamDefinition(name, initial, max);
        }

        // calls: { chain: [backend], ackTimeout: 60s, operatorAfter: 120s, sounderAfter: 180s }; the chain can only name the
        // scenario's upstream webhook, the one relay the runner gives the edge.
        private CallsDefinition ReadCalls(YamlNode node, UpstreamDefinition? upstream)
        {
            YamlMappingNode map = _yaml.MappingOf(node, "calls");
            _yaml.CheckKeys(map, ["chain", "ackTimeout", "operatorAfter", "sounderAfter"]);
            var chain = new List<string>();
            if (map.Children.TryGetValue(new YamlScalarNode("chain"), out YamlNode? chainNode))
            {
                foreach (YamlNode item in _yaml.SequenceOf(chainNode, "chain"))
                {
                    string relay = _yaml.ScalarOf(item, "relay name");
                    if (upstream is null || relay != upstream.Name)
                    {
                        throw _yaml.ErrorAt(item, upstream is null
                            ? $"calls: the chain names relay '{relay}', but the scenario has no upstream; declare one, e.g. upstream: {{ webhook: {relay} }}"
                            : $"calls: the chain names relay '{relay}'; the scenario's only relay is its upstream '{upstream.Name}'");
                    }

                    if (chain.Contains(relay))
                    {
                        throw _yaml.ErrorAt(item, $"calls: the chain names '{relay}' twice");
                    }

                    chain.Add(relay);
                }
            }

            TimeSpan? Optional(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? Time(value, key) : null;
            TimeSpan? ack = Optional("ackTimeout"), operatorAfter = Optional("operatorAfter"), sounderAfter = Optional("sounderAfter");
            if (ack is { } a && a <= TimeSpan.Zero)
            {
                throw _yaml.ErrorAt(map.Children[new YamlScalarNode("ackTimeout")], "calls: ackTimeout must be longer than zero");
            }

            var definition = new CallsDefinition(chain, ack, operatorAfter, sounderAfter);
            try
            {
                // The edge's own check, so a timing it would refuse at start is an error with a line here.
                Running.ScenarioWorld.CallOptionsFor(definition).Validate(chain);
            }
            catch (ArgumentException ex)
            {
                throw _yaml.ErrorAt(map, $"calls: {ex.Message}");
            }

            return definition;
        }

        private ScenarioTiming ReadTiming(YamlNode node)
        {
            YamlMappingNode map = _yaml.MappingOf(node, "timing");
            _yaml.CheckKeys(map, ["tick", "idleTick", "settle"]);
            var timing = new ScenarioTiming();
            TimeSpan tick = map.Children.TryGetValue(new YamlScalarNode("tick"), out YamlNode? t) ? PositiveTime(t, "tick") : timing.Tick;
            TimeSpan idle = map.Children.TryGetValue(new YamlScalarNode("idleTick"), out YamlNode? i) ? PositiveTime(i, "idleTick") : TimeSpan.FromTicks(Math.Max(timing.IdleTick.Ticks, tick.Ticks));
            TimeSpan settle = map.Children.TryGetValue(new YamlScalarNode("settle"), out YamlNode? s) ? PositiveTime(s, "settle") : timing.Settle;
            if (tick > TimeSpan.FromSeconds(1))
            {
                throw _yaml.ErrorAt(t!, $"tick {ScenarioTime.Format(tick)} is coarser than the devices can take (smoke heads are read every 100ms); use 1s or less");
            }

            if (idle < tick)
            {
                throw _yaml.ErrorAt(i!, $"idleTick {ScenarioTime.Format(idle)} is shorter than tick {ScenarioTime.Format(tick)}");
            }

            return new ScenarioTiming { Tick = tick, IdleTick = idle, Settle = settle };
        }

        private (string Name, YamlNode Key, YamlMappingNode Arguments) Single(YamlNode item, string what, string example)
        {
            YamlMappingNode map = _yaml.MappingOf(item, what);
            if (map.Children.Count != 1)
            {
                throw _yaml.ErrorAt(item, $"each {what} is one name with its arguments, e.g. '{example}'");
            }

            (YamlNode key, YamlNode value) = map.Children.First();
            string name = _yaml.ScalarOf(key, $"{what} name");
            YamlMappingNode arguments = value switch
            {
                YamlMappingNode mapping => mapping,
                YamlScalarNode { Value: null or "" or "~" or "null" } => new YamlMappingNode(),
                _ => throw _yaml.ErrorAt(value, $"the arguments of {name} must be a mapping, e.g. '{example}' ({{}} for none)"),
            };
            return (name, key, arguments);
        }

        private string ExistingFile(YamlNode node, string what)
        {
            string value = _yaml.ScalarOf(node, what);
            string path = Path.GetFullPath(Path.Combine(_folder, value));
            return System.IO.File.Exists(path)
                ? path
                : throw _yaml.ErrorAt(node, $"{what} file '{value}' not found (looked for {path}); paths are relative to the scenario file");
        }

        private TimeSpan Time(YamlNode node, string what)
        {
            string text = _yaml.ScalarOf(node, what);
            return ScenarioTime.TryParse(text, allowNegative: false, out TimeSpan value, out string why) ? value : throw _yaml.ErrorAt(node, $"{what}: {why}");
        }

        private TimeSpan PositiveTime(YamlNode node, string what)
        {
            TimeSpan value = Time(node, what);
            return value > TimeSpan.Zero ? value : throw _yaml.ErrorAt(node, $"{what} must be longer than zero");
        }
    }
}
