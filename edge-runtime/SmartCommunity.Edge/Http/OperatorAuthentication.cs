namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using SmartCommunity.Edge.Operators;

/// <summary>
/// Every route needs <c>Authorization: Bearer TOKEN</c> from a live operator, except the health probes and the
/// metrics scrape, which systemd, a load balancer or Prometheus read without a person behind them. Deny by default:
/// a route added later (rules, relays, registry) is protected without anyone remembering to. The operator's name
/// becomes <see cref="HttpContext.User"/>, so every handler can say who acted (<see cref="OperatorName"/>).
/// </summary>
public sealed class OperatorAuthentication(OperatorStore operators, ApiCounters counters)
{
    /// <summary>The paths open without a token.</summary>
    public static readonly IReadOnlySet<string> OpenPaths = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "/health", "/health/live", "/health/ready", "/metrics",
    };

    public const string AuthenticationType = "Bearer";

    /// <summary>The authenticated operator of this request; handlers behind the middleware always have one.</summary>
    public static string OperatorName(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? name
            : throw new InvalidOperationException("no authenticated operator: the route is not behind OperatorAuthentication");

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        string path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        if (OpenPaths.Contains(path.Length == 0 ? "/" : path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        string header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            counters.CountUnauthorized("missing");
            await Refuse(context, "authentication required",
                "send the operator's token as 'Authorization: Bearer TOKEN'; an installer issues one on the edge box with 'sc-edge operator add NAME'");
            return;
        }

        if (!header.StartsWith(AuthenticationType + " ", StringComparison.OrdinalIgnoreCase))
        {
            counters.CountUnauthorized("malformed");
            await Refuse(context, "wrong authorization scheme",
                "the Authorization header must be 'Bearer TOKEN' (the token 'sc-edge operator add' printed)");
            return;
        }

        OperatorIdentity? identity = await operators.IdentifyAsync(header[(AuthenticationType.Length + 1)..].Trim()).ConfigureAwait(false);
        if (identity is null)
        {
            counters.CountUnauthorized("unknown-token");
            await Refuse(context, "unknown or revoked token",
                "this token is not (or no longer) valid; 'sc-edge operator list' shows who has a live token, 'sc-edge operator add NAME' issues a new one");
            return;
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, identity.Name), new Claim(ClaimTypes.Role, identity.Role)], AuthenticationType));
        await next(context).ConfigureAwait(false);
    }

    private static Task Refuse(HttpContext context, string title, string detail)
    {
        // RFC 6750 §3: a 401 for a bearer-protected resource names the scheme.
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"sc-edge\"";
        return Problems.Unauthorized(title, detail).ExecuteAsync(context);
    }
}
