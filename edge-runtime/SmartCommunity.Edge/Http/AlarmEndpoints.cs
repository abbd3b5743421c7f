namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmartCommunity.Edge.Alerts;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;

/// <summary>
/// What is alarming now and what an operator does about it. GET /alarms lists the standing fire alarms
/// ("fire-BUILDING", with the fire rule's own alerts of that building folded in) and the open alerts ("alert-N").
/// POST /alarms/{id}/ack says someone has seen one (a fire alarm keeps standing); POST /alarms/{id}/clear closes an
/// alert; a fire alarm ends only with POST /buildings/{building}/fire/reset, once the fire panel is reset and every
/// smoke detector and manual call point of the building is clear. An admin may force that reset past detectors
/// that are offline (body <c>{"force":true}</c>); never past one that is online, nor past a door's fire-panel input.
/// Every action is written to the event log with the operator's name, refused ones included.
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
                if (!IsFoldedIntoFire(s, alert))
                {
                    alarms.Add(AlertView(alert));
                }
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

            // The fire rule's alerts of the building are part of this alarm (GET /alarms shows them inside it).
            foreach (Alert alert in FireAlerts(s, building).Where(a => a.AcknowledgedAt is null))
            {
                await s.Alerts!.AcknowledgeAsync(alert.Id, who);
            }
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

            (bool force, IResult? bad) = await ReadResetAsync(http);
            if (bad is not null)
            {
                return bad;
            }

            if (force && !OperatorRoles.IsAdmin(http.User))
            {
                await AuditAsync(s, building, "fire-reset", who, new { result = "Forbidden", force });
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "admin role needed",
                    detail: $"only an operator with the admin role may force a fire reset past detectors that are offline; '{who}' has another role. " +
                    $"Reset without force once every detector and call point of '{building}' is clear, or ask an admin (sc-edge operator add NAME --role admin)",
                    extensions: new Dictionary<string, object?> { ["reason"] = "admin-required" });
            }

            FireResetOutcome outcome = await s.FireRule.ResetAsync(building, who, force);
            await AuditAsync(s, building, "fire-reset", who, new
            {
                result = outcome.Result.ToString(),
                force,
                overridden = outcome.Overridden.Select(d => d.Device).ToList(),
                devicesInAlarm = outcome.DevicesInAlarm.Select(d => d.Device).ToList(),
                doors = outcome.DoorsReportingFireInput,
            });
            return outcome.Result switch
            {
                FireResetResult.Reset => Results.Ok(new
                {
                    building,
                    fire = "clear",
                    by = who,
                    forced = outcome.Overridden.Count > 0,
                    overridden = outcome.Overridden.Select(d => d.Device).ToList(),
                }),
                FireResetResult.FireInputActive => Problems.Conflict(
                    "fire panel still signalling",
                    $"doors of building '{building}' still read the fire panel's input ({string.Join(", ", outcome.DoorsReportingFireInput)}); " +
                    "reset the fire alarm panel first, then reset here",
                    new Dictionary<string, object?>
                    {
                        ["reason"] = "fire-input-active",
                        ["doors"] = outcome.DoorsReportingFireInput,
                        ["devicesInAlarm"] = outcome.DevicesInAlarm.Select(DeviceView).ToList(),
                    }),
                FireResetResult.DevicesInAlarm => Problems.Conflict(
                    "devices still in alarm",
                    $"in building '{building}' these still report fire: {string.Join(", ", outcome.DevicesInAlarm.Select(Describe))}; " + WhatToDo(outcome, force),
                    new Dictionary<string, object?>
                    {
                        ["reason"] = "devices-in-alarm",
                        ["devices"] = outcome.DevicesInAlarm.Select(DeviceView).ToList(),
                    }),
                _ => Problems.Conflict(
                    "no fire alarm to reset",
                    $"building '{building}' has no latched fire alarm; GET /alarms shows what stands",
                    new Dictionary<string, object?> { ["reason"] = "not-latched" }),
            };
        });

        return app;
    }

    // The body is optional: none (or an empty one) is a plain reset; {"force": true} asks to go past offline devices.
    private static async Task<(bool Force, IResult? Problem)> ReadResetAsync(HttpContext http)
    {
        if (http.Request.ContentLength == 0)
        {
            return (false, null);
        }

        using var reader = new StreamReader(http.Request.Body);
        string text = await reader.ReadToEndAsync(http.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (false, null);
        }

        const string Example = "send no body for a reset, or {\"force\": true} (admins only) to go past detectors that are offline";
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            JsonElement body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                return (false, Problems.BadRequest("JSON object expected", Example));
            }

            bool force = false;
            foreach (JsonProperty property in body.EnumerateObject())
            {
                if (property.Name != "force")
                {
                    return (false, Problems.BadRequest("unknown field", $"'{property.Name}' is not a reset field; " + Example));
                }

                if (property.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return (false, Problems.BadRequest("bad force", $"'force' must be true or false, not {property.Value.GetRawText()}"));
                }

                force = property.Value.GetBoolean();
            }

            return (force, null);
        }
        catch (JsonException ex)
        {
            return (false, Problems.BadRequest("malformed JSON", $"the body is not valid JSON ({ex.Message}); " + Example));
        }
    }

    private static string Describe(FireDeviceAlarm device) =>
        $"{device.Device} ({device.Kind} {device.State}{(device.Test ? ", test" : "")}, {(device.Online ? "online" : "offline")})";

    private static object DeviceView(FireDeviceAlarm device) => new
    {
        device = device.Device,
        kind = device.Kind,
        state = device.State,
        test = device.Test,
        since = device.Since,
        online = device.Online,
    };

    private static string WhatToDo(FireResetOutcome outcome, bool force)
    {
        bool anyOffline = outcome.DevicesInAlarm.Any(d => !d.Online);
        return force
            ? "a forced reset goes past offline devices only, never past one that is online and still in alarm; clear it (or reset it at the device) first"
            : anyOffline
                ? "they must clear before the reset; an admin may force the reset past the offline ones with {\"force\": true}, which is audited"
                : "they must clear before the reset (clear the smoke, reset the call point), then reset here";
    }

    // The fire rule's alerts (suspected, pre-alarm, confirmed...) belong to the fire alarm while one stands there.
    private static bool IsFoldedIntoFire(EdgeApiServices s, Alert alert) =>
        alert.Rule.StartsWith(FireRule.AlertPrefix, StringComparison.Ordinal) && alert.Building is { } building && s.FireRule.AlarmStands(building);

    private static IEnumerable<Alert> FireAlerts(EdgeApiServices s, string building) =>
        (s.Alerts?.List() ?? []).Where(a => a.Building == building && a.Rule.StartsWith(FireRule.AlertPrefix, StringComparison.Ordinal));

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
            devicesInAlarm = s.FireRule.DevicesInAlarm(latch.Building).Select(DeviceView).ToList(),
            confirmation = FirePolicy.NameOf(s.FireRule.PolicyOf(latch.Building).Confirmation),
            alerts = FireAlerts(s, latch.Building).Select(AlertView).ToList(),
            acknowledged = ack is null ? null : new { by = ack.By, at = ack.At },
            clearedBy = $"reset the fire panel, then POST /buildings/{latch.Building}/fire/reset",
        };
    }

    private static Task AuditAsync(EdgeApiServices s, string building, string action, string who, object details) =>
        s.Log.AppendAsync(OperatorAudit.Record(s.Time.GetUtcNow(), s.Layout.Site, building, "edge", action, who, details));
}
