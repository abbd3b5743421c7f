namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmartCommunity.Edge.Calls;
using SmartCommunity.Edge.Operators;

/// <summary>
/// Emergency and welfare calls for people (hardware-docs/emergency-calls.md, "API"). GET /calls lists the open
/// ones with their stage and times; GET /calls/{device}/{call} shows one, open or not. POST /calls/{device}/{call}/ack
/// acknowledges a call by its id: with an operator's token (that operator, via "operator"), or, as the webhook
/// callback of a backend the call was dispatched to, with the call's own token instead (via "webhook"). The callback
/// is handled ahead of <see cref="OperatorAuthentication"/> by <see cref="CallbackAsync"/>; a wrong call token is
/// refused with 403 and counted like any refused token.
/// </summary>
public static class CallEndpoints
{
    /// <summary>The header a callback may carry the call's token in (or "Authorization: Bearer scc_…", or the body's "token").</summary>
    public const string CallTokenHeader = "X-Call-Token";

    private const int MaxCallbackBody = 4096;
    private const int MaxByLength = 100;

    public static IEndpointRouteBuilder MapCallEndpoints(this IEndpointRouteBuilder app, EdgeApiServices s, CallDesk calls)
    {
        app.MapGet("/calls", () => Results.Json(new
        {
            open = calls.Active.OrderByDescending(c => c.Id).Select(c => View(calls, c)).ToList(),
            refused = calls.Refused,
        }));

        app.MapGet("/calls/{device}/{call}", (string device, string call) =>
            calls.Find(device, call) is { } found ? Results.Json(View(calls, found)) : UnknownCall(device, call));

        app.MapPost("/calls/{device}/{call}/ack", async (string device, string call, HttpContext http) =>
        {
            string who = OperatorAuthentication.OperatorName(http);
            CallAckResult result = await calls.AcknowledgeAsync(device, call, who, CallDesk.ViaOperator);
            await s.Log.AppendAsync(OperatorAudit.Record(s.Time.GetUtcNow(), s.Layout.Site, result.Call?.Building ?? "", result.Call?.Device ?? "edge", "call-ack", who,
                new { device, call, result = result.Outcome.ToString() }));
            return Answer(result, device, call);
        });

        return app;
    }

    /// <summary>
    /// Middleware ahead of the operator check: a POST to a call's ack route that carries no operator token is the
    /// webhook callback, authenticated by the call's own token. Everything else passes on.
    /// </summary>
    public static async Task CallbackAsync(HttpContext context, RequestDelegate next, CallDesk calls, ApiCounters counters)
    {
        string authorization = context.Request.Headers.Authorization.ToString();
        string? bearer = authorization.StartsWith(OperatorAuthentication.AuthenticationType + " ", StringComparison.OrdinalIgnoreCase)
            ? authorization[(OperatorAuthentication.AuthenticationType.Length + 1)..].Trim()
            : null;
        bool callToken = bearer?.StartsWith(CallToken.Prefix, StringComparison.Ordinal) == true;
        if (!HttpMethods.IsPost(context.Request.Method) || !TryMatchAckRoute(context.Request.Path, out string device, out string call)
            || (authorization.Length > 0 && !callToken))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        string? token = context.Request.Headers[CallTokenHeader].FirstOrDefault() ?? (callToken ? bearer : null);
        string? by = null;
        if (await ReadBodyAsync(context.Request).ConfigureAwait(false) is not { ValueKind: JsonValueKind.Object or JsonValueKind.Undefined } body)
        {
            await Problems.BadRequest("bad callback body",
                $"the body is optional; when sent it is a JSON object of at most {MaxCallbackBody} bytes, e.g. {{\"token\":\"scc_…\",\"by\":\"J. Smith, Riverside Care\"}}")
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (body.ValueKind == JsonValueKind.Object)
        {
            token ??= body.TryGetProperty("token", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            by = body.TryGetProperty("by", out JsonElement b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
            if (by is { Length: > MaxByLength })
            {
                await Problems.BadRequest("bad callback body", $"\"by\" names who acknowledges, in at most {MaxByLength} characters")
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
        }

        CallAckResult result = await calls.AcknowledgeAsync(device, call, string.IsNullOrWhiteSpace(by) ? "backend (webhook callback)" : by, CallDesk.ViaWebhook, token, tokenRequired: true)
            .ConfigureAwait(false);
        switch (result.Outcome)
        {
            case CallAckOutcome.TokenMissing:
                counters.CountUnauthorized("call-token-missing");
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"sc-edge\"";
                await Problems.Unauthorized("authentication required",
                    $"acknowledge with an operator's token, or as the backend the call was dispatched to, with the call's token from the call-dispatched record (header {CallTokenHeader}, \"Authorization: Bearer scc_…\" or the body's \"token\")")
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            case CallAckOutcome.TokenWrong:
                counters.CountUnauthorized("call-token-wrong");
                await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "wrong call token",
                    detail: $"this is not the token of call {call} of {device}; use the token of that call's call-dispatched or call-escalated record")
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            default:
                await Answer(result, device, call).ExecuteAsync(context).ConfigureAwait(false);
                return;
        }
    }

    private static IResult Answer(CallAckResult result, string device, string call) => result.Outcome switch
    {
        CallAckOutcome.Acknowledged or CallAckOutcome.AlreadyAcknowledged => Results.Json(new
        {
            device,
            call,
            acknowledgedBy = result.Call!.AcknowledgedBy,
            via = result.Call.AcknowledgedVia,
            acknowledgedAt = result.Call.AcknowledgedAt,
            alreadyAcknowledged = result.Outcome == CallAckOutcome.AlreadyAcknowledged,
        }),
        CallAckOutcome.AlreadyClosed => Problems.Conflict("call closed",
            $"call {call} of {device} ended at the call point ({result.Call!.ClosedReason}) at {result.Call.ClosedAt:O} before anyone acknowledged it; there is nothing to acknowledge",
            new Dictionary<string, object?> { ["reason"] = result.Call.ClosedReason }),
        CallAckOutcome.Unavailable => Problems.Unavailable("edge stopping", "the edge is shutting down; acknowledge again in a moment"),
        _ => UnknownCall(device, call),
    };

    private static IResult UnknownCall(string device, string call) =>
        Problems.NotFound("unknown call", $"call point '{device}' has no call '{call}'; GET /calls lists the open calls");

    private static object View(CallDesk calls, EmergencyCall c)
    {
        CallProgress? progress = calls.Progress(c);
        return new
        {
            device = c.Device,
            call = c.CallId,
            kind = EmergencyCall.NameOf(c.Kind),
            unit = c.Unit,
            building = c.Building,
            state = EmergencyCall.NameOf(c.State),
            stage = c.Stage,
            openedAt = c.OpenedAt,
            escalationFrom = c.EscalationFrom,
            idleMs = c.IdleMs,
            elapsedS = progress is null ? (long?)null : (long)progress.Elapsed.TotalSeconds,
            next = progress?.Next is { } next ? new { stage = CallStep.NameOf(next.Stage), relay = next.Relay, at = progress.NextAt } : null,
            steps = c.Steps.Select(step => new { stage = CallStep.NameOf(step.Stage), relay = step.Relay, at = step.At }).ToList(),
            alert = c.AlertId is { } id ? AlarmEndpoints.AlertPrefix + id.ToString(CultureInfo.InvariantCulture) : null,
            acknowledged = c.AcknowledgedAt is null ? null : new { by = c.AcknowledgedBy, via = c.AcknowledgedVia, at = c.AcknowledgedAt },
            closed = c.ClosedAt is null ? null : new { reason = c.ClosedReason, at = c.ClosedAt },
            ack = CallDesk.CallbackPath(c),
        };
    }

    // /calls/{device}/{call}/ack, with the same segments the mapped route takes.
    private static bool TryMatchAckRoute(PathString path, out string device, out string call)
    {
        device = call = "";
        string[] parts = (path.Value ?? "").Trim('/').Split('/');
        if (parts.Length != 4 || parts[0] != "calls" || parts[3] != "ack" || parts[1].Length == 0 || parts[2].Length == 0)
        {
            return false;
        }

        device = parts[1];
        call = parts[2];
        return true;
    }

    /// <summary>The body as JSON: Undefined when empty; null when it is too long or not JSON.</summary>
    private static async Task<JsonElement?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is > MaxCallbackBody)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxCallbackBody)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return default(JsonElement);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(buffer.ToArray());
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
