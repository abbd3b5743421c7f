namespace SmartCommunity.Edge.Ingest;

using System;
using System.Buffers;
using System.Text;
using System.Text.Json;
using SmartCommunity.Protocol;

/// <summary>
/// Decodes what a device publishes. Anything that is not a well-formed v1 message on a device topic is
/// refused with a short reason (what is wrong and where), which the caller logs and counts; nothing here throws
/// on bad input.
/// </summary>
public static class DeviceMessageDecoder
{
    public static bool TryDecode(string topic, ReadOnlySequence<byte> payload, out DeviceMessage? message, out string reason)
    {
        message = null;
        string[] levels = topic.Split('/');
        if (levels.Length != 7 || levels[0] + "/" + levels[1] != Topics.Root)
        {
            reason = $"topic '{Truncate(topic)}' is not a device topic (sc/v1/site/building/kind/device/channel)";
            return false;
        }

        string channel = levels[6];
        if (channel is not (Channel.Telemetry or Channel.Event or Channel.State or Channel.Status or Channel.Ack))
        {
            reason = $"channel '{Truncate(channel)}' is not one a device publishes on (telemetry, event, state, status, ack)";
            return false;
        }

        for (int i = 2; i < 6; i++)
        {
            if (!Topics.IsValidLevel(levels[i]))
            {
                reason = $"topic level '{Truncate(levels[i])}' must be 1-32 characters of a-z, 0-9, '-' or '_'";
                return false;
            }
        }

        if (payload.Length > MessageLimits.MaxUplinkBytes)
        {
            reason = $"payload of {payload.Length} bytes exceeds the {MessageLimits.MaxUplinkBytes}-byte limit";
            return false;
        }

        byte[] bytes = payload.ToArray();

        // Checked before parsing: System.Text.Json leaves string contents unchecked until they are read, so a bad
        // byte inside "dev" threw out of GetString below, and the stored payload would have lost the byte
        // (found by fuzzing, hardware-docs/bad-input.md).
        int badByte = FirstInvalidUtf8(bytes);
        if (badByte >= 0)
        {
            reason = $"payload is not valid UTF-8 (byte {badByte}); devices publish JSON in UTF-8";
            return false;
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = PayloadReader.MaxDepth });
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            // The parser's message quotes the offending token, which can be the whole payload with its newlines:
            // keep the reason one short printable line for the log (found by fuzzing).
            reason = $"payload is not valid JSON ({Printable(ex.Message, 160)})";
            return false;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            reason = "payload must be a JSON object";
            return false;
        }

        if (!AllTextReadable(body))
        {
            reason = "payload has a \\u escape that is not valid Unicode (an unpaired surrogate \\uD800-\\uDFFF)";
            return false;
        }

        if (!TryInteger(body, "v", out long version) || version != ProtocolVersion.Current)
        {
            reason = $"\"v\" must be {ProtocolVersion.Current}";
            return false;
        }

        if (!body.TryGetProperty("dev", out var dev) || dev.ValueKind != JsonValueKind.String || dev.GetString() != levels[5])
        {
            reason = $"\"dev\" must equal the topic's device id '{levels[5]}'";
            return false;
        }

        // The Last Will is fixed at connect time and carries no sequence (protocol.md §3); every other message does.
        bool isWill = channel == Channel.Status && body.TryGetProperty("online", out var online) && online.ValueKind == JsonValueKind.False;
        long seq = 0, boot = 0, up = 0;
        if (!isWill && (!TryInteger(body, "seq", out seq) || seq <= 0 || !TryInteger(body, "boot", out boot) || boot <= 0
            || !TryInteger(body, "up", out up) || up < 0))
        {
            reason = "\"seq\" and \"boot\" (positive) and \"up\" (not negative) are required whole numbers";
            return false;
        }

        string? eventName = null;
        if (channel == Channel.Event)
        {
            if (!body.TryGetProperty("event", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(name.GetString()))
            {
                reason = "an event needs a non-empty \"event\" name";
                return false;
            }

            eventName = name.GetString();
        }

        message = new DeviceMessage(topic, levels[2], levels[3], levels[4], levels[5], channel, seq, boot, up, eventName, body, Encoding.UTF8.GetString(bytes));
        reason = "";
        return true;
    }

    private static bool TryInteger(JsonElement body, string name, out long value)
    {
        value = 0;
        return body.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }

    // An escaped lone surrogate ("\uD800") passes the parser but throws when the name or string is read, here or
    // in whatever reads that field later (rules, twins); so every name and string is read once now (found by fuzzing).
    private static bool AllTextReadable(JsonElement element)
    {
        try
        {
            ReadAllText(element);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // Recursion is bounded by the parser's MaxDepth.
    private static void ReadAllText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    _ = property.Name;
                    ReadAllText(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    ReadAllText(item);
                }

                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }

    private static int FirstInvalidUtf8(byte[] bytes)
    {
        int index = 0;
        while (index < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes.AsSpan(index), out _, out int consumed) != OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return -1;
    }

    private static string Printable(string text, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        foreach (char c in text)
        {
            if (builder.Length == maxLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD' ? '?' : c);
        }

        return builder.ToString();
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
