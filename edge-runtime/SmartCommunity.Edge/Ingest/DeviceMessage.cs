namespace SmartCommunity.Edge.Ingest;

using System.Text.Json;

/// <summary>A message from a device, decoded and checked against protocol v1 (hardware-docs/protocol.md §1–3).</summary>
public sealed record DeviceMessage(
    string Topic,
    string Site,
    string Building,
    string Kind,
    string DeviceId,
    string Channel,
    long Sequence,
    long Boot,
    long UptimeMs,
    string? EventName,
    JsonElement Body,
    string Payload)
{
    /// <summary>For status messages: the online flag (the Last Will says false).</summary>
    public bool? Online => Body.TryGetProperty("online", out var online) && online.ValueKind is JsonValueKind.True or JsonValueKind.False
        ? online.GetBoolean()
        : null;

    public string? StringField(string name) =>
        Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
