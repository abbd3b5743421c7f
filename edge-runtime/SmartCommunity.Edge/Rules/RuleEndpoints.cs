namespace SmartCommunity.Edge.Rules;

using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

/// <summary>
/// The rules' status for operators: GET /rules (the whole <see cref="RuleEngineStatus"/>) and GET /rules/{name}
/// (one rule, 404 when unknown). Read-only; reloading happens when the file changes.
/// </summary>
public static class RuleEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    public static IEndpointRouteBuilder MapRuleEndpoints(this IEndpointRouteBuilder endpoints, RuleEngine engine)
    {
        endpoints.MapGet("/rules", () => Results.Json(engine.Status(), Json));
        endpoints.MapGet("/rules/{name}", (string name) => engine.Status().Rules.FirstOrDefault(r => r.Name == name) is { } rule
            ? Results.Json(rule, Json)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "unknown rule", detail: $"no rule '{name}' is loaded; GET /rules lists them"));
        return endpoints;
    }
}
