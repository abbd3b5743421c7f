namespace SmartCommunity.Edge.Http;

using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;

/// <summary>
/// The operator's HTTP API on loopback (edge-runtime/README.md lists the routes). Authentication and the audit of
/// who did what come with the security issue; until then only local processes can reach it.
/// </summary>
public sealed class EdgeApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    public EdgeApi(int port, EdgeCounters counters, TwinRegistry twins, FireRule fireRule, EventLog log, EmbeddedBroker broker, TimeProvider time, ILoggerFactory loggerFactory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        _app = builder.Build();
        DateTimeOffset started = time.GetUtcNow();

        _app.MapGet("/health", async () => Results.Json(new
        {
            status = broker.IsStarted ? "ok" : "starting",
            startedAt = started,
            mqtt = new { port = broker.Port, clients = await broker.ConnectedClientsAsync() },
            eventLog = new { path = log.Path, committed = log.Committed, pending = log.Pending, batches = log.Batches },
            messages = new
            {
                accepted = counters.Accepted,
                refused = counters.Refused,
                refusedByReason = counters.RefusedByReason,
                duplicates = counters.Duplicates,
                commitFailures = counters.CommitFailures,
            },
            commands = new { sent = counters.CommandsSent, retries = counters.CommandRetries, acks = counters.Acks, rejected = counters.RejectedAcks },
        }));

        _app.MapGet("/devices", () => Results.Json(twins.All.Select(t => t.Snapshot()).OrderBy(t => t.Id)));
        _app.MapGet("/devices/{id}", (string id) => twins.Find(id) is { } twin
            ? Results.Json(twin.Snapshot())
            : Results.NotFound(new { error = $"no device '{id}' in the layout" }));

        _app.MapGet("/buildings", () => Results.Json(fireRule.Latches.Select(l => new
        {
            building = l.Building,
            fire = l.Latched ? "alarm" : "clear",
            since = l.Latched ? l.Since : (DateTimeOffset?)null,
            by = l.Latched ? l.By : null,
        })));

        _app.MapPost("/buildings/{building}/fire/reset", async (string building, HttpRequest request) =>
        {
            string operatorName = request.Query["operator"].FirstOrDefault() ?? "";
            if (string.IsNullOrWhiteSpace(operatorName))
            {
                return Results.BadRequest(new { error = "say who resets the alarm: ?operator=NAME (it goes into the event log)" });
            }

            if (fireRule.Latches.All(l => l.Building != building))
            {
                return Results.NotFound(new { error = $"no building '{building}' in the layout" });
            }

            return await fireRule.ResetAsync(building, operatorName) switch
            {
                FireResetResult.Reset => Results.Ok(new { building, fire = "clear", by = operatorName }),
                FireResetResult.FireInputActive => Results.Conflict(new
                {
                    error = $"doors of building '{building}' still read the fire panel's input ({string.Join(", ", fireRule.DoorsReportingFireInput(building))}); reset the fire alarm panel first",
                }),
                _ => Results.Conflict(new { error = $"building '{building}' has no fire alarm to reset" }),
            };
        });

        _app.MapGet("/events", (int? limit, string? source) => Results.Json(log.ReadRecent(limit ?? 100, source)));
    }

    public Uri Address => new(_app.Urls.First());

    public Task StartAsync() => _app.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
