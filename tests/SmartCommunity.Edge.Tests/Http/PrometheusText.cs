namespace SmartCommunity.Edge.Tests.Http;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

/// <summary>One sample line of the Prometheus text format.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Label(string name) => Labels.GetValueOrDefault(name);
}

/// <summary>
/// A small, strict reader of the Prometheus text exposition format 0.0.4 (prometheus.io/docs/instrumenting/
/// exposition_formats): fails the test on anything a scraper would reject or misread.
/// </summary>
internal sealed partial class PrometheusText
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    private PrometheusText(IReadOnlyDictionary<string, string> types, IReadOnlyList<PrometheusSample> samples)
    {
        FamilyTypes = types;
        Samples = samples;
    }

    public IReadOnlyDictionary<string, string> FamilyTypes { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    public static PrometheusText Parse(string text)
    {
        Assert.IsTrue(text.EndsWith('\n'), "the exposition ends with a line feed");
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helped = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        var seenFamilies = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        foreach (string line in text[..^1].Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                string name = line[7..].Split(' ')[0];
                Assert.IsTrue(helped.Add(name), $"HELP for {name} twice");
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line[7..].Split(' ');
                Assert.HasCount(2, parts, line);
                Assert.IsTrue(MetricName().IsMatch(parts[0]), $"bad metric name in: {line}");
                Assert.Contains(parts[1], Types, line);
                Assert.IsFalse(types.ContainsKey(parts[0]), $"TYPE for {parts[0]} twice");
                Assert.IsFalse(seenFamilies.Contains(parts[0]), $"TYPE for {parts[0]} after its samples");
                types[parts[0]] = parts[1];
                current = parts[0];
                continue;
            }

            Assert.IsFalse(line.StartsWith('#'), $"unknown comment line: {line}");
            Assert.AreNotEqual("", line, "no blank lines");
            Match match = SampleLine().Match(line);
            Assert.IsTrue(match.Success, $"not a sample line: {line}");
            string sampleName = match.Groups["name"].Value;
            string family = FamilyOf(sampleName, types);
            Assert.IsTrue(types.ContainsKey(family), $"{sampleName} has no TYPE line before it");
            Assert.AreEqual(current, family, $"{sampleName} is not grouped under its family's header");
            seenFamilies.Add(family);
            samples.Add(new PrometheusSample(sampleName, ParseLabels(match.Groups["labels"].Value, line), ParseValue(match.Groups["value"].Value, line)));
        }

        foreach ((string name, string type) in types)
        {
            if (type == "counter")
            {
                Assert.EndsWith("_total", name, $"counter {name} should end in _total");
            }
        }

        var parsed = new PrometheusText(types, samples);
        parsed.CheckHistograms();
        return parsed;
    }

    public IEnumerable<PrometheusSample> Named(string name) => Samples.Where(s => s.Name == name);

    public double Value(string name, params (string Label, string Value)[] labels) =>
        Named(name).Single(s => labels.All(l => s.Label(l.Label) == l.Value)).Value;

    private static string FamilyOf(string sample, Dictionary<string, string> types)
    {
        foreach (string suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(sample[..^suffix.Length], out string? type) && type is "histogram" or "summary")
            {
                return sample[..^suffix.Length];
            }
        }

        return sample;
    }

    private static Dictionary<string, string> ParseLabels(string text, string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int i = 0;
        while (i < text.Length)
        {
            int eq = text.IndexOf('=', i);
            Assert.IsGreaterThan(i, eq, $"label without '=' in: {line}");
            string name = text[i..eq];
            Assert.IsTrue(LabelName().IsMatch(name), $"bad label name '{name}' in: {line}");
            Assert.AreEqual('"', text[eq + 1], $"label value not quoted in: {line}");
            var value = new System.Text.StringBuilder();
            int j = eq + 2;
            for (; j < text.Length && text[j] != '"'; j++)
            {
                if (text[j] == '\\')
                {
                    j++;
                    value.Append(text[j] switch
                    {
                        'n' => '\n',
                        '\\' => '\\',
                        '"' => '"',
                        _ => throw new AssertFailedException($"bad escape in: {line}"),
                    });
                }
                else
                {
                    value.Append(text[j]);
                }
            }

            Assert.IsLessThan(text.Length, j, $"unterminated label value in: {line}");
            Assert.IsTrue(labels.TryAdd(name, value.ToString()), $"label {name} twice in: {line}");
            i = j + 1;
            if (i < text.Length)
            {
                Assert.AreEqual(',', text[i], $"labels not separated by ',' in: {line}");
                i++;
            }
        }

        return labels;
    }

    private static double ParseValue(string text, string line) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : throw new AssertFailedException($"bad value in: {line}"),
    };

    // Per series (labels without le): buckets non-decreasing in le, ending with +Inf equal to _count.
    private void CheckHistograms()
    {
        foreach (string histogram in FamilyTypes.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            foreach (var series in Named(histogram + "_bucket").GroupBy(s => Key(s.Labels)))
            {
                List<PrometheusSample> buckets = series.ToList();
                Assert.AreEqual("+Inf", buckets[^1].Label("le"), $"{histogram}{{{series.Key}}} ends with le=\"+Inf\"");
                for (int i = 1; i < buckets.Count; i++)
                {
                    Assert.IsGreaterThan(ParseValue(buckets[i - 1].Label("le")!, histogram), ParseValue(buckets[i].Label("le")!, histogram), "bounds grow");
                    Assert.IsGreaterThanOrEqualTo(buckets[i - 1].Value, buckets[i].Value, $"{histogram} buckets are cumulative");
                }

                double count = Named(histogram + "_count").Single(s => Key(s.Labels) == series.Key).Value;
                Assert.AreEqual(count, buckets[^1].Value, $"{histogram}{{{series.Key}}}: +Inf bucket equals _count");
                Assert.ContainsSingle(Named(histogram + "_sum").Where(s => Key(s.Labels) == series.Key));
            }
        }
    }

    private static string Key(IReadOnlyDictionary<string, string> labels) =>
        string.Join(",", labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    [GeneratedRegex("^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?<labels>.*)\\})? (?<value>\\S+)$")]
    private static partial Regex SampleLine();
}
