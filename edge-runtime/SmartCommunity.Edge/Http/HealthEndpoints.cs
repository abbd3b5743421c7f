namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// The open routes: /health/live (the process answers), /health/ready (it can do its job: <see cref="EdgeHealth"/>),
/// /health (the detailed summary for a person) and /metrics (Prometheus).
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app, EdgeApiServices s, EdgeHealth health, EdgeMetrics metrics, DateTimeOffset startedAt)
    {
        app.MapGet("/health/live", () => Results.Json(new { status = "live", startedAt }));

        app.MapGet("/health/ready", () =>
        {
            HealthReport report = health.Check();
            return report.Ready
                ? Results.Json(new { status = "ready", checks = report.Checks })
                : Problems.Unavailable("not ready", report.Problems, new Dictionary<string, object?> { ["checks"] = report.Checks });
        });

        app.MapGet("/health", async () =>
        {
            HealthReport report = health.Check();
            return Results.Json(new
            {
                status = report.Ready ? "ok" : health.Stopping ? "stopping" : s.Broker.IsStarted ? "degraded" : "starting",
                problems = report.Ready ? null : report.Problems,
                startedAt,
                mqtt = new { port = s.Broker.Port, clients = s.Broker.IsStarted ? await s.Broker.ConnectedClientsAsync() : 0 },
                eventLog = new { path = s.Log.Path, committed = s.Log.Committed, pending = s.Log.Pending, batches = s.Log.Batches, retention = s.Log.Status() },
                messages = new
                {
                    accepted = s.Counters.Accepted,
                    refused = s.Counters.Refused,
                    refusedByReason = s.Counters.RefusedByReason,
                    duplicates = s.Counters.Duplicates,
                    commitFailures = s.Counters.CommitFailures,
                },
                commands = new
                {
                    sent = s.Counters.CommandsSent,
                    retries = s.Counters.CommandRetries,
                    refused = s.Counters.CommandsRefused,
                    acks = s.Counters.Acks,
                    rejected = s.Counters.RejectedAcks,
                    pending = s.Commands.PendingCount,
                },
                fire = s.FireRule.Latches.Where(l => s.FireRule.AlarmStands(l.Building)).Select(l => l.Building).ToList(),
                relays = s.Relays?.Status().Select(r => new { r.Name, r.State, r.Lag, r.LastError }).ToList(),
                rules = s.Rules?.Status() is { } rules ? new { rules.File, rules.RuleCount, rules.RunningLastGood, lastLoadError = rules.LastLoadError?.Message } : null,
                openAlerts = s.Alerts?.OpenCount,
            });
        });

        app.MapGet("/metrics", async () => Results.Text(await metrics.RenderAsync(), PrometheusWriter.ContentType));
        return app;
    }
}
