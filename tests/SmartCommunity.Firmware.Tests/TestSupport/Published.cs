namespace SmartCommunity.Firmware.Tests.TestSupport;

using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using SmartCommunity.Simulation.Hardware;

/// <summary>Reads what a device published to a <see cref="RecordingTransport"/>, parsing payloads with System.Text.Json.</summary>
internal static class Published
{
    public static JsonElement Json(PublishedMessage message) => Json(message.Payload);

    public static JsonElement Json(string payload)
    {
        using JsonDocument document = JsonDocument.Parse(payload);
        return document.RootElement.Clone();
    }

    public static List<JsonElement> On(RecordingTransport transport, string topic)
    {
        List<JsonElement> found = new List<JsonElement>();
        foreach (PublishedMessage message in transport.Messages)
        {
            if (message.Topic == topic)
            {
                found.Add(Json(message));
            }
        }

        return found;
    }

    /// <summary>The "event" names published on <paramref name="eventTopic"/>, in order.</summary>
    public static List<string> EventNames(RecordingTransport transport, string eventTopic)
    {
        List<string> names = new List<string>();
        foreach (JsonElement payload in On(transport, eventTopic))
        {
            names.Add(payload.GetProperty("event").GetString()!);
        }

        return names;
    }

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);
}
