namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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

    /// <summary>Records a request refused for its role in the audit trail (who, what, the role it needed); set by <see cref="EdgeApi"/>.</summary>
    public Func<OperatorIdentity, string, string, string, Task>? AuditForbidden { get; init; }

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

        // Routing has already chosen the endpoint; an unknown route falls through to the 404 problem.
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern })
        {
            string required = OperatorPermissions.Required(context.Request.Method, pattern);
            if (!OperatorRoles.HasAtLeast(context.User, required))
            {
                counters.CountUnauthorized("role");
                if (AuditForbidden is { } audit)
                {
                    await audit(identity, context.Request.Method, context.Request.Path.Value ?? pattern, required).ConfigureAwait(false);
                }

                await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"{required} role needed",
                    detail: $"{context.Request.Method} {pattern} needs the {required} role or above; '{identity.Name}' is {identity.Role}. " +
                    $"Ask for a token with that role (sc-edge operator add NAME --role {required}); hardware-docs/security.md lists what each role may do",
                    extensions: new Dictionary<string, object?> { ["reason"] = "role-required", ["required"] = required, ["role"] = identity.Role }).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private static Task Refuse(HttpContext context, string title, string detail)
    {
        // RFC 6750 §3: a 401 for a bearer-protected resource names the scheme.
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"sc-edge\"";
        return Problems.Unauthorized(title, detail).ExecuteAsync(context);
    }
}
