namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmartCommunity.Edge.Access;
using SmartCommunity.Edge.Layout;

/// <summary>
/// Access control over HTTP (hardware-docs/access-control.md, "API"), behind operator authentication: cards, doors'
/// allow-lists and their sync, door groups, anti-passback resets and the audit trail. Every change is audited with
/// the operator's name; every refusal is problem+json saying what to fix.
/// </summary>
public static class AccessEndpoints
{
    private const string CardExample = """{"name":"A. Resident","unit":"flat 12","validFrom":"2026-01-01T00:00:00Z","validTo":"2026-12-31T23:59:59Z","doors":["b1-lobby-entrance"],"groups":["residents"]}""";

    private static readonly JsonSerializerOptions BodyOptions = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static IEndpointRouteBuilder MapAccessEndpoints(this IEndpointRouteBuilder app, AccessControl access, BuildingLayout layout)
    {
        app.MapGet("/access", () =>
        {
            IReadOnlyList<DoorAccessStatus> doors = access.DoorStatuses();
            return Results.Json(new
            {
                cards = access.Cards.Count,
                doors = doors.Count,
                doorsInStep = doors.Count(d => d.ReportedVersion == d.TargetVersion),
                syncing = doors.Count(d => d.Syncing is not null),
                listFull = doors.Where(d => d.ListFull == true).Select(d => d.Door),
                refused = access.Refused,
            });
        });

        app.MapGet("/access/cards", () => Results.Json(access.Cards.Select(CardView)));

        app.MapGet("/access/cards/{card}", (string card) =>
        {
            if (!Problems.TryCardNumber(card, "card number", out string number, out IResult? problem))
            {
                return problem!;
            }

            return access.FindCard(number) is { } found
                ? Results.Json(new { card = CardView(found), passback = access.Passback(number) })
                : UnknownCard(number);
        });

        app.MapPut("/access/cards/{card}", async (string card, HttpContext context) =>
        {
            if (!Problems.TryCardNumber(card, "card number", out string number, out IResult? problem))
            {
                return problem!;
            }

            CardBody? body;
            try
            {
                body = await context.Request.ReadFromJsonAsync<CardBody>(BodyOptions);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return Problems.BadRequest("The body is not a card", $"send JSON like {CardExample}; only name is required besides doors or groups ({ex.Message})");
            }

            if (body is null)
            {
                return Problems.BadRequest("The body is not a card", $"send JSON like {CardExample}");
            }

            var problems = new List<string>();
            DateTimeOffset? from = ApiTime.Parse(body.ValidFrom, "validFrom", problems);
            DateTimeOffset? to = ApiTime.Parse(body.ValidTo, "validTo", problems);
            var input = new AccessCardInput(body.Name ?? "", body.Unit, from, to, body.Doors ?? [], body.Groups ?? []);
            problems.AddRange(access.Validate(input));
            if (problems.Count > 0)
            {
                return Problems.BadRequest("The card cannot be saved", string.Join("; ", problems), new Dictionary<string, object?> { ["problems"] = problems });
            }

            CardSaveResult saved = await access.SaveCardAsync(number, input, OperatorAuthentication.OperatorName(context));
            if (saved.Card is null)
            {
                return Problems.BadRequest("The card cannot be saved", string.Join("; ", saved.Problems), new Dictionary<string, object?> { ["problems"] = saved.Problems });
            }

            return saved.Created
                ? Results.Created($"/access/cards/{number}", CardView(saved.Card))
                : Results.Json(CardView(saved.Card));
        });

        app.MapDelete("/access/cards/{card}", async (string card, HttpContext context) =>
        {
            if (!Problems.TryCardNumber(card, "card number", out string number, out IResult? problem))
            {
                return problem!;
            }

            return await access.DeleteCardAsync(number, OperatorAuthentication.OperatorName(context)) ? Results.NoContent() : UnknownCard(number);
        });

        app.MapDelete("/access/cards/{card}/passback", async (string card, HttpContext context) =>
        {
            if (!Problems.TryCardNumber(card, "card number", out string number, out IResult? problem))
            {
                return problem!;
            }

            int groups = await access.ResetPassbackAsync(number, OperatorAuthentication.OperatorName(context));
            return Results.Json(new { card = number, groupsReset = groups });
        });

        app.MapGet("/access/doors", () => Results.Json(access.DoorStatuses()));

        app.MapGet("/access/doors/{id}", (string id) =>
            access.DoorStatus(id) is { } status
                ? Results.Json(new { status, entries = access.CurrentList(id)!.Entries.Select(e => new { card = e.Card, from = e.From, to = e.To }) })
                : Problems.NotFound("unknown door", $"no door '{id}' in the layout; GET /access/doors lists them"));

        app.MapGet("/access/groups", () => Results.Json(layout.DoorGroups.Select(g => new
        {
            id = g.Id,
            antiPassback = DoorGroup.NameOf(g.AntiPassback),
            timedS = g.AntiPassback == AntiPassbackMode.Timed ? (long?)g.Timed.TotalSeconds : null,
            doors = layout.Devices.Where(d => d.Groups.Contains(g.Id)).Select(d => d.Id).OrderBy(d => d, StringComparer.Ordinal),
        })));

        app.MapGet("/access/events", (HttpRequest request) =>
        {
            if (!Problems.TryParseLimit(request.Query["limit"].FirstOrDefault(), 100, AccessOptions.MaxAuditLimit, out int limit, out IResult? problem))
            {
                return problem!;
            }

            var problems = new List<string>();
            string? card = request.Query["card"].FirstOrDefault();
            string? number = null;
            if (!string.IsNullOrEmpty(card) && !CardNumber.TryNormalize(card, out number!))
            {
                problems.Add($"card '{card}' must be the card number: 1-{CardNumber.MaxDigits} decimal digits");
            }

            DateTimeOffset? from = ApiTime.Parse(request.Query["from"].FirstOrDefault(), "from", problems);
            DateTimeOffset? to = ApiTime.Parse(request.Query["to"].FirstOrDefault(), "to", problems);
            if (from is { } f && to is { } t && f >= t)
            {
                problems.Add("from must be before to");
            }

            if (problems.Count > 0)
            {
                return Problems.BadRequest("Bad audit query", string.Join("; ", problems), new Dictionary<string, object?> { ["problems"] = problems });
            }

            string? door = request.Query["door"].FirstOrDefault();
            IReadOnlyList<AccessAuditEntry> entries = access.Audit(new AccessAuditQuery(string.IsNullOrEmpty(door) ? null : door, number, from, to, limit));
            return Results.Json(entries.Select(AuditView));
        });

        return app;
    }

    private static IResult UnknownCard(string number) => Problems.NotFound("unknown card", $"no card {number}; GET /access/cards lists them, PUT /access/cards/{number} adds it");

    private static object CardView(AccessCard card) => new
    {
        card = card.Number,
        name = card.Name,
        unit = card.Unit,
        validFrom = card.ValidFrom,
        validTo = card.ValidTo,
        doors = card.Doors,
        groups = card.Groups,
        updatedAt = card.UpdatedAt,
        updatedBy = card.UpdatedBy,
    };

    private static object AuditView(AccessAuditEntry entry)
    {
        using JsonDocument details = JsonDocument.Parse(entry.Details);
        return new
        {
            id = entry.Id,
            at = entry.At,
            approximate = entry.AtApproximate,
            loggedAt = entry.LoggedAt,
            door = entry.Door,
            card = entry.Card,
            @event = entry.Event,
            decision = entry.Decision,
            why = entry.Why,
            details = details.RootElement.Clone(),
        };
    }

    private sealed record CardBody(string? Name, string? Unit, string? ValidFrom, string? ValidTo, List<string>? Doors, List<string>? Groups);
}
