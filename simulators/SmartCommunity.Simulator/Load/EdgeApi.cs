namespace SmartCommunity.Simulator.Load;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

/// <summary>The few routes of the edge's HTTP API a load run uses (edge-runtime/README.md, "API" and "Metrics").</summary>
public sealed class EdgeApi : IDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;

    public EdgeApi(Uri baseAddress, string? token)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = RequestTimeout };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancel)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync("/health/ready", cancel);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException) && !cancel.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The edge's counters from <c>GET /metrics</c>; null when the edge does not answer.</summary>
    public async Task<EdgeMetrics?> ReadMetricsAsync(CancellationToken cancel)
    {
        try
        {
            return EdgeMetrics.Parse(await _http.GetStringAsync("/metrics", cancel));
        }
        catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException) && !cancel.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The operator's reset after an incident: <c>POST /buildings/{building}/fire/reset</c>.</summary>
    public async Task<HttpStatusCode?> ResetFireAsync(string building, CancellationToken cancel)
    {
        try
        {
            using HttpResponseMessage response = await _http.PostAsync($"/buildings/{building}/fire/reset", null, cancel);
            return response.StatusCode;
        }
        catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException) && !cancel.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The counters of the edge's Prometheus text that a load run reports.</summary>
public sealed record EdgeMetrics(
    long Accepted,
    long Refused,
    IReadOnlyDictionary<string, long> RefusedByReason,
    long Duplicates,
    long Gaps,
    long CommitFailures,
    long LogCommitted,
    long LogBatches,
    long LogPending,
    long CommandsSent,
    long CommandRetries,
    long MqttClients)
{
    /// <summary>Reads <c>name{labels} value</c> samples (Prometheus text format 0.0.4); comments and unknown names are skipped.</summary>
    public static EdgeMetrics Parse(string text)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        var refused = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            if (space < 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                continue;
            }

            string series = line[..space];
            int brace = series.IndexOf('{', StringComparison.Ordinal);
            string name = brace < 0 ? series : series[..brace];
            if (name == "sc_edge_messages_refused_total" && brace >= 0)
            {
                refused[Label(series[brace..], "reason") ?? "?"] = (long)value;
            }

            values[name] = values.GetValueOrDefault(name) + (long)value;
        }

        return new EdgeMetrics(
            values.GetValueOrDefault("sc_edge_messages_accepted_total"),
            values.GetValueOrDefault("sc_edge_messages_refused_total"),
            refused,
            values.GetValueOrDefault("sc_edge_messages_duplicate_total"),
            values.GetValueOrDefault("sc_edge_message_gaps_total"),
            values.GetValueOrDefault("sc_edge_commit_failures_total"),
            values.GetValueOrDefault("sc_edge_event_log_committed_total"),
            values.GetValueOrDefault("sc_edge_event_log_batches_total"),
            values.GetValueOrDefault("sc_edge_event_log_pending"),
            values.GetValueOrDefault("sc_edge_commands_sent_total"),
            values.GetValueOrDefault("sc_edge_command_retries_total"),
            values.GetValueOrDefault("sc_edge_mqtt_clients"));
    }

    /// <summary>What happened between two readings; gauges (clients, pending) are the later reading's.</summary>
    public EdgeCounterFigures Since(EdgeMetrics before)
    {
        var refused = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach ((string reason, long count) in RefusedByReason)
        {
            long delta = count - before.RefusedByReason.GetValueOrDefault(reason);
            if (delta != 0)
            {
                refused[reason] = delta;
            }
        }

        return new EdgeCounterFigures(Accepted - before.Accepted, Refused - before.Refused, refused, Duplicates - before.Duplicates, Gaps - before.Gaps,
            CommitFailures - before.CommitFailures, LogCommitted - before.LogCommitted, LogBatches - before.LogBatches, CommandsSent - before.CommandsSent,
            CommandRetries - before.CommandRetries, MqttClients);
    }

    private static string? Label(string labels, string name)
    {
        string key = name + "=\"";
        int start = labels.IndexOf(key, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += key.Length;
        int end = labels.IndexOf('"', start);
        return end < 0 ? null : labels[start..end];
    }
}
