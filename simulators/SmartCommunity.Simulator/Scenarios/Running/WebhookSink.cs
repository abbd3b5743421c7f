namespace SmartCommunity.Simulator.Scenarios.Running;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

/// <summary>
/// The upstream backend of a scenario: a webhook receiver on a free loopback port (Kestrel) that takes the edge's
/// relay batches (edge-runtime/README.md, "Relays"), answers 503 while <see cref="Blocked"/>, and remembers every
/// envelope it accepted. It counts requests in flight so the runner can tell when the relay is idle.
/// </summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, UpstreamEnvelope> _accepted = new();
    private long _requests;
    private int _inFlight;
    private volatile bool _blocked;

    private WebhookSink()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/ingest", HandleAsync);
    }

    public Uri Url => new(new Uri(_app.Urls.First()), "/ingest");

    /// <summary>Outage switch: every delivery gets 503 Service Unavailable.</summary>
    public bool Blocked
    {
        get => _blocked;
        set => _blocked = value;
    }

    public long Requests => Interlocked.Read(ref _requests);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int AcceptedCount => _accepted.Count;

    /// <summary>Whether the envelope of event-log row <paramref name="eventId"/> was accepted (2xx) at least once.</summary>
    public bool HasAccepted(long eventId) => _accepted.ContainsKey(eventId);

    public IReadOnlyCollection<UpstreamEnvelope> Accepted => _accepted.Values.ToList();

    public static async Task<WebhookSink> StartAsync(CancellationToken cancel)
    {
        var sink = new WebhookSink();
        await sink._app.StartAsync(cancel);
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _inFlight);
        try
        {
            using JsonDocument body = await JsonDocument.ParseAsync(request.Body);
            if (_blocked)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            if (body.RootElement.ValueKind != JsonValueKind.Array)
            {
                return Results.BadRequest();
            }

            foreach (JsonElement envelope in body.RootElement.EnumerateArray())
            {
                var received = UpstreamEnvelope.From(envelope);
                _accepted.TryAdd(received.Id, received);
            }

            return Results.Ok();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}

/// <summary>The parts of a relayed envelope the expectations and stimuli look at; <see cref="Payload"/> is the record as the edge wrote it.</summary>
public sealed record UpstreamEnvelope(long Id, string Key, string Source, string Channel, string? Name, JsonElement? Payload = null)
{
    public static UpstreamEnvelope From(JsonElement e) => new(
        e.GetProperty("id").GetInt64(),
        e.GetProperty("key").GetString() ?? "",
        e.GetProperty("source").GetString() ?? "",
        e.GetProperty("channel").GetString() ?? "",
        e.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
        e.TryGetProperty("payload", out JsonElement payload) && payload.ValueKind == JsonValueKind.Object ? payload.Clone() : null);
}

/// <summary>How a scenario run is set up: where the edge keeps its data, where logs and progress go.</summary>
public sealed class ScenarioRunOptions
{
    /// <summary>Keep the edge's data (edge.db) under DIR/{scenario}; null = a temporary folder, deleted after the run.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The edge's logs; null = none.</summary>
    public ILoggerFactory? Loggers { get; init; }

    /// <summary>Told of each step as it is applied (the CLI prints it).</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>A run that takes longer than this in real time is stopped and fails.</summary>
    public TimeSpan RealTimeLimit { get; init; } = TimeSpan.FromMinutes(10);
}
