namespace SmartCommunity.Edge.Tests.Http;

using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Devices;

/// <summary>/metrics over a real socket, read by a strict parser of the Prometheus text format.</summary>
[TestClass]
public sealed class MetricsEndpointTests
{
    [TestMethod]
    public async Task GetMetrics_AfterAFireRelease_ValidExpositionWithReleaseLatencyAndLatch()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        await using VirtualBuilding community = await EdgeRig.StartCommunityAsync(edge);
        await EdgeRig.WaitUntilEnergisedAsync(EdgeRig.Doors(community, DemoLayout.AlarmBuildingDoors), "b1 doors have read the clear state");
        await EdgeRig.RaiseAlarmInAlarmBuildingAsync(edge, community);
        await Eventually.WaitUntilAsync(
            () => DemoLayout.AlarmBuildingDoors.All(d => EdgeRig.AcksFrom(edge, d, CommandNames.ResultDone).Count > 0),
            "every b1 door has acknowledged its release");
        using HttpClient http = EdgeRig.Http(edge);
        await http.GetAsync("/devices"); // one refused request, to be counted

        using HttpResponseMessage response = await http.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual("0.0.4", response.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "version").Value);
        PrometheusText metrics = PrometheusText.Parse(text);
        Assert.AreEqual("histogram", metrics.FamilyTypes["sc_edge_command_latency_seconds"]);
        Assert.IsGreaterThanOrEqualTo(3, metrics.Value("sc_edge_command_latency_seconds_count", ("command", "release")), text);
        Assert.IsGreaterThan(0, metrics.Value("sc_edge_command_latency_seconds_sum", ("command", "release")));
        Assert.AreEqual(1, metrics.Value("sc_edge_fire_latched", ("building", "b1")));
        Assert.AreEqual(0, metrics.Value("sc_edge_fire_latched", ("building", "b2")));
        Assert.IsGreaterThanOrEqualTo(3, metrics.Value("sc_edge_commands_settled_total", ("state", "done")));
        Assert.AreEqual(edge.Layout.Devices.Count, metrics.Value("sc_edge_devices", ("state", "online")));
        Assert.IsGreaterThan(0, metrics.Value("sc_edge_messages_accepted_total"));
        Assert.IsGreaterThan(0, metrics.Value("sc_edge_event_log_committed_total"));
        Assert.AreEqual(edge.Layout.Devices.Count, metrics.Value("sc_edge_mqtt_clients"));
        Assert.AreEqual(1, metrics.Value("sc_edge_http_unauthorized_total", ("reason", "missing")));
        Assert.AreEqual(1, metrics.Value("sc_edge_ready"));
        Assert.IsGreaterThan(0, metrics.Value("process_resident_memory_bytes"));
    }

    [TestMethod]
    public async Task GetMetrics_FreshEdge_EveryFamilyHasHelpAndTypeAndNoLabelledSeriesYet()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = EdgeRig.Http(edge);

        PrometheusText metrics = PrometheusText.Parse(await http.GetStringAsync("/metrics"));

        Assert.IsFalse(metrics.Named("sc_edge_command_latency_seconds_bucket").Any(), "no command has been acknowledged yet");
        Assert.IsFalse(metrics.Named("sc_edge_messages_refused_total").Any());
        Assert.AreEqual(0, metrics.Value("sc_edge_commands_sent_total"));
        Assert.AreEqual(0, metrics.Value("sc_edge_mqtt_clients"));
    }
}
