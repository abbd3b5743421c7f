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
using SmartCommunity.Edge.Parking;

/// <summary>
/// Car parks over HTTP (hardware-docs/parking.md, "API"), behind operator authentication: occupancy per car park and
/// level, counted corrections, visitor passes, reserved places and the entry decisions. Every change is audited with
/// the operator's name; every refusal is problem+json saying what to fix.
/// </summary>
public static class ParkingEndpoints
{
    private const string PassExample = """{"carPark":"garage","name":"J. Visitor","plate":"AB-123-C","validFrom":"2026-05-01T08:00:00Z","validTo":"2026-05-01T20:00:00Z"}""";
    private const string CountExample = """{"levels":{"p0":12,"p1":30}}""";

    private static readonly JsonSerializerOptions BodyOptions = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static IEndpointRouteBuilder MapParkingEndpoints(this IEndpointRouteBuilder app, ParkingControl parking)
    {
        app.MapGet("/parking", () => Results.Json(new { carParks = parking.Occupancy(), refused = parking.Refused }));

        app.MapGet("/parking/passes", () => Results.Json(parking.Passes.Select(ParkingControl.PassView)));

        app.MapPost("/parking/passes", async (HttpContext context) =>
        {
            PassBody? body;
            try
            {
                body = await context.Request.ReadFromJsonAsync<PassBody>(BodyOptions);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return Problems.BadRequest("The body is not a visitor pass", $"send JSON like {PassExample}; code is optional ({ex.Message})");
            }

            if (body is null)
            {
                return Problems.BadRequest("The body is not a visitor pass", $"send JSON like {PassExample}");
            }

            var problems = new List<string>();
            DateTimeOffset? from = ApiTime.Parse(body.ValidFrom, "validFrom", problems);
            DateTimeOffset? to = ApiTime.Parse(body.ValidTo, "validTo", problems);
            var input = new VisitorPassInput(body.Code, body.CarPark ?? "", body.Name, body.Plate, from, to);
            if (problems.Count == 0)
            {
                (VisitorPass? pass, IReadOnlyList<string> refused) = await parking.CreatePassAsync(input, OperatorAuthentication.OperatorName(context));
                if (pass is not null)
                {
                    return Results.Created($"/parking/passes/{pass.Code}", ParkingControl.PassView(pass));
                }

                problems.AddRange(refused);
            }

            return Problems.BadRequest("The visitor pass cannot be created", string.Join("; ", problems), new Dictionary<string, object?> { ["problems"] = problems });
        });

        app.MapGet("/parking/passes/{code}", (string code) =>
        {
            if (!Problems.TryCardNumber(code, "pass code", out string number, out IResult? problem))
            {
                return problem!;
            }

            return parking.FindPass(number) is { } pass ? Results.Json(ParkingControl.PassView(pass)) : UnknownPass(number);
        });

        app.MapDelete("/parking/passes/{code}", async (string code, HttpContext context) =>
        {
            if (!Problems.TryCardNumber(code, "pass code", out string number, out IResult? problem))
            {
                return problem!;
            }

            return await parking.RevokePassAsync(number, OperatorAuthentication.OperatorName(context)) is { } revoked
                ? Results.Json(ParkingControl.PassView(revoked))
                : UnknownPass(number);
        });

        app.MapGet("/parking/reservations", () => Results.Json(parking.Reservations));

        app.MapGet("/parking/decisions", (HttpRequest request) =>
        {
            if (!Problems.TryParseLimit(request.Query["limit"].FirstOrDefault(), 100, 10_000, out int limit, out IResult? problem))
            {
                return problem!;
            }

            string? barrier = request.Query["barrier"].FirstOrDefault();
            return Results.Json(parking.Decisions(limit, string.IsNullOrEmpty(barrier) ? null : barrier));
        });

        app.MapGet("/parking/{carPark}", (string carPark) =>
            parking.Occupancy(carPark) is { } occupancy ? Results.Json(occupancy) : UnknownCarPark(carPark));

        app.MapPost("/parking/{carPark}/count", async (string carPark, HttpContext context) =>
        {
            if (parking.Occupancy(carPark) is null)
            {
                return UnknownCarPark(carPark);
            }

            CountBody? body;
            try
            {
                body = await context.Request.ReadFromJsonAsync<CountBody>(BodyOptions);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return Problems.BadRequest("The body is not a count", $"send the vehicles counted per level as JSON like {CountExample} ({ex.Message})");
            }

            IReadOnlyList<string> problems = await parking.CorrectAsync(carPark, body?.Levels ?? [], OperatorAuthentication.OperatorName(context));
            return problems.Count > 0
                ? Problems.BadRequest("The count cannot be applied", string.Join("; ", problems), new Dictionary<string, object?> { ["problems"] = problems })
                : Results.Json(parking.Occupancy(carPark));
        });

        app.MapPut("/parking/{carPark}/reservations/{card}", async (string carPark, string card, HttpContext context) =>
        {
            if (!Problems.TryCardNumber(card, "card number", out string number, out IResult? problem))
            {
                return problem!;
            }

            string? refused = await parking.ReserveAsync(number, carPark, OperatorAuthentication.OperatorName(context));
            return refused is null
                ? Results.Json(parking.Reservations.Single(r => r.Card == number && r.CarPark == carPark))
                : parking.Occupancy(carPark) is null ? UnknownCarPark(carPark) : Problems.BadRequest("No place can be reserved", refused);
        });

        app.MapDelete("/parking/{carPark}/reservations/{card}", async (string carPark, string card, HttpContext context) =>
        {
            if (!Problems.TryCardNumber(card, "card number", out string number, out IResult? problem))
            {
                return problem!;
            }

            return await parking.ReleaseReservationAsync(number, carPark, OperatorAuthentication.OperatorName(context))
                ? Results.NoContent()
                : Problems.NotFound("no reserved place", $"card {number} has no reserved place in '{carPark}'; GET /parking/reservations lists them");
        });

        return app;
    }

    private static IResult UnknownPass(string code) => Problems.NotFound("unknown visitor pass", $"no pass {code}; GET /parking/passes lists them");

    private static IResult UnknownCarPark(string carPark) => Problems.NotFound("unknown car park", $"no car park '{carPark}' in the layout; GET /parking lists them");

    private sealed record PassBody(string? Code, string? CarPark, string? Name, string? Plate, string? ValidFrom, string? ValidTo);

    private sealed record CountBody(Dictionary<string, long>? Levels);
}
