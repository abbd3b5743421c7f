namespace SmartCommunity.Edge;

using System.Net;
using SmartCommunity.Edge.Commands;

/// <summary>Where the edge keeps its data and listens. Defaults are the embedded, loopback-only setup.</summary>
public sealed class EdgeOptions
{
    public required string LayoutPath { get; init; }

    /// <summary>Folder for the SQLite event log (edge.db).</summary>
    public string DataDirectory { get; init; } = "data";

    public IPAddress MqttAddress { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port (tests, the demo).</summary>
    public int MqttPort { get; init; } = 1883;

    /// <summary>The HTTP API always listens on loopback; 0 picks a free port.</summary>
    public int HttpPort { get; init; } = 8080;

    public CommandOptions Commands { get; init; } = new();
}
