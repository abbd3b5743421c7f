namespace SmartCommunity.Simulator.Tests.Load;

using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Simulator.Load;

[TestClass]
public sealed class EdgeMetricsTests
{
    private const string Before = """
        # HELP sc_edge_messages_accepted_total Device messages accepted and committed to the event log.
        # TYPE sc_edge_messages_accepted_total counter
        sc_edge_messages_accepted_total 100
        sc_edge_messages_refused_total{reason="malformed"} 2
        sc_edge_messages_duplicate_total 0
        sc_edge_message_gaps_total 1
        sc_edge_commit_failures_total 0
        sc_edge_mqtt_clients 10
        sc_edge_event_log_committed_total 120
        sc_edge_event_log_batches_total 30
        sc_edge_commands_sent_total 4
        sc_edge_command_retries_total 0
        """;

    private const string After = """
        sc_edge_messages_accepted_total 1.5E+06
        sc_edge_messages_refused_total{reason="malformed"} 5
        sc_edge_messages_refused_total{reason="unknown-device"} 7
        sc_edge_messages_duplicate_total 3
        sc_edge_message_gaps_total 1
        sc_edge_commit_failures_total 0
        sc_edge_mqtt_clients 1000
        sc_edge_event_log_committed_total 1500100
        sc_edge_event_log_pending 12
        sc_edge_event_log_batches_total 3030
        sc_edge_commands_sent_total 84
        sc_edge_command_retries_total 2
        sc_edge_some_future_metric{x="y"} 9
        """;

    [TestMethod]
    public void Parse_PrometheusText_CountersSummedOverLabels()
    {
        EdgeMetrics metrics = EdgeMetrics.Parse(After);

        Assert.AreEqual(1_500_000L, metrics.Accepted);
        Assert.AreEqual(12L, metrics.Refused);
        Assert.AreEqual(7L, metrics.RefusedByReason["unknown-device"]);
        Assert.AreEqual(12L, metrics.LogPending);
        Assert.AreEqual(1000L, metrics.MqttClients);
    }

    [TestMethod]
    public void Since_TwoReadings_DifferencesOfCountersLatestGauges()
    {
        EdgeCounterFigures delta = EdgeMetrics.Parse(After).Since(EdgeMetrics.Parse(Before));

        Assert.AreEqual(1_499_900L, delta.Accepted);
        Assert.AreEqual(10L, delta.Refused);
        Assert.AreEqual(3L, delta.RefusedByReason["malformed"]);
        Assert.AreEqual(7L, delta.RefusedByReason["unknown-device"]);
        Assert.AreEqual(3L, delta.Duplicates);
        Assert.AreEqual(0L, delta.Gaps);
        Assert.AreEqual(1_499_980L, delta.LogCommitted);
        Assert.AreEqual(3000L, delta.LogBatches);
        Assert.AreEqual(80L, delta.CommandsSent);
        Assert.AreEqual(2L, delta.CommandRetries);
        Assert.AreEqual(1000L, delta.MqttClients);
    }
}
