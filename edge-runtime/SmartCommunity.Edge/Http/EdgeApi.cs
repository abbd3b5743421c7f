namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Edge.Registry;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Rules;

/// <summary>
/// The operator's HTTP API on loopback (edge-runtime/README.md, "API", lists the routes). Every route but the
/// health probes and /metrics needs an operator's bearer token (<see cref="OperatorAuthentication"/>); every error
/// is problem+json, including unknown routes and unhandled exceptions.
/// </summary>
public sealed class EdgeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EdgeApiServices _services;
    private readonly CommandMetrics _commandMetrics = new();

    public EdgeApi(int port, EdgeApiServices services, ILoggerFactory loggerFactory)
    {
        _services = services;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Detail ??= GenericDetail(c.HttpContext));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        _app = builder.Build();

        DateTimeOffset started = services.Time.GetUtcNow();
        Health = EdgeHealth.For(services.Broker, services.Log, services.Counters, services.Time);
        services.Commands.Settled += _commandMetrics.OnSettled;
        var metrics = new EdgeMetrics(services, Health, _commandMetrics, Counters, started);
        var authentication = new OperatorAuthentication(services.Operators, Counters)
        {
            // A refused attempt is an action too: the audit trail shows who tried what.
            AuditForbidden = (who, method, path, required) => services.Log.AppendAsync(Operators.OperatorAudit.Record(services.Time.GetUtcNow(), services.Layout.Site, "", "edge",
                "forbidden", who.Name, new { method, path, role = who.Role, required })),
        };

        _app.UseExceptionHandler();
        _app.UseStatusCodePages();
        if (services.Calls is { } calls)
        {
            // A backend's webhook callback acknowledges a call with that call's token, not an operator's.
            _app.Use(next => context => CallEndpoints.CallbackAsync(context, next, calls, Counters));
        }

        _app.Use(next => context => authentication.InvokeAsync(context, next));

        _app.MapHealthEndpoints(services, Health, metrics, started);
        _app.MapDeviceEndpoints(services);
        _app.MapAlarmEndpoints(services);
        _app.MapCommandEndpoints(services);
        _app.MapRelayEndpoints(services.Relays);
        if (services.Rules is not null)
        {
            _app.MapRuleEndpoints(services.Rules);
        }

        if (services.Calls is not null)
        {
            _app.MapCallEndpoints(services, services.Calls);
        }

        if (services.Registry is not null)
        {
            _app.MapRegistryEndpoints(services.Registry, services.Layout, services.Commands);
        }

        if (services.Access is not null)
        {
            _app.MapAccessEndpoints(services.Access, services.Layout);
        }

        if (services.Parking is not null)
        {
            _app.MapParkingEndpoints(services.Parking);
        }

        if (services.Meters is not null)
        {
            _app.MapMeteringEndpoints(services.Meters, services.Log, services.Layout.Site, services.Time);
        }

        if (services.MBus is not null)
        {
            _app.MapMBusEndpoints(services.MBus);
        }
    }

    public Uri Address => new(_app.Urls.First());

    /// <summary>Readiness, for /health/ready and the systemd watchdog.</summary>
    public EdgeHealth Health { get; }

    public ApiCounters Counters { get; } = new();

    public Task StartAsync() => _app.StartAsync();

    /// <summary>Every mapped route as "METHOD /pattern", for checking the role table covers them (<see cref="OperatorPermissions"/>).</summary>
    public IReadOnlyList<string> Routes() =>
        ((IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToList();

    // Problems the framework raises itself (no such route, wrong method, a crash) get a detail too.
    private static string GenericDetail(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => $"no route {context.Request.Method} {context.Request.Path}; edge-runtime/README.md lists the API's routes",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Path} does not take {context.Request.Method}; edge-runtime/README.md lists the API's routes",
        >= 500 => "the edge failed to answer this request; its journal (journalctl -u sc-edge) has the error",
        _ => $"the request {context.Request.Method} {context.Request.Path} cannot be served as sent",
    };

    public async ValueTask DisposeAsync()
    {
        Health.MarkStopping();
        _services.Commands.Settled -= _commandMetrics.OnSettled;
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
