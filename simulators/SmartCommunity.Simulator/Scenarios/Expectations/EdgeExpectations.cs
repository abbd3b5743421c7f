namespace SmartCommunity.Simulator.Scenarios.Expectations;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Edge;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Calls;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// Expectations on what the edge concluded: twins, fire latches, alerts, its event log, its refusal counters, and its
/// HTTP API. While a scenario has the edge stopped, these do not hold (and say so).
/// </summary>
public static class EdgeExpectations
{
    /// <summary>The edge's refusal categories (<c>/health</c> → <c>messages.refusedByReason</c>).</summary>
    public static readonly string[] RefusalReasons = ["malformed", "unknown-device", "not-own-topic", "wrong-topic", "edge-client-id",
        "oversized", "message-rate", "subscribe-not-allowed", "connect-rate", "connect-client-id-mismatch", "connect-unknown-device", "connect-no-credentials", "connect-bad-password"];

    private const string EdgeStopped = EdgeLogEvaluator.EdgeStopped;

    /// <summary>The alerts the edge raises itself (hardware-docs/safety.md, access-control.md), besides the rules file's and the calls' (emergency-call:CALL).</summary>
    public static readonly string[] BuiltInAlertRules =
    [
        FireRule.ConfirmedAlert, FireRule.SuspectedAlert, FireRule.PreAlarmAlert, FireRule.TestAlarmAlert,
        Edge.Access.AccessControl.ListFullAlert, Edge.Access.AccessControl.SyncFailedAlert,
        Edge.Metering.MBusMaster.UnreachableAlert,
    ];

    public static void AddTo(ExpectationRegistry registry)
    {
        registry.Add(new ExpectationKind("twin", "twin: { devices, online?, reason?: will|silent, boot? } the edge's twin of each device",
            ExpectationModes.Both, ["devices", "online", "reason", "boot"], BindTwin));
        registry.Add(new ExpectationKind("fire-latch", "fire-latch: { building, latched: true|false } the edge's fire latch of the building",
            ExpectationModes.Both, ["building", "latched"], BindLatch));
        registry.Add(new ExpectationKind("alert",
            "alert: { rule?, device?, building?, severity?, text? } a rule or the edge itself (fire suspected, an unanswered call) raised or repeated such an alert since the step; text: a part of its text",
            ExpectationModes.Eventually, ["rule", "device", "building", "severity", "text"], BindAlert));
        registry.Add(new ExpectationKind("log", "log: { source?, channel?, name?, building?, atLeast?: 1 } the event log holds such entries from since the step",
            ExpectationModes.Eventually, ["source", "channel", "name", "building", "atLeast"], BindLog));
        registry.Add(new ExpectationKind("refused", "refused: { reason?, atLeast?: 1 } the edge refused (and counted) that many messages since the step",
            ExpectationModes.Eventually, ["reason", "atLeast"], BindRefused));
        registry.Add(new ExpectationKind("api", "api: { get: /path, status?: 200, contains? } the edge's HTTP API answers the GET with that status (and text in the body)",
            ExpectationModes.Both, ["get", "status", "contains"], BindApi));
    }

    /// <summary>
    /// The event log's channels: a device's own (protocol.md §1, commands as <c>cmd</c>) and the edge's records (its
    /// conclusions about a device, rules, alerts, operators' actions, retention anchors, emergency calls, the access trail).
    /// </summary>
    public static readonly string[] LogChannels = ["telemetry", "event", "state", "status", "ack", "cmd", "edge", "rule", "alert", "operator", "log", CallRecords.Channel, Edge.Access.AccessControl.Channel,
        Edge.Parking.ParkingControl.Channel, Edge.Metering.MeterBook.Channel];

    /// <summary>A channel of the event log; a wrong one would make an expectation that can never be met.</summary>
    internal static string? LogChannel(ScenarioArguments a, string key) => a.OptionalOneOf(key, LogChannels);

    /// <summary>"edge" or a device of the layout: the sources of the event log.</summary>
    internal static string Source(ScenarioArguments a, string key)
    {
        string source = a.Text(key);
        return source == "edge" || a.Layout.DevicesById.ContainsKey(source)
            ? source
            : throw a.Error(key, $"unknown source '{source}'; a log source is 'edge' or a device id of the layout");
    }

    internal static DateTimeOffset At(StoredEvent record) => DateTimeOffset.Parse(record.At, CultureInfo.InvariantCulture);

    private static IExpectationCheck BindTwin(ScenarioArguments a)
    {
        IReadOnlyList<DeviceDefinition> devices = a.Devices("devices");
        bool? online = a.OptionalBoolean("online");
        string? reason = a.OptionalOneOf("reason", "will", "silent");
        long? boot = a.OptionalInteger("boot", 1, long.MaxValue);
        if (online is null && reason is null && boot is null)
        {
            throw a.Error("say what the twin must show: online, reason or boot");
        }

        if (reason is not null && online == true)
        {
            throw a.Error("reason", "an offline reason goes with online: false");
        }

        string what = string.Join(", ", new[]
        {
            online is null ? null : online.Value ? "online" : "offline",
            reason is null ? null : $"offline by {reason}",
            boot is null ? null : $"boot {boot}",
        }.Where(p => p is not null));
        return ExpectationCheck.Stateless($"the edge's twin of {DeviceExpectations.Names(devices)}: {what}", (world, _, _) =>
        {
            if (world.Edge is not { } edge)
            {
                return new Observation(false, EdgeStopped);
            }

            var wrong = new List<string>();
            foreach (DeviceDefinition device in devices)
            {
                TwinSnapshot twin = edge.Twins.Find(device.Id)!.Snapshot();
                bool fits = (online is null || twin.Online == online) && (reason is null || (!twin.Online && twin.OfflineReason == reason)) && (boot is null || twin.Boot == boot);
                if (!fits)
                {
                    wrong.Add($"{device.Id} is {(twin.Online ? "online" : $"offline ({twin.OfflineReason ?? "never seen"})")}, boot {twin.Boot}");
                }
            }

            return wrong.Count == 0 ? new Observation(true, what) : new Observation(false, string.Join("; ", wrong));
        });
    }

    private static IExpectationCheck BindLatch(ScenarioArguments a)
    {
        string building = a.Building("building");
        bool latched = a.Boolean("latched");
        return ExpectationCheck.Stateless($"the fire latch of {building} is {(latched ? "set" : "clear")}", (world, _, _) =>
            world.Edge is not { } edge ? new Observation(false, EdgeStopped)
            : edge.FireRule.IsLatched(building) == latched ? new Observation(true, latched ? "latched" : "clear")
            : new Observation(false, latched ? "not latched" : "latched"));
    }

    private static IExpectationCheck BindAlert(ScenarioArguments a)
    {
        string? rule = a.OptionalText("rule");
        bool builtIn = rule is not null && (BuiltInAlertRules.Contains(rule) || (rule.StartsWith(CallDesk.AlertRulePrefix, StringComparison.Ordinal) && rule.Length > CallDesk.AlertRulePrefix.Length));
        if (rule is not null && !builtIn && a.RuleNames is not { } rules)
        {
            throw a.Error("rule", $"the scenario runs no rules file, so only the edge's own alerts are raised ({string.Join(", ", BuiltInAlertRules)}, {CallDesk.AlertRulePrefix}CALL); add rules: PATH at the top");
        }

        if (rule is not null && !builtIn && !a.RuleNames!.Contains(rule))
        {
            throw a.Error("rule", $"unknown rule '{rule}'; rules of the scenario's rules file: {string.Join(", ", a.RuleNames.Order(StringComparer.Ordinal))}; the edge's own: {string.Join(", ", BuiltInAlertRules)}, {CallDesk.AlertRulePrefix}CALL");
        }

        string? device = a.Has("device") ? a.Device("device").Id : null;
        string? building = a.Has("building") ? a.Building("building") : null;
        AlertSeverity? severity = a.OptionalOneOf("severity", "info", "warning", "critical") is { } s ? Enum.Parse<AlertSeverity>(s, ignoreCase: true) : null;
        string? text = a.OptionalText("text");
        string what = string.Join(" ", new[]
        {
            severity is null ? "an alert" : severity == AlertSeverity.Info ? "an info alert" : $"a {severity.ToString()!.ToLowerInvariant()} alert",
            rule is null ? null : $"of rule {rule}",
            device is null ? null : $"for {device}",
            building is null ? null : $"in {building}",
            text is null ? null : $"saying '{text}'",
        }.Where(p => p is not null));
        return ExpectationCheck.Stateless($"{what} is raised", (world, window, _) =>
        {
            if (world.Edge is not { } edge)
            {
                return new Observation(false, EdgeStopped);
            }

            IReadOnlyList<Alert> alerts = edge.Alerts.List(openOnly: false);
            Alert? match = alerts.FirstOrDefault(x => x.LastRaisedAt >= window.StartWall && (rule is null || x.Rule == rule) && (device is null || x.Device == device)
                && (building is null || x.Building == building) && (severity is null || x.Severity == severity)
                && (text is null || x.Text.Contains(text, StringComparison.OrdinalIgnoreCase)));
            if (match is not null)
            {
                return new Observation(true, $"alert {match.Id}: {match.Text}");
            }

            string[] recent = alerts.Where(x => x.LastRaisedAt >= window.StartWall).Select(x => $"{x.Rule}/{x.Device ?? x.Building}").Take(5).ToArray();
            return new Observation(false, recent.Length == 0 ? "no alert raised since the step" : $"only other alerts: {string.Join(", ", recent)}");
        });
    }

    private static IExpectationCheck BindLog(ScenarioArguments a)
    {
        string? source = a.Has("source") ? Source(a, "source") : null;
        string? channel = LogChannel(a, "channel");
        string? name = a.OptionalText("name");
        string? building = a.Has("building") ? a.Building("building") : null;
        int atLeast = (int)(a.OptionalInteger("atLeast", 1, 10_000) ?? 1);
        if (source is null && channel is null && name is null)
        {
            throw a.Error("say which entries: source, channel or name (or several)");
        }

        string what = $"{(atLeast == 1 ? "an entry" : $"{atLeast} entries")} {Filter(source, channel, name)}{(building is null ? "" : $" of {building}")}";
        // Reading the log costs a query: only look again when something was committed since the last look.
        return new ExpectationCheck($"the event log holds {what}", (_, window) => EdgeLogEvaluator.WhenCommitted(edge =>
        {
            int count = edge.EventLog.ReadRecent(10_000, source)
                .Count(e => (channel is null || e.Channel == channel) && (name is null || e.Name == name) && (building is null || e.Building == building) && At(e) >= window.StartWall);
            return count >= atLeast ? new Observation(true, $"{count} found") : new Observation(false, $"{count} found since the step");
        }));
    }

    private static IExpectationCheck BindRefused(ScenarioArguments a)
    {
        string? reason = a.OptionalOneOf("reason", RefusalReasons);
        long atLeast = a.OptionalInteger("atLeast", 1, 1_000_000) ?? 1;
        return new ExpectationCheck($"the edge refuses {atLeast} {(reason is null ? "" : reason + " ")}message{(atLeast == 1 ? "" : "s")}", (world, _) =>
        {
            long baseline = world.Refused(reason);
            return new Evaluator((w, _) =>
            {
                long refused = w.Refused(reason) - baseline;
                return new Observation(refused >= atLeast, $"{refused} refused{(reason is null ? "" : $" as {reason}")} since the step");
            });
        });
    }

    private static IExpectationCheck BindApi(ScenarioArguments a)
    {
        string path = a.Text("get");
        if (!path.StartsWith('/'))
        {
            throw a.Error("get", $"'{path}' must be a path on the edge's API, starting with '/', e.g. /health");
        }

        int status = (int)(a.OptionalInteger("status", 100, 599) ?? 200);
        string? contains = a.OptionalText("contains");
        string what = contains is null ? $"GET {path} answers {status}" : $"GET {path} answers {status} with '{contains}' in the body";
        return new ExpectationCheck(what, (_, _) => new ApiEvaluator(path, status, contains));
    }

    private static string Filter(string? source, string? channel, string? name) =>
        string.Join(" ", new[] { source is null ? null : $"from {source}", channel is null ? null : $"on {channel}", name is null ? null : $"named {name}" }.Where(p => p is not null));

    private sealed class ApiEvaluator(string path, int status, string? contains) : IExpectationEvaluator
    {
        public async ValueTask<Observation> CheckAsync(ScenarioWorld world, TimeSpan now, CancellationToken cancel)
        {
            (int answer, string body) = await world.CallApiAsync(HttpMethod.Get, path, null, cancel);
            if (answer == 0)
            {
                return new Observation(false, body);
            }

            bool found = contains is null || body.Contains(contains, StringComparison.Ordinal);
            string excerpt = body.Length <= 200 ? body : body[..197] + "...";
            return answer == status && found ? new Observation(true, $"HTTP {answer}") : new Observation(false, $"HTTP {answer}: {excerpt}");
        }
    }
}
