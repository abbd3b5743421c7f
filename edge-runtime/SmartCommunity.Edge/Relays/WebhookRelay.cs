namespace SmartCommunity.Edge.Relays;

using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

/// <summary>
/// HTTP webhook: each batch is one POST of a JSON array of envelopes. The response contract (edge-runtime/README.md,
/// "Relays"): 2xx = every item accepted; a 4xx whose JSON body is {"rejected":[{"key":…,"reason":…}]} = those items
/// are refused for good (dead-lettered) and the others are sent again without them; anything else (5xx, 408, 429,
/// another 4xx, a timeout, no connection) = the whole batch again later.
/// </summary>
public sealed partial class WebhookRelay : IRelay
{
    private const int MaxErrorBody = 300;

    private readonly WebhookRelayOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient _http;

    /// <param name="handler">Owned and disposed by the relay; a default handler when null.</param>
    public WebhookRelay(string name, WebhookRelayOptions options, TimeSpan timeout, ILogger logger, HttpMessageHandler? handler = null)
    {
        Name = name;
        _options = options;
        _logger = logger;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = timeout,
        };
    }

    public string Name { get; }

    public async Task<IReadOnlyList<DeliveryOutcome>> DeliverAsync(IReadOnlyList<RelayMessage> batch, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(batch.Count * 400);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartArray();
            foreach (RelayMessage message in batch)
            {
                message.WriteEnvelope(writer);
            }

            writer.WriteEndArray();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (!string.IsNullOrEmpty(_options.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return All(batch, DeliveryOutcome.RetryLater($"cannot reach {Where}: {ex.Message}"));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return All(batch, DeliveryOutcome.RetryLater($"{Where} did not answer within {_http.Timeout.TotalSeconds:F0} s"));
        }

        using (response)
        {
            int status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return All(batch, DeliveryOutcome.Delivered);
            }

            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            string answer = $"HTTP {status} {response.ReasonPhrase}";
            if (status is >= 400 and < 500 and not 408 and not 429 && Rejections(text, batch) is { Count: > 0 } rejected)
            {
                LogRejected(_logger, Name, rejected.Count, batch.Count, status);
                return batch.Select(m => rejected.TryGetValue(m.Key, out string? reason)
                    ? DeliveryOutcome.Refused($"{answer}: {reason}")
                    : DeliveryOutcome.RetryLater("sent again without the items the backend rejected")).ToArray();
            }

            string excerpt = text.Length > MaxErrorBody ? text[..MaxErrorBody] + "…" : text;
            return All(batch, DeliveryOutcome.RetryLater(excerpt.Length == 0 ? $"{Where} answered {answer}" : $"{Where} answered {answer}: {excerpt}"));
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Where => _options.Url.GetLeftPart(UriPartial.Path);

    private static DeliveryOutcome[] All(IReadOnlyList<RelayMessage> batch, DeliveryOutcome outcome) => Enumerable.Repeat(outcome, batch.Count).ToArray();

    /// <summary>The keys of this batch that a 4xx body lists under "rejected", with their reasons; null if the body is not that.</summary>
    private static Dictionary<string, string>? Rejections(string body, IReadOnlyList<RelayMessage> batch)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("rejected", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var keys = new HashSet<string>(batch.Select(m => m.Key), StringComparer.Ordinal);
            var rejected = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonElement item in list.EnumerateArray())
            {
                string? key = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("key", out JsonElement k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
                if (key is not null && keys.Contains(key))
                {
                    rejected[key] = item.TryGetProperty("reason", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? "rejected" : "rejected";
                }
            }

            return rejected;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay {Relay}: the backend rejected {Rejected} of {Count} items (HTTP {Status}); they are dead-lettered")]
    private static partial void LogRejected(ILogger logger, string relay, int rejected, int count, int status);
}
