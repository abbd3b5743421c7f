namespace SmartCommunity.Edge.Http;

using System;
using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

/// <summary>GET /devices, /devices/{id} (twins), GET /buildings (fire state per building), GET /events (the log).</summary>
public static class DeviceEndpoints
{
    public const int MaxEvents = 10_000;

    public static IEndpointRouteBuilder MapDeviceEndpoints(this IEndpointRouteBuilder app, EdgeApiServices s)
    {
        app.MapGet("/devices", () => Results.Json(s.Twins.All.Select(t => t.Snapshot()).OrderBy(t => t.Id, StringComparer.Ordinal)));

        app.MapGet("/devices/{id}", (string id) => s.Twins.Find(id) is { } twin
            ? Results.Json(twin.Snapshot())
            : Problems.UnknownDevice(id));

        app.MapGet("/buildings", () => Results.Json(s.FireRule.Latches.Select(l => new
        {
            building = l.Building,
            fire = l.Latched ? "alarm" : "clear",
            since = l.Latched ? l.Since : (DateTimeOffset?)null,
            by = l.Latched ? l.By : null,
            alarmStands = s.FireRule.AlarmStands(l.Building),
            doorsReportingFireInput = s.FireRule.DoorsReportingFireInput(l.Building),
        })));

        app.MapGet("/events", (HttpRequest request) =>
        {
            if (!Problems.TryParseLimit(request.Query["limit"].FirstOrDefault(), 100, MaxEvents, out int limit, out IResult? problem))
            {
                return problem!;
            }

            string? source = request.Query["source"].FirstOrDefault();
            return Results.Json(s.Log.ReadRecent(limit, string.IsNullOrEmpty(source) ? null : source));
        });

        return app;
    }
}
