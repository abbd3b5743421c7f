namespace SmartCommunity.Edge.Relays;

using System;
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SmartCommunity.Edge.Storage;

/// <summary>
/// One event-log row on its way to a backend. <see cref="Key"/> is the idempotency key a backend uses to drop the
/// duplicates that at-least-once delivery allows (edge-runtime/README.md, "Relays").
/// </summary>
public sealed record RelayMessage(
    long Id,
    string Key,
    string Edge,
    EventLane Lane,
    string At,
    string Site,
    string Building,
    string Source,
    string Channel,
    string? Name,
    long Sequence,
    long Boot,
    string Payload)
{
    /// <summary>
    /// A device message is identified by its device, boot and sequence (hardware-docs/protocol.md §3), which stay
    /// the same if the device sends it again; the edge's own records (commands, rule actions, a Last Will) carry
    /// sequence 0 and are identified by their event-log id instead, which is never reused.
    /// </summary>
    public static string KeyFor(string edge, long id, string source, long boot, long sequence) =>
        sequence > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{edge}:{source}:{boot}:{sequence}")
            : string.Create(CultureInfo.InvariantCulture, $"{edge}:edge:{id}");

    public static string LaneName(EventLane lane) => lane == EventLane.Priority ? "priority" : "bulk";

    /// <summary>
    /// The envelope, version 1: {v, key, edge, id, site, building, source, channel, name, seq, boot, at, lane, payload}
    /// where payload is the original JSON object as the device (or the edge) wrote it.
    /// </summary>
    public void WriteEnvelope(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("v", 1);
        writer.WriteString("key", Key);
        writer.WriteString("edge", Edge);
        writer.WriteNumber("id", Id);
        writer.WriteString("site", Site);
        writer.WriteString("building", Building);
        writer.WriteString("source", Source);
        writer.WriteString("channel", Channel);
        if (Name is null)
        {
            writer.WriteNull("name");
        }
        else
        {
            writer.WriteString("name", Name);
        }

        writer.WriteNumber("seq", Sequence);
        writer.WriteNumber("boot", Boot);
        writer.WriteString("at", At);
        writer.WriteString("lane", LaneName(Lane));
        writer.WritePropertyName("payload");
        if (IsJson(Payload))
        {
            writer.WriteRawValue(Payload, skipInputValidation: true);
        }
        else
        {
            // Every payload the edge stores is JSON today; should one ever not be, it travels as a string rather than
            // breaking the envelope.
            writer.WriteStringValue(Payload);
        }

        writer.WriteEndObject();
    }

    public byte[] ToEnvelope()
    {
        var buffer = new ArrayBufferWriter<byte>(Payload.Length + 320);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteEnvelope(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool IsJson(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
            reader.Read();
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
