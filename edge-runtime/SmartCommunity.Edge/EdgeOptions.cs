namespace SmartCommunity.Edge;

using System;
using System.Net;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Relays;
using SmartCommunity.Edge.Storage;

/// <summary>Where the edge keeps its data and listens. Defaults are the embedded, loopback-only setup.</summary>
public sealed class EdgeOptions
{
    public required string LayoutPath { get; init; }

    /// <summary>Folder for the SQLite event log (edge.db).</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>The plain (no TLS) MQTT listener: loopback only; the edge refuses to start with another address.</summary>
    public IPAddress MqttAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The plain listener's port; 0 picks a free port (tests, the demo).</summary>
    public int MqttPort { get; init; } = 1883;

    /// <summary>The HTTP API always listens on loopback; 0 picks a free port.</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>The TLS listener, device authentication, ACL and limits (hardware-docs/security.md).</summary>
    public Broker.BrokerSecurityOptions BrokerSecurity { get; init; } = new();

    public CommandOptions Commands { get; init; } = new();

    /// <summary>The rules file (hardware-docs/rules.md); null = no rules of the file, the built-in fire rule still runs.</summary>
    public string? RulesPath { get; init; }

    /// <summary>How often rule timers are checked and saved and the rules file looked at.</summary>
    public Rules.RuleEngineOptions RuleEngine { get; init; } = new();

    /// <summary>How often changed twins are written and silent devices looked for.</summary>
    public TimeSpan TwinPassInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How much history the event log keeps: by age and by disk budget (edge-runtime/README.md, "Event log").</summary>
    public RetentionOptions Retention { get; init; } = new();

    /// <summary>Store-and-forward relays to backends (sc-edge run --relays FILE); null or no relays = relaying off.</summary>
    public RelayConfiguration? Relays { get; init; }

    /// <summary>
    /// Serial devices by M-Bus bus id that replace the layout's <c>port</c> (the simulator serves virtual meters on
    /// pseudo-terminals whose paths are known only at run time); null or a bus left out: the layout's port.
    /// </summary>
    public System.Collections.Generic.IReadOnlyDictionary<string, string>? MBusPorts { get; init; }
}
