namespace SmartCommunity.Edge.Metering;

using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SmartCommunity.Edge.Http;
using SmartCommunity.Edge.Operators;
using SmartCommunity.Edge.Storage;

/// <summary>
/// Meters and consumption over the operator API (hardware-docs/metering.md, "API"). Reading needs any operator's
/// token; POST /meters/{id}/replacement records a meter change in the operator's name and audits it in the event log.
/// </summary>
public static class MeteringEndpoints
{
    private const int MaxReadings = 10_000;
    private const int MaxNoteLength = 200;

    public static IEndpointRouteBuilder MapMeteringEndpoints(this IEndpointRouteBuilder app, MeterBook meters, EventLog log, string site, TimeProvider time)
    {
        app.MapGet("/meters", () => Results.Json(new
        {
            meters = meters.Meters.Select(m => MeteringViews.Meter(m, meters.Latest(m.Id))).ToList(),
            readingsStored = meters.ReadingsStored,
            refused = meters.Refused,
        }));

        app.MapGet("/meters/{id}", (string id) => meters.Find(id) is { } meter
            ? Results.Json(new
            {
                meter = MeteringViews.Meter(meter, meters.Latest(id)),
                events = meters.Events(id, DateTimeOffset.UnixEpoch, time.GetUtcNow().AddYears(1)).Select(MeteringViews.Event).ToList(),
            })
            : UnknownMeter(id));

        app.MapGet("/meters/{id}/readings", (string id, string? from, string? to, string? limit) =>
        {
            if (meters.Find(id) is null)
            {
                return UnknownMeter(id);
            }

            if (!TryRange(from, to, TimeSpan.FromDays(1), time, out DateTimeOffset start, out DateTimeOffset end, out IResult? problem)
                || !Problems.TryParseLimit(limit, 1000, MaxReadings, out int count, out problem))
            {
                return problem!;
            }

            return Results.Json(new { meter = id, from = start, to = end, readings = meters.Readings(id, start, end, count).Select(MeteringViews.Reading).ToList() });
        });

        app.MapGet("/meters/{id}/consumption", (string id, string? interval, string? from, string? to) =>
        {
            if (meters.Find(id) is not { } meter)
            {
                return UnknownMeter(id);
            }

            if (!TryQuery(meters, meter.Building, interval, from, to, time, out IntervalKind kind, out DateTimeOffset start, out DateTimeOffset end, out IResult? problem))
            {
                return problem!;
            }

            MeteringCalendar calendar = meters.CalendarOf(meter.Building);
            return Results.Json(new
            {
                meter = id,
                unit = meter.Unit,
                medium = meter.Medium,
                measuredIn = meter.MeasuredIn,
                interval = IntervalNames.NameOf(kind),
                timeZone = calendar.Zone.Id,
                intervals = meters.Consumption(meter, kind, start, end).Select(c => MeteringViews.Interval(c, calendar)).ToList(),
            });
        });

        app.MapGet("/buildings/{building}/consumption", (string building, string? interval, string? from, string? to) =>
            Sums(meters, building, null, interval, from, to, time));

        app.MapGet("/buildings/{building}/flats/{unit}/consumption", (string building, string unit, string? interval, string? from, string? to) =>
            Sums(meters, building, unit, interval, from, to, time));

        app.MapPost("/meters/{id}/replacement", async (string id, HttpContext http) =>
        {
            if (meters.Find(id) is not { } meter)
            {
                return UnknownMeter(id);
            }

            if (await ReadReplacementAsync(http.Request, time) is not { } request)
            {
                return Problems.BadRequest("bad replacement",
                    "send a JSON object {\"at\":\"2026-03-01T09:30:00Z\",\"oldFinal\":1234.567,\"newStart\":0.012,\"note\":\"optional\"}: the time of the change, " +
                    $"the old meter's final reading and the new meter's first, in {meter.MeasuredIn}, not negative; note at most {MaxNoteLength} characters");
            }

            string who = OperatorAuthentication.OperatorName(http);
            ReplacementResult result = await meters.ReplaceAsync(id, request.At, request.OldFinal, request.NewStart, who, request.Note);
            await log.AppendAsync(OperatorAudit.Record(time.GetUtcNow(), site, meter.Building, id, "meter-replace", who,
                new { meter = id, at = request.At, oldFinal = request.OldFinal, newStart = request.NewStart, note = request.Note, recorded = result.Recorded, error = result.Error }));
            return result.Recorded
                ? Results.Json(new { meter = id, replacement = MeteringViews.Event(result.Replacement!) }, statusCode: StatusCodes.Status201Created)
                : Problems.Conflict("replacement refused", result.Error!);
        });

        return app;
    }

    private static IResult Sums(MeterBook meters, string building, string? unit, string? interval, string? from, string? to, TimeProvider time)
    {
        if (!meters.Meters.Any(m => m.Building == building))
        {
            return Problems.NotFound("no meters", $"building '{building}' has no meters in the layout; GET /meters lists them");
        }

        if (unit is not null && !meters.Meters.Any(m => m.Building == building && m.Unit == unit))
        {
            return Problems.NotFound("no meters", $"no meter of building '{building}' serves flat '{unit}'; GET /meters lists them with their flats");
        }

        if (!TryQuery(meters, building, interval, from, to, time, out IntervalKind kind, out DateTimeOffset start, out DateTimeOffset end, out IResult? problem))
        {
            return problem!;
        }

        MeteringCalendar calendar = meters.CalendarOf(building);
        return Results.Json(new
        {
            building,
            unit,
            interval = IntervalNames.NameOf(kind),
            timeZone = calendar.Zone.Id,
            sums = meters.Sums(building, unit, kind, start, end).Select(s => MeteringViews.Sum(s, calendar)).ToList(),
        });
    }

    private static bool TryQuery(MeterBook meters, string building, string? interval, string? from, string? to, TimeProvider time,
        out IntervalKind kind, out DateTimeOffset start, out DateTimeOffset end, out IResult? problem)
    {
        start = end = default;
        if (!IntervalNames.TryParse(interval ?? "hour", out kind))
        {
            problem = Problems.BadRequest("bad interval", $"interval must be 15m, hour, day or month, not '{interval}'");
            return false;
        }

        TimeSpan span = kind switch
        {
            IntervalKind.Quarter or IntervalKind.Hour => TimeSpan.FromDays(1),
            IntervalKind.Day => TimeSpan.FromDays(31),
            _ => TimeSpan.FromDays(366),
        };
        if (!TryRange(from, to, span, time, out start, out end, out problem))
        {
            return false;
        }

        if (meters.Starts(building, kind, start, end).Count > MeterBook.MaxIntervals)
        {
            problem = Problems.BadRequest("range too long", $"at most {MeterBook.MaxIntervals} intervals per request; shorten from-to or choose a longer interval");
            return false;
        }

        return true;
    }

    private static bool TryRange(string? from, string? to, TimeSpan fallback, TimeProvider time, out DateTimeOffset start, out DateTimeOffset end, out IResult? problem)
    {
        problem = null;
        start = end = default;
        end = time.GetUtcNow();
        if (to is not null && !TryTime(to, out end))
        {
            problem = Problems.BadRequest("bad time", $"to must be an ISO 8601 time with its offset, e.g. 2026-03-01T00:00:00Z or 2026-03-01T00:00:00+01:00, not '{to}'");
            return false;
        }

        start = end - fallback;
        if (from is not null && !TryTime(from, out start))
        {
            problem = Problems.BadRequest("bad time", $"from must be an ISO 8601 time with its offset, e.g. 2026-03-01T00:00:00Z or 2026-03-01T00:00:00+01:00, not '{from}'");
            return false;
        }

        if (start >= end)
        {
            problem = Problems.BadRequest("bad range", "from must be before to");
            return false;
        }

        return true;
    }

    private static bool TryTime(string text, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at) && (text.EndsWith('Z') || text.Contains('+') || text.LastIndexOf('-') > 9);

    private static async Task<Replacement?> ReadReplacementAsync(HttpRequest request, TimeProvider time)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
        }
        catch (JsonException)
        {
            return null;
        }

        if (body.ValueKind != JsonValueKind.Object || !Decimal(body, "oldFinal", out decimal oldFinal) || !Decimal(body, "newStart", out decimal newStart)
            || oldFinal < 0 || newStart < 0)
        {
            return null;
        }

        DateTimeOffset at = time.GetUtcNow();
        if (body.TryGetProperty("at", out JsonElement atElement) && (atElement.ValueKind != JsonValueKind.String || !TryTime(atElement.GetString()!, out at)))
        {
            return null;
        }

        string? note = body.TryGetProperty("note", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return note is { Length: > MaxNoteLength } ? null : new Replacement(at, oldFinal, newStart, note);
    }

    // A JSON number, or a string holding one (some clients send exact decimals as strings).
    private static bool Decimal(JsonElement body, string name, out decimal value)
    {
        value = 0;
        return body.TryGetProperty(name, out JsonElement element) && (element.ValueKind == JsonValueKind.Number
            ? element.TryGetDecimal(out value)
            : element.ValueKind == JsonValueKind.String && MeterValues.TryParse(element.GetString()!, out value));
    }

    private static IResult UnknownMeter(string id) =>
        Problems.NotFound("unknown meter", $"no meter '{id}' in the layout; GET /meters lists them");

    private sealed record Replacement(DateTimeOffset At, decimal OldFinal, decimal NewStart, string? Note);
}
