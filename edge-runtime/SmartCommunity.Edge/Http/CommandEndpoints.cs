namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Rules;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Protocol;

/// <summary>
/// An operator's command to one device, through the same safety gates as every other command, and its outcome:
/// POST /devices/{id}/commands answers 202 with the command's id and a Location, GET /commands/{id} then shows
/// whether the device carried it out (Done), refused it (Rejected), never answered (Expired) or the edge withdrew
/// it (Cancelled). GET /commands lists the newest.
/// </summary>
public static class CommandEndpoints
{
    /// <summary>The longest unlock a door accepts (hardware-docs/protocol.md §4.1, <c>unlock</c>).</summary>
    public const long MaxUnlockMs = 600_000;

    public const int MaxReasonLength = 200;

    private static readonly string[] Fields = ["cmd", "ms", "reason"];

    public static IEndpointRouteBuilder MapCommandEndpoints(this IEndpointRouteBuilder app, EdgeApiServices s)
    {
        app.MapPost("/devices/{id}/commands", async (string id, HttpContext http) =>
        {
            string who = OperatorAuthentication.OperatorName(http);
            if (!s.Layout.DevicesById.TryGetValue(id, out DeviceDefinition? device))
            {
                return Problems.UnknownDevice(id);
            }

            (CommandRequest? request, IResult? problem) = await ParseAsync(http, device, who);
            if (request is null)
            {
                return problem!;
            }

            CommandTicket ticket = await s.Commands.RequestAsync(request);
            await s.Log.AppendAsync(OperatorAudit.Record(s.Time.GetUtcNow(), device.Site, device.Building, device.Id, "command", who, new
            {
                cmd = CommandNames.NameOf(request.Kind),
                ms = request.DurationMs == 0 ? (long?)null : request.DurationMs,
                reason = request.Reason,
                id = ticket.Id,
                refused = ticket.RefusedBecause,
            }));

            if (!ticket.Accepted)
            {
                return Problems.Conflict("refused by a safety rule", ticket.RefusedBecause!,
                    new Dictionary<string, object?> { ["device"] = device.Id, ["cmd"] = CommandNames.NameOf(request.Kind) });
            }

            string location = "/commands/" + Uri.EscapeDataString(ticket.Id!);
            return Results.Accepted(location, new
            {
                id = ticket.Id,
                device = device.Id,
                cmd = CommandNames.NameOf(request.Kind),
                state = s.Commands.Find(ticket.Id!)?.State ?? CommandState.Pending,
                location,
                deviceOnline = s.Twins.Find(device.Id)?.Online ?? false,
            });
        });

        app.MapGet("/commands", (HttpRequest request) =>
        {
            if (!Problems.TryParseLimit(request.Query["limit"].FirstOrDefault(), 50, CommandPublisher.HistoryLimit, out int limit, out IResult? problem))
            {
                return problem!;
            }

            string? device = request.Query["device"].FirstOrDefault();
            if (!string.IsNullOrEmpty(device) && !s.Layout.DevicesById.ContainsKey(device))
            {
                return Problems.UnknownDevice(device);
            }

            return Results.Json(s.Commands.Recent(limit, string.IsNullOrEmpty(device) ? null : device));
        });

        app.MapGet("/commands/{id}", (string id) => s.Commands.Find(id) is { } record
            ? Results.Json(record)
            : Problems.NotFound("unknown command",
                $"no command '{id}' since the edge started (it keeps the last {CommandPublisher.HistoryLimit}); the event log has older ones: GET /events?source=DEVICE"));

        return app;
    }

    /// <summary>Reads and checks {"cmd":"unlock","ms":5000,"reason":"..."}; a problem says what is wrong with it.</summary>
    private static async Task<(CommandRequest? Request, IResult? Problem)> ParseAsync(HttpContext http, DeviceDefinition device, string who)
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, Problems.BadRequest("JSON expected", "send the command as JSON with 'Content-Type: application/json', e.g. {\"cmd\":\"unlock\",\"ms\":5000,\"reason\":\"delivery\"}"));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest("malformed JSON", $"the body is not valid JSON ({ex.Message}); e.g. {{\"cmd\":\"unlock\",\"ms\":5000,\"reason\":\"delivery\"}}"));
        }

        using (document)
        {
            JsonElement body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                return (null, Problems.BadRequest("JSON object expected", "the body must be an object like {\"cmd\":\"release\",\"reason\":\"...\"}"));
            }

            foreach (JsonProperty property in body.EnumerateObject())
            {
                if (!Fields.Contains(property.Name, StringComparer.Ordinal))
                {
                    return (null, Problems.BadRequest("unknown field", $"'{property.Name}' is not a command field; use {string.Join(", ", Fields)}"));
                }
            }

            if (!body.TryGetProperty("cmd", out JsonElement cmd) || cmd.ValueKind != JsonValueKind.String || !CommandSupport.ByName.TryGetValue(cmd.GetString()!, out CommandKind kind))
            {
                return (null, Problems.BadRequest("unknown command",
                    $"'cmd' must be one of {string.Join(", ", CommandSupport.ByName.Keys)} (hardware-docs/protocol.md §4.1)"));
            }

            string name = cmd.GetString()!;
            if (WhyNotSupported(device, kind) is { } notSupported)
            {
                return (null, Problems.BadRequest("command not supported by this device", notSupported));
            }

            long ms = 0;
            if (body.TryGetProperty("ms", out JsonElement msElement) && msElement.ValueKind != JsonValueKind.Null)
            {
                if (kind != CommandKind.Unlock)
                {
                    return (null, Problems.BadRequest("bad ms", $"'ms' applies only to unlock, not to {name}"));
                }

                if (msElement.ValueKind != JsonValueKind.Number || !msElement.TryGetInt64(out ms) || ms < 1 || ms > MaxUnlockMs)
                {
                    return (null, Problems.BadRequest("bad ms", $"'ms' must be a whole number of milliseconds from 1 to {MaxUnlockMs}, not {msElement.GetRawText()}"));
                }
            }

            string reason = $"requested by {who}";
            if (body.TryGetProperty("reason", out JsonElement reasonElement) && reasonElement.ValueKind != JsonValueKind.Null)
            {
                if (reasonElement.ValueKind != JsonValueKind.String || reasonElement.GetString()!.Length > MaxReasonLength)
                {
                    return (null, Problems.BadRequest("bad reason", $"'reason' must be text of at most {MaxReasonLength} characters"));
                }

                reason = reasonElement.GetString()!;
            }

            return (new CommandRequest(device, kind, reason, CommandOrigin.Operator, who, ms), null);
        }
    }

    // The same table the rules are checked against (hardware-docs/protocol.md §4.1), in an operator's words.
    private static string? WhyNotSupported(DeviceDefinition device, CommandKind kind)
    {
        if (device.Kind == DeviceKinds.Door && kind == CommandKind.Unlock && device.Role == DeviceKinds.RoleHoldOpen)
        {
            return $"unlock is for locks (egress-lock, entry-lock); {device.Id} is a {device.Role} door (use release and reset)";
        }

        return CommandSupport.WhyNot(device, kind);
    }
}
