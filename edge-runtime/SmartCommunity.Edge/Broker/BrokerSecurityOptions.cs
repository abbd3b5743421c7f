namespace SmartCommunity.Edge.Broker;

using System;
using System.Collections.Generic;
using System.Net;
using SmartCommunity.Protocol;

/// <summary>
/// How the embedded broker lets devices in (hardware-docs/security.md): the TLS listener devices use on the
/// building's network, whether devices without issued credentials may use the loopback development listener, and
/// the limits on connections and messages.
/// </summary>
public sealed class BrokerSecurityOptions
{
    /// <summary>The TLS listener; null = none (tests, the in-process demo: everything on the loopback listener).</summary>
    public BrokerTlsOptions? Tls { get; init; }

    /// <summary>
    /// Development only: on the plain loopback listener, a registered device with no credentials issued may connect
    /// without a password, and a client that is no device (a test watcher, a local tool) may connect to read. A device
    /// with issued credentials must present them everywhere. The library default is true (demo, simulator, tests);
    /// <c>sc-edge run</c> sets it to false unless <c>--dev</c> is given.
    /// </summary>
    public bool AllowUnprovisionedOnLoopback { get; init; } = true;

    public BrokerLimits Limits { get; init; } = new();
}

/// <summary>The TLS listener and its certificate (hardware-docs/security.md, "TLS").</summary>
public sealed class BrokerTlsOptions
{
    /// <summary>Where the TLS listener binds; any address (devices are on the building's network).</summary>
    public IPAddress Address { get; init; } = IPAddress.Any;

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = 8883;

    /// <summary>Host names and IP addresses devices use to reach the edge (the bundle's mqtt.host): the server certificate's names. localhost and 127.0.0.1 are always added.</summary>
    public IReadOnlyList<string> ServerNames { get; init; } = [];

    /// <summary>Your own server certificate (PEM); with <see cref="KeyPath"/>, replaces the certificate the edge makes.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The private key (PEM) of <see cref="CertificatePath"/>; must be readable by the service user only.</summary>
    public string? KeyPath { get; init; }

    /// <summary>With your own certificate: the CA certificate (PEM) devices must trust, for <c>sc-edge ca export</c>.</summary>
    public string? CaCertificatePath { get; init; }
}

/// <summary>Limits that protect the broker from a faulty or hostile client. A refusal is counted and logged (at most one line per reason every 10 s).</summary>
public sealed class BrokerLimits
{
    /// <summary>CONNECT attempts per source address per minute on the TLS listener; 0 = no limit.</summary>
    public int ConnectsPerMinutePerAddress { get; init; } = 30;

    /// <summary>Largest payload a client may publish (protocol §6); applies on every listener.</summary>
    public int MaxPayloadBytes { get; init; } = MessageLimits.MaxUplinkBytes;

    /// <summary>Sustained messages a second per device on the TLS listener (a token bucket); 0 = no limit.</summary>
    public double MessagesPerSecond { get; init; } = 10;

    /// <summary>How many messages a device may send at once before the sustained rate applies.</summary>
    public int MessageBurst { get; init; } = 50;

    /// <summary>Whether the connection and message rates also apply on the loopback listener (off: the simulator runs thousands of devices there from one address).</summary>
    public bool ApplyRatesOnLoopback { get; init; }

    public static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);
}
