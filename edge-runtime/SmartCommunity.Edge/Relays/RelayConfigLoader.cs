namespace SmartCommunity.Edge.Relays;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SmartCommunity.Edge.Configuration;
using SmartCommunity.Protocol;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads and validates a relays file (edge-runtime/README.md, "Relays"). Every problem is reported as
/// file:line:column with the reason, like the layout loader; unknown keys are errors, so a typo never silently
/// turns a setting into its default.
/// </summary>
public static class RelayConfigLoader
{
    private static readonly string[] CommonKeys = ["name", "type", "batchSize", "timeoutMs", "backoff", "deadLetterAfter"];
    private static readonly string[] MqttKeys = ["host", "port", "tls", "protocol", "topicPrefix", "clientId", "username", "password", "requireSubscriber", "inFlight"];
    private static readonly string[] WebhookKeys = ["url", "token"];

    public static RelayConfiguration Load(string path) =>
        Parse(YamlConfigReader.ReadText(path, "relays", "--relays", Error), path);

    public static RelayConfiguration Parse(string yaml, string file) =>
        new Reader(file).ReadRoot(YamlConfigReader.ParseRoot(yaml, file, "a relays file is one YAML mapping with keys edge, relays and (optional) calls", Error));

    private static RelayConfigException Error(string file, long line, long column, string reason) => new(file, line, column, reason);

    private sealed class Reader(string file) : YamlConfigReader(file)
    {
        private readonly Calls.CallAckInbox _callAcks = new();
        private HashSet<string> _chain = [];

        public RelayConfiguration ReadRoot(YamlMappingNode root)
        {
            Keys(root, ["edge", "relays", "calls"]);
            string edge = Id(Required(root, "edge"), "edge id");

            // The calls section is read first: its chain decides which MQTT relays listen for acknowledgements.
            YamlMappingNode? calls = root.Children.TryGetValue(new YamlScalarNode("calls"), out YamlNode? callsNode) && !IsEmpty(callsNode)
                ? Mapping(callsNode, "calls")
                : null;
            List<(string Name, YamlNode Node)> chain = calls is null ? [] : ReadChain(calls);
            _chain = chain.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var relays = new List<RelayDefinition>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            if (root.Children.TryGetValue(new YamlScalarNode("relays"), out YamlNode? list) && !IsEmpty(list))
            {
                foreach (YamlNode node in Sequence(list, "relays"))
                {
                    RelayDefinition relay = ReadRelay(Mapping(node, "relay"), edge);
                    if (!names.Add(relay.Name))
                    {
                        throw Error(((YamlMappingNode)node)["name"], $"relay '{relay.Name}' is declared twice; relay names must be unique (they key the relay's cursors)");
                    }

                    relays.Add(relay);
                }
            }

            foreach ((string name, YamlNode node) in chain)
            {
                if (!names.Contains(name))
                {
                    throw Error(node, $"the calls chain names relay '{name}', which is not declared under relays; declared: {(names.Count == 0 ? "none" : string.Join(", ", relays.Select(r => r.Name)))}");
                }
            }

            return new RelayConfiguration { EdgeId = edge, Relays = relays, Calls = calls is null ? new() : ReadCalls(calls, chain), CallAcks = _callAcks };
        }

        // hardware-docs/emergency-calls.md, "Configuration".
        private List<(string Name, YamlNode Node)> ReadChain(YamlMappingNode calls)
        {
            Keys(calls, ["chain", "ackTimeoutS", "operatorAfterS", "sounderAfterS", "callbackUrl"]);
            var chain = new List<(string Name, YamlNode Node)>();
            if (calls.Children.TryGetValue(new YamlScalarNode("chain"), out YamlNode? list) && !IsEmpty(list))
            {
                foreach (YamlNode node in Sequence(list, "calls chain"))
                {
                    string name = Id(node, "relay name");
                    if (chain.Any(c => c.Name == name))
                    {
                        throw Error(node, $"the calls chain names relay '{name}' twice; each relay gets a call once");
                    }

                    chain.Add((name, node));
                }
            }

            return chain;
        }

        private Calls.CallDispatchOptions ReadCalls(YamlMappingNode calls, List<(string Name, YamlNode Node)> chain)
        {
            long maxS = (long)Calls.CallDispatchOptions.MaxTime.TotalSeconds;
            long ack = OptionalInteger(calls, "ackTimeoutS", 1, maxS) ?? (long)Calls.CallDispatchOptions.DefaultAckTimeout.TotalSeconds;
            long operatorAfter = OptionalInteger(calls, "operatorAfterS", 0, maxS) ?? (long)Calls.CallDispatchOptions.DefaultOperatorAfter.TotalSeconds;
            long sounderAfter = OptionalInteger(calls, "sounderAfterS", 0, maxS) ?? (long)Calls.CallDispatchOptions.DefaultSounderAfter.TotalSeconds;
            if (sounderAfter < operatorAfter)
            {
                YamlNode at = calls.Children.TryGetValue(new YamlScalarNode("sounderAfterS"), out YamlNode? n) ? n : calls;
                throw Error(at, $"sounderAfterS ({sounderAfter}) is before operatorAfterS ({operatorAfter}); the sounder is the last resort, after the operator alert");
            }

            Uri? callbackBase = null;
            if (Optional(calls, "callbackUrl") is { } url)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out callbackBase) || callbackBase.Scheme is not ("http" or "https") || callbackBase.Query.Length > 0)
                {
                    throw Error(calls["callbackUrl"], $"callbackUrl '{url}' must be an absolute http:// or https:// address without a query, e.g. https://riverside-edge.example.net");
                }
            }

            return new Calls.CallDispatchOptions
            {
                Chain = chain.Select(c => c.Name).ToList(),
                AckTimeout = TimeSpan.FromSeconds(ack),
                OperatorAfter = TimeSpan.FromSeconds(operatorAfter),
                SounderAfter = TimeSpan.FromSeconds(sounderAfter),
                CallbackBase = callbackBase,
            };
        }

        private RelayDefinition ReadRelay(YamlMappingNode relay, string edge)
        {
            string name = Id(Required(relay, "name"), "relay name");
            YamlNode typeNode = Required(relay, "type");
            string type = Scalar(typeNode, "type");
            RelayKind kind = type switch
            {
                "mqtt" => RelayKind.Mqtt,
                "webhook" => RelayKind.Webhook,
                _ => throw Error(typeNode, $"unknown relay type '{type}'; use mqtt or webhook"),
            };
            KeysOfType(relay, [.. CommonKeys, .. kind == RelayKind.Mqtt ? MqttKeys : WebhookKeys], kind == RelayKind.Mqtt ? WebhookKeys : MqttKeys, type);

            var delivery = new RelayDeliveryOptions();
            TimeSpan backoffInitial = delivery.BackoffInitial, backoffMax = delivery.BackoffMax;
            if (relay.Children.TryGetValue(new YamlScalarNode("backoff"), out YamlNode? backoffNode))
            {
                var backoff = Mapping(backoffNode, "backoff");
                Keys(backoff, ["initialMs", "maxMs"]);
                backoffInitial = Milliseconds(backoff, "initialMs", 1, 3_600_000) ?? backoffInitial;
                backoffMax = Milliseconds(backoff, "maxMs", 1, 3_600_000) ?? backoffMax;
                if (backoffMax < backoffInitial)
                {
                    throw Error(backoff, $"backoff maxMs ({backoffMax.TotalMilliseconds}) is below initialMs ({backoffInitial.TotalMilliseconds})");
                }
            }

            delivery = new RelayDeliveryOptions
            {
                BatchSize = (int)(OptionalInteger(relay, "batchSize", 1, 10_000) ?? delivery.BatchSize),
                AttemptTimeout = Milliseconds(relay, "timeoutMs", 100, 600_000) ?? delivery.AttemptTimeout,
                DeadLetterAfter = (int)(OptionalInteger(relay, "deadLetterAfter", 1, 1_000) ?? delivery.DeadLetterAfter),
                BackoffInitial = backoffInitial,
                BackoffMax = backoffMax,
            };

            return kind == RelayKind.Mqtt
                ? new RelayDefinition { Name = name, Kind = kind, Delivery = delivery, Mqtt = ReadMqtt(relay, edge, name) }
                : new RelayDefinition { Name = name, Kind = kind, Delivery = delivery, Webhook = ReadWebhook(relay) };
        }

        private MqttRelayOptions ReadMqtt(YamlMappingNode relay, string edge, string name)
        {
            YamlNode hostNode = Required(relay, "host");
            string host = Scalar(hostNode, "host");
            if (string.IsNullOrWhiteSpace(host) || Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                throw Error(hostNode, $"host '{host}' is not a host name or IP address");
            }

            string protocol = Optional(relay, "protocol") ?? "5";
            if (protocol is not ("5" or "3.1.1"))
            {
                throw Error(relay["protocol"], $"protocol '{protocol}' is not supported; use \"5\" or \"3.1.1\"");
            }

            string prefix = Optional(relay, "topicPrefix") ?? "sc-up/v1";
            if (prefix.Length == 0 || prefix.StartsWith('/') || prefix.EndsWith('/') || prefix.IndexOfAny(['+', '#', '\0']) >= 0)
            {
                throw Error(relay["topicPrefix"], $"topicPrefix '{prefix}' must be topic levels without wildcards and without a leading or trailing '/', e.g. sc-up/v1");
            }

            string clientId = Optional(relay, "clientId") ?? $"sc-edge-{edge}-{name}";
            bool tls = OptionalBoolean(relay, "tls") ?? false;
            return new MqttRelayOptions
            {
                Host = host,
                Port = (int)(OptionalInteger(relay, "port", 1, 65_535) ?? (tls ? 8883 : 1883)),
                Tls = tls,
                Protocol = protocol,
                TopicPrefix = prefix,
                ClientId = clientId,
                Username = Optional(relay, "username"),
                Password = Optional(relay, "password"),
                RequireSubscriber = OptionalBoolean(relay, "requireSubscriber") ?? false,
                InFlight = (int)(OptionalInteger(relay, "inFlight", 1, 1_000) ?? 16),
                CallAcks = _chain.Contains(name) ? _callAcks : null,
            };
        }

        private WebhookRelayOptions ReadWebhook(YamlMappingNode relay)
        {
            YamlNode urlNode = Required(relay, "url");
            string url = Scalar(urlNode, "url");
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
            {
                throw Error(urlNode, $"url '{url}' must be an absolute http:// or https:// address");
            }

            return new WebhookRelayOptions { Url = uri, Token = Optional(relay, "token") };
        }

        private void KeysOfType(YamlMappingNode node, string[] allowed, string[] otherType, string type)
        {
            foreach (YamlNode key in node.Children.Keys)
            {
                string name = Scalar(key, "key");
                if (allowed.Contains(name))
                {
                    continue;
                }

                throw otherType.Contains(name)
                    ? Error(key, $"'{name}' is not a setting of a {type} relay; allowed here: {string.Join(", ", allowed)}")
                    : Error(key, $"unknown key '{name}'; allowed here: {string.Join(", ", allowed)}");
            }
        }

        private long? OptionalInteger(YamlMappingNode node, string key, long min, long max)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value))
            {
                return null;
            }

            long number = Integer(value, key);
            return number < min || number > max ? throw Error(value, $"{key} {number} is out of range; use {min}-{max}") : number;
        }

        private TimeSpan? Milliseconds(YamlMappingNode node, string key, long min, long max) =>
            OptionalInteger(node, key, min, max) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

        private bool? OptionalBoolean(YamlMappingNode node, string key) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? Boolean(value, key) : null;

        private static bool IsEmpty(YamlNode node) => node is YamlScalarNode { Value: null or "" or "~" or "null" };

        protected override ConfigFileException Error(long line, long column, string reason) => new RelayConfigException(File, line, column, reason);
    }
}
