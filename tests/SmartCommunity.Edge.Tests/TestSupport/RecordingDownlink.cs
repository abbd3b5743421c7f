namespace SmartCommunity.Edge.Tests.TestSupport;

using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using SmartCommunity.Edge.Broker;
using SmartCommunity.Protocol;

/// <summary>Our own downlink seam, recording what the edge would publish to devices.</summary>
internal sealed class RecordingDownlink : IDownlink
{
    private readonly ConcurrentQueue<Downlinked> _published = new();

    public IReadOnlyList<Downlinked> Published => _published.ToArray();

    public Task PublishAsync(string topic, byte[] payload, bool retain)
    {
        _published.Enqueue(new Downlinked(topic, payload, retain));
        return Task.CompletedTask;
    }

    /// <summary>Command payloads sent to one device, in order.</summary>
    public IReadOnlyList<JsonElement> CommandsTo(string site, string building, string kind, string deviceId)
    {
        string topic = Topics.Device(site, building, kind, deviceId, Channel.Command);
        return Published.Where(p => p.Topic == topic).Select(p => p.Json).ToList();
    }

    /// <summary>Every command payload, whoever it went to.</summary>
    public IReadOnlyList<Downlinked> Commands => Published.Where(p => p.Topic.EndsWith("/" + Channel.Command, System.StringComparison.Ordinal)).ToList();
}

internal sealed record Downlinked(string Topic, byte[] Payload, bool Retain)
{
    public JsonElement Json
    {
        get
        {
            using JsonDocument document = JsonDocument.Parse(Payload);
            return document.RootElement.Clone();
        }
    }
}
