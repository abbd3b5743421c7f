namespace SmartCommunity.Edge.Relays;

using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// The operator's view of the relays: GET /relays, GET /relays/{name}, GET /relays/{name}/dead-letters?limit=N.
/// Wire it with <c>app.MapRelayEndpoints(edge.Relays)</c>; with no relays configured (null) /relays says so.
/// </summary>
public static class RelayEndpoints
{
    public static IEndpointRouteBuilder MapRelayEndpoints(this IEndpointRouteBuilder endpoints, RelayHub? hub)
    {
        endpoints.MapGet("/relays", () => Results.Json(new
        {
            enabled = hub is not null,
            edge = hub?.EdgeId,
            relays = hub?.Status() ?? [],
        }));

        endpoints.MapGet("/relays/{name}", (string name) => hub?.Status(name) is { } status
            ? Results.Json(status)
            : UnknownRelay(hub, name));

        endpoints.MapGet("/relays/{name}/dead-letters", (string name, int? limit) => hub?.DeadLetters(name, limit ?? 100) is { } letters
            ? Results.Json(letters)
            : UnknownRelay(hub, name));

        return endpoints;
    }

    private static IResult UnknownRelay(RelayHub? hub, string name) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "no such relay",
        detail: hub is null
            ? "relays are off: start sc-edge with --relays FILE"
            : $"no relay '{name}'; configured: {string.Join(", ", hub.Names.DefaultIfEmpty("none"))}");
}
