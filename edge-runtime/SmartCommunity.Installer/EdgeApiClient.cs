namespace SmartCommunity.Installer;

using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

/// <summary>
/// The edge's HTTP API as the installer uses it, with an operator token (an installer's or an admin's). Every
/// failure becomes an <see cref="InstallerProblem"/> that says what went wrong and what to do: an edge that does
/// not answer, a token it does not know, a role that may not do this, or the edge's own refusal (its problem
/// details, hardware-docs/protocol.md and edge-runtime/README.md).
/// </summary>
public sealed class EdgeApiClient : IDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http;

    public EdgeApiClient(Uri edge, string token, HttpMessageHandler? handler = null)
    {
        Edge = edge;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = edge;
        _http.Timeout = RequestTimeout;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri Edge { get; }

    /// <summary>Checks the --edge and --token arguments; the URL must be absolute http(s), the token one word.</summary>
    public static EdgeApiClient Open(string? edgeUrl, string? token)
    {
        if (string.IsNullOrWhiteSpace(edgeUrl)
            || !Uri.TryCreate(edgeUrl.Trim(), UriKind.Absolute, out Uri? edge)
            || (edge.Scheme != Uri.UriSchemeHttp && edge.Scheme != Uri.UriSchemeHttps))
        {
            throw new InstallerProblem(InstallerExit.BadInput, $"--edge '{edgeUrl}' is not the edge's HTTP address",
                "give it as http://HOST:PORT (e.g. http://192.168.10.2:8080): the address sc-edge prints when it starts");
        }

        if (string.IsNullOrWhiteSpace(token) || token.Trim().Contains(' ', StringComparison.Ordinal))
        {
            throw new InstallerProblem(InstallerExit.BadInput, "--token is missing or not a single word",
                "ask the building's administrator for an installer token: on the edge box, 'sc-edge operator add NAME --role installer' prints one");
        }

        return new EdgeApiClient(edge, token.Trim());
    }

    /// <summary>GET; null when the edge answers 404 (the caller says what is unknown).</summary>
    public Task<JsonElement?> GetAsync(string path, CancellationToken cancel = default) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancel);

    public Task<JsonElement?> PutJsonAsync(string path, object body, CancellationToken cancel = default) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: Json) }, cancel);

    public Task<JsonElement?> PostJsonAsync(string path, object? body, CancellationToken cancel = default) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) }, cancel);

    public void Dispose() => _http.Dispose();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task<JsonElement?> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancel)
    {
        using HttpRequestMessage message = request();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, cancel).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex.InnerException is SocketException socket ? socket.Message : ex.Message);
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw Unreachable($"no answer within {RequestTimeout.TotalSeconds:F0} s");
        }

        using (response)
        {
            string text = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
            JsonElement? body = ParseOrNull(text);
            if (response.IsSuccessStatusCode)
            {
                return body ?? default(JsonElement);
            }

            string where = $"{message.Method} {new Uri(Edge, message.RequestUri!)}";
            string detail = ProblemText(body, text);
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotFound:
                    return null;
                case HttpStatusCode.Unauthorized:
                    throw new InstallerProblem(InstallerExit.NotAuthorised, $"the edge refused the token at {where} ({detail})",
                        "check --token (copy it again, whole); if it was revoked, ask the administrator for a new one: 'sc-edge operator add NAME --role installer' on the edge box");
                case HttpStatusCode.Forbidden:
                    throw new InstallerProblem(InstallerExit.NotAuthorised, $"this token's role may not do {where} ({detail})",
                        "use an installer's or an admin's token: 'sc-edge operator add NAME --role installer' on the edge box issues one");
                default:
                    throw new InstallerProblem(InstallerExit.EdgeRefused, $"the edge refused {where}: {(int)response.StatusCode} {detail}",
                        "fix what the edge names above and run the step again");
            }
        }
    }

    private InstallerProblem Unreachable(string why) =>
        new(InstallerExit.EdgeUnreachable, $"cannot reach the edge at {Edge} ({why})",
            "check --edge (the address sc-edge prints when it starts), that the laptop is on the building network, and that the edge runs: 'systemctl status sc-edge' on the edge box");

    private static JsonElement? ParseOrNull(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The edge answers with RFC 9457 problem details (title, detail); anything else is shown as it came, shortened.
    private static string ProblemText(JsonElement? body, string text)
    {
        if (body is { ValueKind: JsonValueKind.Object } problem)
        {
            string title = problem.TryGetProperty("title", out JsonElement t) ? t.GetString() ?? "" : "";
            string detail = problem.TryGetProperty("detail", out JsonElement d) ? d.GetString() ?? "" : "";
            return detail.Length == 0 ? title : $"{title}: {detail}";
        }

        return text.Length > 200 ? text[..200] + "…" : text;
    }
}
