namespace SmartCommunity.Edge.Tests.Security;

using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;
using MQTTnet.Protocol;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Registry;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>
/// The embedded broker's TLS listener, device authentication, ACL and limits, from real MQTT clients over TLS on
/// loopback against a real registry (hardware-docs/security.md).
/// </summary>
[TestClass]
public sealed class BrokerSecurityTests
{
    private const string Smoke = DemoLayout.FirstFloorSmoke;
    private const string SmokeTopic = "sc/v1/riverside/b1/smoke/b1-f1-smoke";
    private const string OtherSmoke = DemoLayout.LobbySmoke;

    [TestMethod]
    public async Task FirstStart_BuildingCaAndServerCertificate_MadeWithOwnerOnlyKeysAndTheConfiguredNames()
    {
        using var data = new TempFolder();
        await using (EdgeHost edge = await SecureEdge.StartAsync(data))
        {
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, SecureEdge.ModeOf(data, BuildingCertificates.CaKeyFile));
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, SecureEdge.ModeOf(data, BuildingCertificates.ServerKeyFile));
        }

        using X509Certificate2 ca = SecureEdge.BuildingCa(data);
        using X509Certificate2 server = X509CertificateLoader.LoadCertificateFromFile(data.File(BuildingCertificates.ServerCertificateFile));
        Assert.IsTrue(SecureEdge.ChainsTo(server, ca));
        Assert.IsTrue(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);

        BuildingCertificates again = BuildingCertificates.LoadOrCreate(data.Path, new BrokerTlsOptions { ServerNames = ["192.168.10.2", "edge.b1.local"] }, "riverside", DateTimeOffset.UtcNow);
        var names = again.Server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        CollectionAssert.Contains(names.EnumerateIPAddresses().ToList(), IPAddress.Parse("192.168.10.2"));
        CollectionAssert.Contains(names.EnumerateDnsNames().ToList(), "edge.b1.local");
        Assert.IsTrue(SecureEdge.ChainsTo(again.Server, ca), "a renewed server certificate is signed by the same CA, so devices need nothing new");
    }

    [TestMethod]
    public async Task Connect_DeviceTrustingTheBuildingCaWithItsCredentials_ConnectsAndPublishes()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await SecureEdge.StartAsync(data);
        DeviceSecrets secrets = (await edge.Registry.IssueCredentialsAsync(Smoke, "test"))!;
        using X509Certificate2 ca = SecureEdge.BuildingCa(data);

        (IMqttClient client, MqttClientConnectResult result) = await SecureEdge.ConnectAsync(edge, ca, Smoke, Smoke, secrets.MqttPassword);
        using IMqttClient device = client;

        Assert.AreEqual(MqttClientConnectResultCode.Success, result.ResultCode);
        MqttClientPublishResult published = await PublishAsync(device, SmokeTopic + "/event", Event(Smoke, 1));
        Assert.IsTrue(published.IsSuccess, published.ReasonCode.ToString());
        Assert.AreEqual(1L, edge.Counters.Accepted);
    }

    [TestMethod]
    public async Task Connect_ClientTrustingAnotherCa_RejectsTheServerCertificate()
    {
        using var data = new TempFolder();
        using var otherData = new TempFolder();
        await using EdgeHost edge = await SecureEdge.StartAsync(data);
        BuildingCertificates.LoadOrCreate(otherData.Path, new BrokerTlsOptions(), "elsewhere", DateTimeOffset.UtcNow);
        using X509Certificate2 otherCa = SecureEdge.BuildingCa(otherData);
        DeviceSecrets secrets = (await edge.Registry.IssueCredentialsAsync(Smoke, "test"))!;

        await Assert.ThrowsAsync<Exception>(() => SecureEdge.ConnectAsync(edge, otherCa, Smoke, Smoke, secrets.MqttPassword), "the TLS handshake fails on the client's side");
        Assert.AreEqual(0L, edge.Counters.Accepted);
    }

    [TestMethod]
    public async Task Connect_WithoutCredentials_RefusedAndCounted()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await SecureEdge.StartAsync(data);
        using X509Certificate2 ca = SecureEdge.BuildingCa(data);

        (IMqttClient unprovisioned, MqttClientConnectResult never) = await SecureEdge.ConnectAsync(edge, ca, Smoke);
        await edge.Registry.IssueCredentialsAsync(OtherSmoke, "test");
        (IMqttClient silent, MqttClientConnectResult noPassword) = await SecureEdge.ConnectAsync(edge, ca, OtherSmoke);
        unprovisioned.Dispose();
        silent.Dispose();

        Assert.AreEqual(MqttClientConnectResultCode.NotAuthorized, never.ResultCode);
        Assert.AreEqual(MqttClientConnectResultCode.NotAuthorized, noPassword.ResultCode);
        Assert.AreEqual(2L, edge.Counters.RefusedByReason["connect-no-credentials"]);
    }

    [TestMethod]
    public async Task Connect_WrongPassword_RefusedAndCounted()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await SecureEdge.StartAsync(data);
        await edge.Registry.IssueCredentialsAsync(Smoke, "test");
        using X509Certificate2 ca = SecureEdge.BuildingCa(data);

        (IMqttClient client, MqttClientConnectResult result) = await SecureEdge.ConnectAsync(edge, ca, Smoke, Smoke, "not-the-password");
        client.Dispose();

        Assert.AreEqual(MqttClientConnectResultCode.BadUserNameOrPassword, result.ResultCode);
        Assert.AreEqual(1L, edge.Counters.RefusedByReason["connect-bad-password"]);
    }

    [TestMethod]
    public async Task Connect_ClientIdOfAnotherDeviceWithOwnCredentials_RefusedAndCounted()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await SecureEdge.StartAsync(data);
        DeviceSecrets mine = (await edge.Registry.IssueCredentialsAsync(Smoke, "test"))!;
        await edge.Registry.IssueCredentialsAsync(OtherSmoke, "test");
        using X509Certificate2 ca = SecureEdge.BuildingCa(data);

        (IMqttClient client, MqttClientConnectResult result) = await SecureEdge.ConnectAsync(edge, ca, OtherSmoke, Smoke, mine.MqttPassword);
        client.Dispose();

        Assert.AreEqual(MqttClientConnectResultCode.BadUserNameOrPassword, result.ResultCode);
        Assert.AreEqual(1L, edge.Counters.RefusedByReason["connect-client-id-mismatch"]);
    }

    [TestMethod]
    public async Task Connect_DeviceWithCredentialsOnTheDevelopmentListenerWithoutThem_Refused()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await SecureEdge.StartAsync(data, allowUnprovisionedOnLoopback: true);
        await edge.Registry.IssueCredentialsAsync(Smoke, "test");

        using IMqttClient provisioned = await EdgeRig.ConnectRawAsync(edge, Smoke);
        using IMqttClient unprovisioned = await EdgeRig.ConnectRawAsync(edge, OtherSmoke);

        Assert.IsFalse(provisioned.IsConnected, "a device with issued credentials must present them, even on loopback");
        Assert.IsTrue(unprovisioned.IsConnected, "the development exception: a device with none issued may connect on loopback");
        Assert.AreEqual(1L, edge.Counters.RefusedByReason["connect-no-credentials"]);
    }

    [TestMethod]
    public async Task Publish_UnderAnotherDevicesTopic_RefusedAndCounted()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await SecureEdge.StartAsync(data);
        using IMqttClient device = await ProvisionedAsync(edge, data, Smoke);

        MqttClientPublishResult result = await PublishAsync(device, "sc/v1/riverside/b1/smoke/b1-lobby-smoke/event", Event(OtherSmoke, 1));

        Assert.AreEqual(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        Assert.AreEqual(1L, edge.Counters.RefusedByReason["not-own-topic"]);
        Assert.IsFalse(edge.FireRule.IsLatched("b1"), "an alarm in another device's name is not believed");
        Assert.AreEqual(0L, edge.Counters.Accepted);
    }

    [TestMethod]
    public async Task Subscribe_AnotherDevicesCommandTopic_RefusedOwnTopicsGranted()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await SecureEdge.StartAsync(data);
        using IMqttClient device = await ProvisionedAsync(edge, data, Smoke);

        MqttClientSubscribeResult result = await device.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("sc/v1/riverside/b1/door/b1-lobby-entrance/cmd", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("sc/v1/riverside/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(SmokeTopic + "/cmd", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("sc/v1/riverside/b1/fire", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

        var codes = result.Items.Select(i => i.ResultCode).ToList();
        Assert.AreEqual(MqttClientSubscribeResultCode.NotAuthorized, codes[0]);
        Assert.AreEqual(MqttClientSubscribeResultCode.NotAuthorized, codes[1]);
        Assert.AreEqual(MqttClientSubscribeResultCode.GrantedQoS1, codes[2]);
        Assert.AreEqual(MqttClientSubscribeResultCode.GrantedQoS1, codes[3]);
        Assert.AreEqual(2L, edge.Counters.RefusedByReason["subscribe-not-allowed"]);
    }

    [TestMethod]
    public async Task Publish_OversizedPayload_RefusedBeforeDecodingAndCounted()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await SecureEdge.StartAsync(data);
        using IMqttClient device = await ProvisionedAsync(edge, data, Smoke);
        string padded = Event(Smoke, 1).TrimEnd('}') + ",\"pad\":\"" + new string('x', 600) + "\"}";

        MqttClientPublishResult result = await PublishAsync(device, SmokeTopic + "/event", padded);

        Assert.AreEqual(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        Assert.AreEqual(1L, edge.Counters.RefusedByReason["oversized"]);
        Assert.IsTrue(device.IsConnected);
    }

    [TestMethod]
    public async Task Publish_FloodBeyondTheDevicesRate_ExcessRefusedAndCounted()
    {
        using var data = new TempFolder();

        // A bucket of 3 that refills once in ~17 minutes: the count is exact whatever the test machine's speed.
        await using EdgeHost edge = await SecureEdge.StartAsync(data, new BrokerLimits { MessagesPerSecond = 0.001, MessageBurst = 3 });
        using IMqttClient device = await ProvisionedAsync(edge, data, Smoke);

        int refused = 0;
        for (int seq = 1; seq <= 10; seq++)
        {
            MqttClientPublishResult result = await PublishAsync(device, SmokeTopic + "/event", Event(Smoke, seq));
            refused += result.ReasonCode == MqttClientPublishReasonCode.QuotaExceeded ? 1 : 0;
        }

        Assert.AreEqual(7, refused);
        Assert.AreEqual(7L, edge.Counters.RefusedByReason["message-rate"]);
        Assert.AreEqual(3L, edge.Counters.Accepted);
    }

    [TestMethod]
    public async Task Connect_MoreAttemptsAMinuteThanAllowed_ExcessRefusedAndCounted()
    {
        using var data = new TempFolder();
        await using EdgeHost edge = await SecureEdge.StartAsync(data, new BrokerLimits { ConnectsPerMinutePerAddress = 2 });
        await edge.Registry.IssueCredentialsAsync(Smoke, "test");
        using X509Certificate2 ca = SecureEdge.BuildingCa(data);

        var results = new System.Collections.Generic.List<MqttClientConnectResultCode>();
        for (int i = 0; i < 4; i++)
        {
            (IMqttClient client, MqttClientConnectResult result) = await SecureEdge.ConnectAsync(edge, ca, Smoke, Smoke, "wrong");
            client.Dispose();
            results.Add(result.ResultCode);
        }

        CollectionAssert.AreEqual(
            new[] { MqttClientConnectResultCode.BadUserNameOrPassword, MqttClientConnectResultCode.BadUserNameOrPassword, MqttClientConnectResultCode.ConnectionRateExceeded, MqttClientConnectResultCode.ConnectionRateExceeded },
            results);
        Assert.AreEqual(2L, edge.Counters.RefusedByReason["connect-rate"]);
    }

    [TestMethod]
    public async Task Start_PlainListenerOnANetworkAddress_RefusedWithWhatToDoInstead()
    {
        using var data = new TempFolder();

        var error = await Assert.ThrowsAsync<BrokerConfigurationException>(() => EdgeHost.StartAsync(
            new EdgeOptions { LayoutPath = DemoLayout.Path, DataDirectory = data.Path, MqttAddress = IPAddress.Any, MqttPort = 0, HttpPort = 0 },
            NullLoggerFactory.Instance, TimeProvider.System));

        StringAssert.Contains(error.Message, "loopback");
        StringAssert.Contains(error.Message, "--mqtts-bind");
    }

    private static async Task<IMqttClient> ProvisionedAsync(EdgeHost edge, TempFolder data, string id)
    {
        DeviceSecrets secrets = (await edge.Registry.IssueCredentialsAsync(id, "test"))!;
        using X509Certificate2 ca = SecureEdge.BuildingCa(data);
        (IMqttClient client, MqttClientConnectResult result) = await SecureEdge.ConnectAsync(edge, ca, id, id, secrets.MqttPassword);
        Assert.AreEqual(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    private static string Event(string device, int seq) =>
        $$"""{"v":1,"dev":"{{device}}","seq":{{seq}},"boot":1,"up":{{seq * 100}},"event":"self-test-report","state":"normal","level":10}""";
}
