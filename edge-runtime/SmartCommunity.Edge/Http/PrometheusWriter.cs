namespace SmartCommunity.Edge.Http;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

/// <summary>
/// Writes the Prometheus text exposition format, version 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats):
/// per family one <c># HELP</c> and one <c># TYPE</c> line, then its samples, <c>name{label="value"} number</c>.
/// Hand-written rather than prometheus-net: every figure already lives in the edge's own counters and is read at
/// scrape time, so a second registry of mirrored metrics (prometheus-net's is static by default) would only be
/// something to keep in step. Families must not repeat; samples of one family must follow its header.
/// </summary>
public sealed class PrometheusWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    public void Counter(string name, string help) => Family(name, "counter", help);

    public void Gauge(string name, string help) => Family(name, "gauge", help);

    public void Histogram(string name, string help) => Family(name, "histogram", help);

    /// <summary>One sample; <paramref name="labels"/> are name/value pairs.</summary>
    public void Sample(string name, double value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    _text.Append(',');
                }

                _text.Append(labels[i].Name).Append("=\"");
                AppendEscaped(labels[i].Value, escapeQuotes: true);
                _text.Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    /// <summary>
    /// A histogram's samples: <c>_bucket</c> per upper bound (cumulative) and <c>+Inf</c>, <c>_sum</c> and <c>_count</c>.
    /// <paramref name="cumulativeCounts"/> has one entry per bound plus the +Inf bucket.
    /// </summary>
    public void HistogramSamples(string name, IReadOnlyList<double> upperBounds, IReadOnlyList<long> cumulativeCounts, double sum,
        params ReadOnlySpan<(string Name, string Value)> labels)
    {
        var withLe = new (string Name, string Value)[labels.Length + 1];
        labels.CopyTo(withLe);
        for (int i = 0; i <= upperBounds.Count; i++)
        {
            withLe[^1] = ("le", i < upperBounds.Count ? FormatValue(upperBounds[i]) : "+Inf");
            Sample(name + "_bucket", cumulativeCounts[i], withLe);
        }

        Sample(name + "_sum", sum, labels);
        Sample(name + "_count", cumulativeCounts[upperBounds.Count], labels);
    }

    public override string ToString() => _text.ToString();

    public static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private void Family(string name, string type, string help)
    {
        if (!_families.Add(name))
        {
            throw new InvalidOperationException($"metric family {name} written twice");
        }

        _text.Append("# HELP ").Append(name).Append(' ');
        AppendEscaped(help, escapeQuotes: false);
        _text.Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    // Label values escape backslash, double quote and line feed; HELP text escapes backslash and line feed only.
    private void AppendEscaped(string text, bool escapeQuotes)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\':
                    _text.Append(@"\\");
                    break;
                case '\n':
                    _text.Append(@"\n");
                    break;
                case '"' when escapeQuotes:
                    _text.Append("\\\"");
                    break;
                default:
                    _text.Append(c);
                    break;
            }
        }
    }
}
