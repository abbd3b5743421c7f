namespace SmartCommunity.Edge.Tests.Registry;

using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using SmartCommunity.Edge.Tests.Http;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>The registry over the real HTTP API and broker: a device added through the API is accepted at once, a retired one refused.</summary>
[TestClass]
public sealed class RegistryEndpointsTests
{
    private const string NewDoor = """{"kind":"door","role":"egress-lock","building":"b2","floor":"ground","zone":"lobby","pins":{"lock":23}}""";

    [TestMethod]
    public async Task PutDevice_NewDoor_ItsMessagesAreAcceptedAtOnce()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsRoleAsync(edge, SmartCommunity.Edge.Operators.OperatorRoles.Installer, "alice");

        using HttpResponseMessage saved = await http.PutAsync("/registry/devices/b2-side-door", Json(NewDoor));

        Assert.AreEqual(HttpStatusCode.OK, saved.StatusCode, await saved.Content.ReadAsStringAsync());
        using IMqttClient door = await EdgeRig.ConnectRawAsync(edge, "b2-side-door");
        var result = await door.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic("sc/v1/riverside/b2/door/b2-side-door/event")
            .WithPayload("""{"v":1,"dev":"b2-side-door","seq":1,"boot":1,"up":10,"event":"door-opened"}""")
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.IsTrue(result.IsSuccess);
        Assert.AreEqual(0L, edge.Counters.Refused);
        Assert.IsTrue(edge.EventLog.ReadRecent(10, "b2-side-door").Any(e => e.Name == "device-saved"));
        JsonElement listed = await http.GetFromJsonAsync<JsonElement>("/registry/devices/b2-side-door");
        Assert.AreEqual("api", listed.GetProperty("origin").GetString());
    }

    [TestMethod]
    public async Task DeleteDevice_LayoutDoor_RetiredAndItsMessagesRefused()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsRoleAsync(edge, SmartCommunity.Edge.Operators.OperatorRoles.Installer, "alice");

        using HttpResponseMessage retired = await http.DeleteAsync("/registry/devices/" + DemoLayout.LobbyEntrance);

        Assert.AreEqual(HttpStatusCode.NoContent, retired.StatusCode);
        using IMqttClient door = await EdgeRig.ConnectRawAsync(edge, DemoLayout.LobbyEntrance);
        await door.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"sc/v1/riverside/b1/door/{DemoLayout.LobbyEntrance}/event")
            .WithPayload($$"""{"v":1,"dev":"{{DemoLayout.LobbyEntrance}}","seq":1,"boot":1,"up":10,"event":"door-opened"}""")
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.AreEqual(1L, edge.Counters.RefusedByReason["unknown-device"]);
        Assert.AreEqual(HttpStatusCode.NotFound, (await http.DeleteAsync("/registry/devices/" + DemoLayout.LobbyEntrance)).StatusCode);
    }

    [TestMethod]
    public async Task PutDevice_UnknownBuildingAndRole_ProblemListsEachMistake()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsRoleAsync(edge, SmartCommunity.Edge.Operators.OperatorRoles.Installer, "alice");

        using HttpResponseMessage response = await http.PutAsync("/registry/devices/x1",
            Json("""{"kind":"door","role":"detector","building":"b9","floor":"ground","zone":"lobby"}"""));

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.AreEqual(2, problem.GetProperty("problems").GetArrayLength());
    }

    [TestMethod]
    public async Task PutDevice_SprinklerValve_KeptAcrossARestartAndNeverExercised()
    {
        using var data = new TempFolder();
        await using (EdgeHost edge = await EdgeRig.StartEdgeAsync(data))
        {
            using HttpClient http = await OperatorClient.AsRoleAsync(edge, SmartCommunity.Edge.Operators.OperatorRoles.Installer, "alice");
            using HttpResponseMessage saved = await http.PutAsync("/registry/devices/b2-sprinkler-main",
                Json("""{"kind":"leak","role":"valve","building":"b2","floor":"ground","zone":"lobby","unit":"plant room","feedsSprinklers":true}"""));
            Assert.AreEqual(HttpStatusCode.OK, saved.StatusCode, await saved.Content.ReadAsStringAsync());
        }

        await using EdgeHost restarted = await EdgeRig.StartEdgeAsync(data);
        var valve = restarted.Layout.DevicesById["b2-sprinkler-main"];
        Assert.IsTrue(valve.FeedsSprinklers, "the flag survives the registry's round trip through SQLite");
        Assert.AreEqual("plant room", valve.Unit);
        Assert.AreEqual(0L, valve.Parameter("exerciseIntervalMs", -1));
    }

    [TestMethod]
    public async Task PutDevice_SprinklerValveWithAProbeOrAnExercise_Refused()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsRoleAsync(edge, SmartCommunity.Edge.Operators.OperatorRoles.Installer, "alice");

        using HttpResponseMessage probe = await http.PutAsync("/registry/devices/v1",
            Json("""{"kind":"leak","role":"sensor-valve","building":"b2","floor":"ground","zone":"lobby","feedsSprinklers":true}"""));
        using HttpResponseMessage exercised = await http.PutAsync("/registry/devices/v2",
            Json("""{"kind":"leak","role":"valve","building":"b2","floor":"ground","zone":"lobby","feedsSprinklers":true,"params":{"exerciseIntervalMs":1000}}"""));

        Assert.AreEqual(HttpStatusCode.BadRequest, probe.StatusCode);
        StringAssert.Contains(await probe.Content.ReadAsStringAsync(), "must have role 'valve'");
        Assert.AreEqual(HttpStatusCode.BadRequest, exercised.StatusCode);
        StringAssert.Contains(await exercised.Content.ReadAsStringAsync(), "never exercised");
    }

    [TestMethod]
    public async Task PostCredentials_Door_ShownOnceAndVerifiable()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = await OperatorClient.AsRoleAsync(edge, SmartCommunity.Edge.Operators.OperatorRoles.Installer, "alice");

        using HttpResponseMessage response = await http.PostAsync($"/registry/devices/{DemoLayout.LobbyEntrance}/credentials", null);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.IsTrue(edge.Registry.VerifyPassword(DemoLayout.LobbyEntrance, body.GetProperty("mqttPassword").GetString()!));
        JsonElement listed = await http.GetFromJsonAsync<JsonElement>("/registry/devices/" + DemoLayout.LobbyEntrance);
        Assert.IsTrue(listed.GetProperty("hasCredentials").GetBoolean());
        Assert.IsFalse(listed.TryGetProperty("mqttPassword", out _), "never shown again");
    }

    [TestMethod]
    public async Task GetRegistry_WithoutToken_Unauthorized()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await EdgeRig.StartEdgeAsync(data);
        using HttpClient http = EdgeRig.Http(edge);

        using HttpResponseMessage response = await http.GetAsync("/registry/devices");

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
