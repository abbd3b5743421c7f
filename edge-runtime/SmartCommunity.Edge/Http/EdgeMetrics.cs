namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Storage;

/// <summary>
/// GET /metrics: everything the edge counts, read at scrape time and written in Prometheus text format. Names start
/// with <c>sc_edge_</c>; counters end in <c>_total</c> and restart from zero with the process (Prometheus' rate()
/// handles that). The list is in edge-runtime/README.md, "Metrics".
/// </summary>
public sealed class EdgeMetrics(EdgeApiServices services, EdgeHealth health, CommandMetrics commands, ApiCounters api, DateTimeOffset startedAt)
{
    public async Task<string> RenderAsync()
    {
        var w = new PrometheusWriter();
        EdgeCounters counters = services.Counters;

        w.Gauge("sc_edge_ready", "1 while the edge is ready (GET /health/ready), else 0.");
        w.Sample("sc_edge_ready", health.Check().Ready ? 1 : 0);
        w.Gauge("sc_edge_start_time_seconds", "When the edge started, in Unix seconds.");
        w.Sample("sc_edge_start_time_seconds", startedAt.ToUnixTimeMilliseconds() / 1000.0);

        // Messages from devices.
        w.Counter("sc_edge_messages_accepted_total", "Device messages accepted and committed to the event log.");
        w.Sample("sc_edge_messages_accepted_total", counters.Accepted);
        w.Counter("sc_edge_messages_refused_total", "Device messages refused, by reason.");
        foreach ((string reason, long count) in counters.RefusedByReason.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            w.Sample("sc_edge_messages_refused_total", count, ("reason", reason));
        }

        w.Counter("sc_edge_messages_duplicate_total", "Device messages received again (QoS 1 redelivery); acknowledged, not recorded twice.");
        w.Sample("sc_edge_messages_duplicate_total", counters.Duplicates);
        w.Counter("sc_edge_message_gaps_total", "Device messages missing from the sequence numbers, over all devices.");
        w.Sample("sc_edge_message_gaps_total", services.Twins.All.Sum(t => t.Snapshot().Gaps));
        w.Counter("sc_edge_commit_failures_total", "Device messages that could not be committed (not acknowledged; the device sends them again).");
        w.Sample("sc_edge_commit_failures_total", counters.CommitFailures);

        // Devices and connections.
        int online = services.Twins.All.Count(t => t.Snapshot().Online);
        w.Gauge("sc_edge_devices", "Devices of the layout, by whether the edge sees them online.");
        w.Sample("sc_edge_devices", online, ("state", "online"));
        w.Sample("sc_edge_devices", services.Layout.Devices.Count - online, ("state", "offline"));
        w.Gauge("sc_edge_mqtt_clients", "Clients connected to the embedded MQTT server.");
        w.Sample("sc_edge_mqtt_clients", services.Broker.IsStarted ? await services.Broker.ConnectedClientsAsync().ConfigureAwait(false) : 0);

        WriteCommands(w, counters);
        WriteFire(w);
        WriteEventLog(w);
        WriteRelays(w);

        WriteRules(w);

        w.Counter("sc_edge_http_unauthorized_total", "API requests refused for a missing, malformed, unknown or revoked token.");
        foreach ((string reason, long count) in api.UnauthorizedByReason.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            w.Sample("sc_edge_http_unauthorized_total", count, ("reason", reason));
        }

        WriteProcess(w);
        return w.ToString();
    }

    private void WriteCommands(PrometheusWriter w, EdgeCounters counters)
    {
        w.Counter("sc_edge_commands_sent_total", "Commands published to devices (first attempts).");
        w.Sample("sc_edge_commands_sent_total", counters.CommandsSent);
        w.Counter("sc_edge_command_retries_total", "Commands sent again, same id, for lack of an ack.");
        w.Sample("sc_edge_command_retries_total", counters.CommandRetries);
        w.Counter("sc_edge_commands_refused_total", "Commands a safety gate refused before sending (e.g. lock during a fire alarm).");
        w.Sample("sc_edge_commands_refused_total", counters.CommandsRefused);
        w.Counter("sc_edge_command_acks_total", "Acks received from devices, by result.");
        w.Sample("sc_edge_command_acks_total", counters.Acks - counters.RejectedAcks, ("result", "done"));
        w.Sample("sc_edge_command_acks_total", counters.RejectedAcks, ("result", "rejected"));
        w.Counter("sc_edge_commands_settled_total", "Commands that reached their end, by state.");
        IReadOnlyDictionary<CommandState, long> settled = commands.SettledByState;
        foreach (CommandState state in new[] { CommandState.Done, CommandState.Rejected, CommandState.Expired, CommandState.Cancelled })
        {
            w.Sample("sc_edge_commands_settled_total", settled.GetValueOrDefault(state), ("state", state.ToString().ToLowerInvariant()));
        }

        w.Gauge("sc_edge_commands_pending", "Commands sent and not yet acknowledged, expired or cancelled.");
        w.Sample("sc_edge_commands_pending", services.Commands.PendingCount);

        w.Histogram("sc_edge_command_latency_seconds", "From a command's first send to its ack (done or rejected), by command.");
        foreach ((string command, LatencyHistogram histogram) in commands.LatencyByCommand.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            (long[] cumulative, double sum) = histogram.Snapshot();
            w.HistogramSamples("sc_edge_command_latency_seconds", histogram.UpperBounds, cumulative, sum, ("command", command));
        }
    }

    private void WriteFire(PrometheusWriter w)
    {
        IReadOnlyList<FireLatchRecord> latches = services.FireRule.Latches;
        w.Gauge("sc_edge_fire_latched", "1 while the building's fire latch is set (until an operator resets it).");
        foreach (FireLatchRecord latch in latches)
        {
            w.Sample("sc_edge_fire_latched", latch.Latched ? 1 : 0, ("building", latch.Building));
        }

        w.Gauge("sc_edge_fire_alarm_standing", "1 while a fire alarm stands in the building: latched, or a door reads its fire input.");
        foreach (FireLatchRecord latch in latches)
        {
            w.Sample("sc_edge_fire_alarm_standing", services.FireRule.AlarmStands(latch.Building) ? 1 : 0, ("building", latch.Building));
        }

        w.Gauge("sc_edge_doors_fire_input_active", "Doors of the building reporting their hard-wired fire input active.");
        foreach (FireLatchRecord latch in latches)
        {
            w.Sample("sc_edge_doors_fire_input_active", services.FireRule.DoorsReportingFireInput(latch.Building).Count, ("building", latch.Building));
        }
    }

    private void WriteEventLog(PrometheusWriter w)
    {
        EventLog log = services.Log;
        w.Counter("sc_edge_event_log_committed_total", "Event-log records committed.");
        w.Sample("sc_edge_event_log_committed_total", log.Committed);
        w.Gauge("sc_edge_event_log_pending", "Event-log writes waiting for their commit.");
        w.Sample("sc_edge_event_log_pending", log.Pending);
        w.Counter("sc_edge_event_log_batches_total", "Event-log group commits (transactions).");
        w.Sample("sc_edge_event_log_batches_total", log.Batches);

        EventLogStatus status = log.Status();
        w.Gauge("sc_edge_event_log_size_bytes", "What the event-log database and its write-ahead log occupy on disk.");
        w.Sample("sc_edge_event_log_size_bytes", status.SizeBytes);
        w.Gauge("sc_edge_event_log_budget_bytes", "The event log's disk budget.");
        w.Sample("sc_edge_event_log_budget_bytes", status.MaxBytes);
        w.Gauge("sc_edge_event_log_over_budget", "1 while the event log is over its disk budget even after retention.");
        w.Sample("sc_edge_event_log_over_budget", status.OverBudget ? 1 : 0);
        w.Counter("sc_edge_event_log_compacted_rows_total", "Telemetry rows whose payload retention dropped to stay within budget.");
        w.Sample("sc_edge_event_log_compacted_rows_total", status.CompactedRows);
        w.Counter("sc_edge_event_log_pruned_rows_total", "Rows retention removed (by age or size).");
        w.Sample("sc_edge_event_log_pruned_rows_total", status.PrunedRows);
        w.Counter("sc_edge_event_log_retention_runs_total", "Retention passes run.");
        w.Sample("sc_edge_event_log_retention_runs_total", status.RetentionRuns);
        w.Counter("sc_edge_event_log_retention_failures_total", "Retention passes that failed.");
        w.Sample("sc_edge_event_log_retention_failures_total", status.RetentionFailures);
    }

    private void WriteRelays(PrometheusWriter w)
    {
        IReadOnlyList<RelayStatus> relays = services.Relays?.Status() ?? [];
        w.Gauge("sc_edge_relay_state", "1 for the state each relay is in (starting, connected, backing-off, stopped).");
        foreach (RelayStatus relay in relays)
        {
            foreach (RelayState state in Enum.GetValues<RelayState>())
            {
                w.Sample("sc_edge_relay_state", relay.State == state ? 1 : 0, ("relay", relay.Name), ("state", RelayStateName(state)));
            }
        }

        w.Gauge("sc_edge_relay_lag", "Event-log rows a relay has still to send, by lane.");
        foreach (RelayStatus relay in relays)
        {
            w.Sample("sc_edge_relay_lag", relay.Priority.Lag, ("relay", relay.Name), ("lane", "priority"));
            w.Sample("sc_edge_relay_lag", relay.Bulk.Lag, ("relay", relay.Name), ("lane", "bulk"));
        }

        w.Counter("sc_edge_relay_delivered_total", "Messages a relay delivered.");
        foreach (RelayStatus relay in relays)
        {
            w.Sample("sc_edge_relay_delivered_total", relay.Delivered, ("relay", relay.Name));
        }

        w.Counter("sc_edge_relay_failed_attempts_total", "Delivery attempts that failed.");
        foreach (RelayStatus relay in relays)
        {
            w.Sample("sc_edge_relay_failed_attempts_total", relay.FailedAttempts, ("relay", relay.Name));
        }

        w.Gauge("sc_edge_relay_dead_letters", "Messages set aside because the backend kept refusing them.");
        foreach (RelayStatus relay in relays)
        {
            w.Sample("sc_edge_relay_dead_letters", relay.DeadLettered, ("relay", relay.Name));
        }
    }

    private void WriteRules(PrometheusWriter w)
    {
        RuleEngineStatus? rules = services.Rules?.Status();
        w.Gauge("sc_edge_rules_loaded", "Rules running from the rules file (the built-in fire rule is not counted).");
        w.Sample("sc_edge_rules_loaded", rules?.RuleCount ?? 0);
        w.Gauge("sc_edge_rules_load_error", "1 while the rules file on disk did not load (the last good rules keep running).");
        bool lastLoadFailed = rules is { RunningLastGood: true } || (rules?.LastLoadError is { } error && (rules.LoadedAt is null || error.At > rules.LoadedAt));
        w.Sample("sc_edge_rules_load_error", lastLoadFailed ? 1 : 0);
        w.Counter("sc_edge_rule_firings_total", "Times each rule fired.");
        foreach (RuleStatus rule in rules?.Rules ?? [])
        {
            w.Sample("sc_edge_rule_firings_total", rule.Firings, ("rule", rule.Name));
        }

        w.Counter("sc_edge_rule_commands_refused_total", "Commands of each rule that a safety gate refused.");
        foreach (RuleStatus rule in rules?.Rules ?? [])
        {
            w.Sample("sc_edge_rule_commands_refused_total", rule.CommandsRefused, ("rule", rule.Name));
        }

        w.Gauge("sc_edge_rule_timers_pending", "Rule timers (held-for, absence, counting windows) waiting.");
        w.Sample("sc_edge_rule_timers_pending", rules?.PendingTimers ?? 0);

        IReadOnlyList<Alert> open = services.Alerts?.List() ?? [];
        w.Gauge("sc_edge_alerts_open", "Alerts raised and not cleared, by state.");
        w.Sample("sc_edge_alerts_open", open.Count(a => a.State == AlertState.Raised), ("state", "raised"));
        w.Sample("sc_edge_alerts_open", open.Count(a => a.State == AlertState.Acknowledged), ("state", "acknowledged"));
    }

    private static void WriteProcess(PrometheusWriter w)
    {
        // Environment.WorkingSet is the resident set size on Linux (/proc/self/statm).
        w.Gauge("process_resident_memory_bytes", "Resident memory of the sc-edge process.");
        w.Sample("process_resident_memory_bytes", Environment.WorkingSet);
        w.Gauge("dotnet_gc_heap_size_bytes", "Managed heap size after the last garbage collection.");
        w.Sample("dotnet_gc_heap_size_bytes", GC.GetGCMemoryInfo().HeapSizeBytes);
        w.Counter("dotnet_gc_collections_total", "Garbage collections, by generation.");
        for (int generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            w.Sample("dotnet_gc_collections_total", GC.CollectionCount(generation), ("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private static string RelayStateName(RelayState state) => state switch
    {
        RelayState.Starting => "starting",
        RelayState.Connected => "connected",
        RelayState.BackingOff => "backing-off",
        _ => "stopped",
    };
}
