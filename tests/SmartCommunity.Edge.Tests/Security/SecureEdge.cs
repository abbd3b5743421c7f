namespace SmartCommunity.Edge.Tests.Security;

using System;
using System.IO;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Edge.Tests.TestSupport;

/// <summary>An edge with its TLS listener on loopback and no development exception, and TLS clients for it.</summary>
internal static class SecureEdge
{
    public static Task<EdgeHost> StartAsync(TempFolder data, BrokerLimits? limits = null, bool allowUnprovisionedOnLoopback = false) =>
        EdgeHost.StartAsync(
            new EdgeOptions
            {
                LayoutPath = DemoLayout.Path, DataDirectory = data.Path, MqttPort = 0, HttpPort = 0,
                BrokerSecurity = new BrokerSecurityOptions
                {
                    Tls = new BrokerTlsOptions { Address = IPAddress.Loopback, Port = 0 },
                    AllowUnprovisionedOnLoopback = allowUnprovisionedOnLoopback,
                    Limits = limits ?? new BrokerLimits(),
                },
            },
            NullLoggerFactory.Instance,
            TimeProvider.System);

    public static X509Certificate2 BuildingCa(TempFolder data) => X509CertificateLoader.LoadCertificateFromFile(BuildingCertificates.CaPathIn(data.Path));

    /// <summary>An MQTT 5 client over TLS to the edge, trusting only <paramref name="trusted"/> as root.</summary>
    public static async Task<(IMqttClient Client, MqttClientConnectResult Result)> ConnectAsync(
        EdgeHost edge, X509Certificate2 trusted, string clientId, string? user = null, string? password = null)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", edge.Broker.TlsPort!.Value)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanSession(true)
            .WithTlsOptions(o => o.UseTls().WithTargetHost("localhost").WithCertificateValidationHandler(e => ChainsTo(e.Certificate, trusted)));
        if (user is not null)
        {
            builder = builder.WithCredentials(user, password);
        }

        MqttClientConnectResult result = await client.ConnectAsync(builder.Build());
        return (client, result);
    }

    /// <summary>What a device does: the server's certificate must chain to the CA it was given, and nothing else.</summary>
    public static bool ChainsTo(X509Certificate presented, X509Certificate2 trusted)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented);
        return chain.Build(certificate);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static UnixFileMode ModeOf(TempFolder data, string file) => File.GetUnixFileMode(Path.Combine(data.Path, file));
}
