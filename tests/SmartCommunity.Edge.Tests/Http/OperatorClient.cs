namespace SmartCommunity.Edge.Tests.Http;

using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>The API as an operator uses it: a token issued by the edge, sent as a bearer token on every request.</summary>
internal static class OperatorClient
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>A client carrying a fresh token of <paramref name="name"/>, issued as the demo and the tests do.</summary>
    public static async Task<HttpClient> AsOperatorAsync(EdgeHost edge, string name = "alice")
    {
        string token = await edge.Operators.IssueAsync(name);
        return WithToken(edge, token);
    }

    /// <summary>A client of <paramref name="name"/> with <paramref name="role"/> (SmartCommunity.Edge.Operators.OperatorRoles).</summary>
    public static async Task<HttpClient> AsRoleAsync(EdgeHost edge, string role, string? name = null) =>
        WithToken(edge, await edge.Operators.IssueAsync(name ?? role + "-user", "test", role));

    public static HttpClient WithToken(EdgeHost edge, string token)
    {
        HttpClient http = EdgeRig.Http(edge);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient http, string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PutJsonAsync(HttpClient http, string path, string json) =>
        http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Asserts a problem+json answer with the status, a title and a detail, and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(status, response.StatusCode, text);
        Assert.AreEqual(ProblemJson, response.Content.Headers.ContentType?.MediaType, text);
        JsonElement body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.AreEqual((int)status, body.GetProperty("status").GetInt32());
        Assert.IsFalse(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()), text);
        Assert.IsFalse(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()), text);
        return body;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(status, response.StatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> GetJsonAsync(HttpClient http, string path) => http.GetFromJsonAsync<JsonElement>(path);
}
