namespace SmartCommunity.Simulator.Load;

using System;
using System.Globalization;
using System.Net;

/// <summary>
/// Where an already running edge listens, as given to <c>--edge HOST:MQTTPORT[,HTTPPORT]</c>. Only loopback hosts
/// are accepted: a load run floods its target, and the only edge it may flood is one on this machine.
/// </summary>
public sealed record EdgeAddress(string Host, int MqttPort, int HttpPort)
{
    /// <summary>sc-edge's default API port (edge-runtime/README.md, "API").</summary>
    public const int DefaultHttpPort = 8080;

    public Uri HttpBase => new($"http://{(Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{HttpPort}");

    public override string ToString() => $"{(Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{MqttPort},{HttpPort}";

    /// <summary>
    /// Parses <c>127.0.0.1:1883</c>, <c>127.0.0.1:1883,8080</c>, <c>localhost:1883</c> or <c>[::1]:1883,8080</c>.
    /// <c>localhost</c> becomes 127.0.0.1 (the edge binds IPv4 loopback by default); any host that is not a loopback
    /// address is refused without a name lookup.
    /// </summary>
    public static bool TryParse(string text, out EdgeAddress? address, out string error)
    {
        address = null;
        string value = text.Trim();
        string mqttPart = value;
        int httpPort = DefaultHttpPort;
        int comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            mqttPart = value[..comma];
            if (!TryPort(value[(comma + 1)..], out httpPort))
            {
                error = $"--edge '{text}': the HTTP port after the comma must be a number 1-65535, e.g. 127.0.0.1:1883,8080";
                return false;
            }
        }

        string host;
        string port;
        if (mqttPart.StartsWith('['))
        {
            int close = mqttPart.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= mqttPart.Length || mqttPart[close + 1] != ':')
            {
                error = $"--edge '{text}': write an IPv6 host as [::1]:PORT";
                return false;
            }

            host = mqttPart[1..close];
            port = mqttPart[(close + 2)..];
        }
        else
        {
            int colon = mqttPart.LastIndexOf(':');
            if (colon <= 0)
            {
                error = $"--edge '{text}': expected HOST:MQTTPORT[,HTTPPORT], e.g. 127.0.0.1:1883,8080";
                return false;
            }

            host = mqttPart[..colon];
            port = mqttPart[(colon + 1)..];
        }

        if (!TryPort(port, out int mqttPort))
        {
            error = $"--edge '{text}': the MQTT port must be a number 1-65535";
            return false;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            host = "127.0.0.1";
        }
        else if (!IPAddress.TryParse(host, out IPAddress? ip) || !IPAddress.IsLoopback(ip))
        {
            error = $"--edge '{text}': '{host}' is not a loopback address. sc-sim load only loads an edge on this machine "
                + "(127.0.0.0/8, ::1 or localhost); run it on the edge's own machine instead";
            return false;
        }

        address = new EdgeAddress(host, mqttPort, httpPort);
        error = "";
        return true;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
