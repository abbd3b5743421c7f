namespace SmartCommunity.Edge.Tests.Http;

using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Http;

[TestClass]
public sealed class PrometheusWriterTests
{
    [TestMethod]
    public void Sample_LabelWithQuoteBackslashAndNewline_EscapedAndReadBack()
    {
        var writer = new PrometheusWriter();
        writer.Counter("x_total", "Help with \\ and\nnewline.");

        writer.Sample("x_total", 3, ("reason", "say \"no\"\\\nagain"));

        string text = writer.ToString();
        StringAssert.Contains(text, "# HELP x_total Help with \\\\ and\\nnewline.\n");
        StringAssert.Contains(text, "x_total{reason=\"say \\\"no\\\"\\\\\\nagain\"} 3\n");
        Assert.AreEqual("say \"no\"\\\nagain", PrometheusText.Parse(text).Named("x_total").Single().Label("reason"));
    }

    [TestMethod]
    public void Counter_SameFamilyTwice_Throws()
    {
        var writer = new PrometheusWriter();
        writer.Counter("x_total", "once");

        Assert.ThrowsExactly<InvalidOperationException>(() => writer.Gauge("x_total", "twice"));
    }

    [TestMethod]
    public void HistogramSamples_Buckets_CumulativeWithInfSumAndCount()
    {
        var writer = new PrometheusWriter();
        writer.Histogram("lat_seconds", "Latency.");

        writer.HistogramSamples("lat_seconds", [0.1, 1], [2, 5, 6], 3.25, ("command", "release"));

        Assert.AreEqual(
            "# HELP lat_seconds Latency.\n# TYPE lat_seconds histogram\n" +
            "lat_seconds_bucket{command=\"release\",le=\"0.1\"} 2\n" +
            "lat_seconds_bucket{command=\"release\",le=\"1\"} 5\n" +
            "lat_seconds_bucket{command=\"release\",le=\"+Inf\"} 6\n" +
            "lat_seconds_sum{command=\"release\"} 3.25\n" +
            "lat_seconds_count{command=\"release\"} 6\n",
            writer.ToString());
        PrometheusText.Parse(writer.ToString());
    }

    [TestMethod]
    [DataRow(double.PositiveInfinity, "+Inf")]
    [DataRow(double.NegativeInfinity, "-Inf")]
    [DataRow(double.NaN, "NaN")]
    [DataRow(0.005, "0.005")]
    [DataRow(12345678901.0, "12345678901")]
    public void FormatValue_SpecialAndPlainNumbers_AsPrometheusReadsThem(double value, string expected) =>
        Assert.AreEqual(expected, PrometheusWriter.FormatValue(value));
}
