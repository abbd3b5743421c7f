namespace SmartCommunity.Edge.Tests.Relays;

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
/// A webhook backend on a free loopback port (Kestrel) that fails on purpose: 503 while <see cref="Unavailable"/>,
/// a 422 naming the items whose key is in <see cref="Poisoned"/>, or a request held open until <see cref="Release"/>.
/// Records every body it received and, separately, the batches it accepted with a 2xx.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Envelope[]> _received = new();
    private readonly ConcurrentQueue<Envelope[]> _accepted = new();
    private TaskCompletionSource? _holdNext;
    private TaskCompletionSource? _lastHold;
    private int _holding;
    private int _requests;
    private volatile bool _unavailable;

    private WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/ingest", HandleAsync);
    }

    public Uri Url => new(new Uri(_app.Urls.First()), "/ingest");

    public string? ExpectedToken { get; init; }

    public bool Unavailable
    {
        get => _unavailable;
        set => _unavailable = value;
    }

    public ConcurrentDictionary<string, string> Poisoned { get; } = new();

    public int Requests => Volatile.Read(ref _requests);

    public IReadOnlyList<Envelope[]> Received => _received.ToArray();

    public IReadOnlyList<Envelope[]> AcceptedBatches => _accepted.ToArray();

    public IReadOnlyList<Envelope> Accepted => AcceptedBatches.SelectMany(b => b).ToList();

    public static async Task<WebhookReceiver> StartAsync(string? token = null)
    {
        var receiver = new WebhookReceiver { ExpectedToken = token };
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>The next request is recorded and then held, unanswered, until <see cref="Release"/>.</summary>
    public void HoldNext()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _lastHold, hold);
        Volatile.Write(ref _holdNext, hold);
    }

    /// <summary>True while a request is held open.</summary>
    public bool Holding => Volatile.Read(ref _holding) > 0;

    public void Release() => Volatile.Read(ref _lastHold)?.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _requests);
        if (ExpectedToken is not null && request.Headers.Authorization.ToString() != "Bearer " + ExpectedToken)
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        using JsonDocument body = await JsonDocument.ParseAsync(request.Body);
        Envelope[] batch = body.RootElement.EnumerateArray().Select(Envelope.From).ToArray();
        _received.Enqueue(batch);
        if (Interlocked.Exchange(ref _holdNext, null) is { } hold)
        {
            Interlocked.Increment(ref _holding);
            await hold.Task;
            Interlocked.Decrement(ref _holding);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        if (_unavailable)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        var rejected = batch.Where(e => Poisoned.ContainsKey(e.Key)).Select(e => new { key = e.Key, reason = Poisoned[e.Key] }).ToArray();
        if (rejected.Length > 0)
        {
            return Results.Json(new { rejected }, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        _accepted.Enqueue(batch);
        return Results.Ok();
    }
}

/// <summary>The parts of a relayed envelope the tests look at.</summary>
internal sealed record Envelope(string Key, string Source, string Channel, string Lane, long Sequence, long Boot, long Id, JsonElement Payload)
{
    public static Envelope From(JsonElement e) => new(
        e.GetProperty("key").GetString()!,
        e.GetProperty("source").GetString()!,
        e.GetProperty("channel").GetString()!,
        e.GetProperty("lane").GetString()!,
        e.GetProperty("seq").GetInt64(),
        e.GetProperty("boot").GetInt64(),
        e.GetProperty("id").GetInt64(),
        e.GetProperty("payload").Clone());
}
