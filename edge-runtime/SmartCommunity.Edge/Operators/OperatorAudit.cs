namespace SmartCommunity.Edge.Operators;

using System;
using System.Collections.Generic;
using System.Text.Json;
using SmartCommunity.Edge.Storage;

/// <summary>How operator actions go into the event log: channel "operator", priority lane, with who did it.</summary>
public static class OperatorAudit
{
    public const string Channel = "operator";

    /// <summary>
    /// An event-log record of an operator's action. <paramref name="source"/> is the device acted on, or "edge";
    /// <paramref name="details"/> is serialised beside <c>by</c>.
    /// </summary>
    public static EventRecord Record(DateTimeOffset at, string site, string building, string source, string action, string by, object details)
    {
        var payload = new Dictionary<string, object?> { ["by"] = by };
        using (JsonDocument document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(details)))
        {
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                payload[property.Name] = property.Value.Clone();
            }
        }

        return new EventRecord(at, site, building, source, Channel, action, 0, 0, JsonSerializer.Serialize(payload), EventLane.Priority);
    }
}
