namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;

/// <summary>
/// What is alarming now and what an operator does about it. GET /alarms lists the standing fire alarms
/// ("fire-BUILDING") and the open alerts raised by rules ("alert-N"). POST /alarms/{id}/ack says someone has seen
/// one (a fire alarm keeps standing); POST /alarms/{id}/clear closes an alert; a fire alarm ends only with
/// POST /buildings/{building}/fire/reset, once the fire panel is reset. Every action is written to the event log
/// with the operator's name, refused ones included.
/// </summary>
public static class AlarmEndpoints
{
    public const string FireAlarmPrefix = "fire-";

    public const string AlertPrefix = "alert-";

    public static IEndpointRouteBuilder MapAlarmEndpoints(this IEndpointRouteBuilder app, EdgeApiServices s)
    {
        app.MapGet("/alarms", async () =>
        {
            var alarms = new List<object>();
            foreach (FireLatchRecord latch in s.FireRule.Latches.OrderBy(l => l.Building, StringComparer.Ordinal))
            {
                if (s.FireRule.AlarmStands(latch.Building))
                {
                    alarms.Add(await FireAlarmAsync(s, latch));
                }
            }

            foreach (Alert alert in s.Alerts?.List() ?? [])
            {
                alarms.Add(AlertView(alert));
            }

            return Results.Json(alarms);
        });

        app.MapPost("/alarms/{id}/ack", async (string id, HttpContext http) =>
        {
            string who = OperatorAuthentication.OperatorName(http);
            if (AlertId(s, id) is { } alertId)
            {
                AlertChange change = await s.Alerts!.AcknowledgeAsync(alertId, who);
                await AuditAlertAsync(s, change, "alarm-ack", who, id);
                return change.Result switch
                {
                    AlertChangeResult.NotFound => UnknownAlarm(id),
                    AlertChangeResult.AlreadyCleared => Problems.Conflict("alert cleared", $"{id} was cleared by {change.Alert!.ClearedBy}; there is nothing to acknowledge"),
                    _ => Results.Json(new
                    {
                        id,
                        acknowledgedBy = change.Alert!.AcknowledgedBy,
                        acknowledgedAt = change.Alert.AcknowledgedAt,
                        alreadyAcknowledged = change.Result == AlertChangeResult.AlreadyAcknowledged,
                        note = $"the alert stays open until cleared: POST /alarms/{id}/clear",
                    }),
                };
            }

            if (!id.StartsWith(FireAlarmPrefix, StringComparison.Ordinal) || s.Layout.Buildings.All(b => b.Id != id[FireAlarmPrefix.Length..]))
            {
                return UnknownAlarm(id);
            }

            string building = id[FireAlarmPrefix.Length..];
            FireLatchRecord latch = s.FireRule.Latches.Single(l => l.Building == building);
            if (!s.FireRule.AlarmStands(building))
            {
                await AuditAsync(s, building, "alarm-ack", who, new { alarm = id, result = "not-standing" });
                return Problems.Conflict("no alarm standing", $"building '{building}' has no fire alarm standing; there is nothing to acknowledge");
            }

            (AlarmAcknowledgement ack, bool repeated) = await s.Operators.AcknowledgeAsync(id, AckKey(latch), who);
            await AuditAsync(s, building, "alarm-ack", who, new { alarm = id, result = repeated ? "already-acknowledged" : "acknowledged", firstBy = ack.By });
            return Results.Json(new
            {
                id,
                acknowledgedBy = ack.By,
                acknowledgedAt = ack.At,
                alreadyAcknowledged = repeated,
                note = "the alarm keeps standing until the fire panel is reset and POST /buildings/" + building + "/fire/reset",
            });
        });

        app.MapPost("/alarms/{id}/clear", async (string id, HttpContext http) =>
        {
            string who = OperatorAuthentication.OperatorName(http);
            if (id.StartsWith(FireAlarmPrefix, StringComparison.Ordinal))
            {
                return Problems.Conflict("a fire alarm is not cleared here",
                    $"reset the fire panel, then POST /buildings/{id[FireAlarmPrefix.Length..]}/fire/reset; that releases the latch and returns the doors to normal");
            }

            if (AlertId(s, id) is not { } alertId)
            {
                return UnknownAlarm(id);
            }

            AlertChange change = await s.Alerts!.ClearAsync(alertId, who);
            await AuditAlertAsync(s, change, "alarm-clear", who, id);
            return change.Result switch
            {
                AlertChangeResult.NotFound => UnknownAlarm(id),
                AlertChangeResult.AlreadyCleared => Problems.Conflict("alert already cleared", $"{id} was cleared by {change.Alert!.ClearedBy} at {change.Alert.ClearedAt:O}"),
                _ => Results.Json(AlertView(change.Alert!)),
            };
        });

        app.MapPost("/buildings/{building}/fire/reset", async (string building, HttpContext http) =>
        {
            string who = OperatorAuthentication.OperatorName(http);
            if (s.Layout.Buildings.All(b => b.Id != building))
            {
                return Problems.UnknownBuilding(building);
            }

            FireResetResult result = await s.FireRule.ResetAsync(building, who);
            await AuditAsync(s, building, "fire-reset", who, new { result = result.ToString() });
            return result switch
            {
                FireResetResult.Reset => Results.Ok(new { building, fire = "clear", by = who }),
                FireResetResult.FireInputActive => Problems.Conflict(
                    "fire panel still signalling",
                    $"doors of building '{building}' still read the fire panel's input ({string.Join(", ", s.FireRule.DoorsReportingFireInput(building))}); " +
                    "reset the fire alarm panel first, then reset here",
                    new Dictionary<string, object?> { ["reason"] = "fire-input-active", ["doors"] = s.FireRule.DoorsReportingFireInput(building) }),
                _ => Problems.Conflict(
                    "no fire alarm to reset",
                    $"building '{building}' has no latched fire alarm; GET /alarms shows what stands",
                    new Dictionary<string, object?> { ["reason"] = "not-latched" }),
            };
        });

        return app;
    }

    private static IResult UnknownAlarm(string id) =>
        Problems.NotFound("unknown alarm", $"no alarm '{id}'; GET /alarms lists the ones standing ('fire-BUILDING' for fire, 'alert-N' for rule alerts)");

    private static long? AlertId(EdgeApiServices s, string id) =>
        s.Alerts is not null && id.StartsWith(AlertPrefix, StringComparison.Ordinal)
        && long.TryParse(id.AsSpan(AlertPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long alertId)
            ? alertId
            : null;

    private static object AlertView(Alert alert) => new
    {
        id = AlertPrefix + alert.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        kind = "alert",
        rule = alert.Rule,
        severity = alert.Severity.ToString().ToLowerInvariant(),
        text = alert.Text,
        device = alert.Device,
        building = alert.Building,
        raisedAt = alert.RaisedAt,
        lastRaisedAt = alert.LastRaisedAt,
        repeats = alert.Repeats,
        state = alert.State.ToString().ToLowerInvariant(),
        acknowledged = alert.AcknowledgedAt is null ? null : new { by = alert.AcknowledgedBy, at = alert.AcknowledgedAt },
        cleared = alert.ClearedAt is null ? null : new { by = alert.ClearedBy, at = alert.ClearedAt },
    };

    private static Task AuditAlertAsync(EdgeApiServices s, AlertChange change, string action, string who, string id) =>
        s.Log.AppendAsync(OperatorAudit.Record(s.Time.GetUtcNow(), s.Layout.Site, change.Alert?.Building ?? "", change.Alert?.Device ?? "edge", action, who,
            new { alarm = id, result = change.Result.ToString() }));

    // An acknowledgement belongs to one alarm: a latch is identified by when it was set. An alarm standing only on
    // doors' fire inputs (the panel signalling, no latch at the edge) has no such time; it shares one key.
    private static DateTimeOffset AckKey(FireLatchRecord latch) => latch.Latched ? latch.Since : DateTimeOffset.UnixEpoch;

    private static async Task<object> FireAlarmAsync(EdgeApiServices s, FireLatchRecord latch)
    {
        string id = FireAlarmPrefix + latch.Building;
        AlarmAcknowledgement? ack = await s.Operators.FindAcknowledgementAsync(id, AckKey(latch));
        return new
        {
            id,
            kind = "fire",
            building = latch.Building,
            latched = latch.Latched,
            since = latch.Latched ? latch.Since : (DateTimeOffset?)null,
            by = latch.Latched ? latch.By : null,
            doorsReportingFireInput = s.FireRule.DoorsReportingFireInput(latch.Building),
            acknowledged = ack is null ? null : new { by = ack.By, at = ack.At },
            clearedBy = $"reset the fire panel, then POST /buildings/{latch.Building}/fire/reset",
        };
    }

    private static Task AuditAsync(EdgeApiServices s, string building, string action, string who, object details) =>
        s.Log.AppendAsync(OperatorAudit.Record(s.Time.GetUtcNow(), s.Layout.Site, building, "edge", action, who, details));
}
