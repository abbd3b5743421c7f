namespace SmartCommunity.Simulator.Scenarios.Running;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Devices;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// What crossed the devices' edge during a run, as the runner saw it: every message handed to a device's firmware
/// (commands, fire states), every message a device sent and the broker took, and each change of a device's outputs (a
/// door's lock, a sounder, an indicator, a valve's drives), with the virtual time and the real time. Expectations read it; nothing here touches the edge.
/// </summary>
public sealed class ScenarioRecorder
{
    private readonly object _gate = new();
    private readonly List<DeviceDelivery> _deliveries = [];
    private readonly List<DeviceReport> _reports = [];
    private readonly Dictionary<(string Device, string Pin), OutputChange> _outputs = new();

    public IReadOnlyList<DeviceDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return _deliveries.ToList();
            }
        }
    }

    public IReadOnlyList<DeviceReport> Reports
    {
        get
        {
            lock (_gate)
            {
                return _reports.ToList();
            }
        }
    }

    /// <summary>Commands that reached <paramref name="device"/>'s firmware at or after <paramref name="since"/>.</summary>
    public IReadOnlyList<DeviceDelivery> CommandsTo(string device, TimeSpan since)
    {
        lock (_gate)
        {
            return _deliveries.Where(d => d.Device == device && d.Command is not null && d.At >= since).ToList();
        }
    }

    public IReadOnlyList<DeviceReport> ReportsFrom(string device, TimeSpan since)
    {
        lock (_gate)
        {
            return _reports.Where(r => r.Device == device && r.At >= since).ToList();
        }
    }

    /// <summary>
    /// The id of the last call an emergency call point raised (its last <c>call</c> or <c>welfare</c> event), or null when
    /// it raised none: what a person answering "the call" means.
    /// </summary>
    public string? LastCallId(string device)
    {
        lock (_gate)
        {
            for (int i = _reports.Count - 1; i >= 0; i--)
            {
                DeviceReport report = _reports[i];
                if (report.Device == device && !report.Raw && report.EventName is "call" or "welfare" && report.Body is { } body && FieldText(body, "call") is { Length: > 0 } id)
                {
                    return id;
                }
            }

            return null;
        }
    }

    /// <summary>The last change of the device's output <paramref name="pin"/>, if it changed during the run.</summary>
    public OutputChange? LastOutputChange(string device, string pin)
    {
        lock (_gate)
        {
            return _outputs.GetValueOrDefault((device, pin));
        }
    }

    internal void Delivered(TimeSpan at, string device, string topic, byte[] payload)
    {
        string channel = topic[(topic.LastIndexOf('/') + 1)..];
        string? command = null, id = null;
        if (channel == Channel.Command && TryParse(payload, out JsonElement body))
        {
            command = Text(body, "cmd");
            id = Text(body, "id");
        }

        lock (_gate)
        {
            _deliveries.Add(new DeviceDelivery(at, System.Diagnostics.Stopwatch.GetTimestamp(), device, topic, channel, command, id));
        }
    }

    internal void Sent(TimeSpan at, string device, SentMessage message, bool raw)
    {
        string channel = message.Topic[(message.Topic.LastIndexOf('/') + 1)..];
        JsonElement? body = TryParse(message.Payload, out JsonElement parsed) ? parsed : null;
        string? name = body is { } b ? Text(b, "event") : null;
        lock (_gate)
        {
            _reports.Add(new DeviceReport(at, message.SentTimestamp, device, message.Topic, channel, name, body, raw));
        }
    }

    internal void TrackOutput(TimeSpan at, VirtualDevice device)
    {
        foreach ((string pin, SimulatedOutput output) in device.Outputs)
        {
            bool energised = output.Energised;
            lock (_gate)
            {
                (string, string) key = (device.Definition.Id, pin);
                if (!_outputs.TryGetValue(key, out OutputChange? last) || last.Energised != energised)
                {
                    _outputs[key] = new OutputChange(at, System.Diagnostics.Stopwatch.GetTimestamp(), energised);
                }
            }
        }
    }

    private static bool TryParse(byte[] payload, out JsonElement body)
    {
        body = default;
        try
        {
            using JsonDocument document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            body = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Text(JsonElement body, string field) =>
        body.TryGetProperty(field, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A top-level field as text for comparisons: strings as they are, numbers and true/false as written.</summary>
    public static string? FieldText(JsonElement body, string field) =>
        !body.TryGetProperty(field, out JsonElement value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? value.GetRawText()
        : null;

    internal static string Describe(byte[] payload) => Encoding.UTF8.GetString(payload, 0, Math.Min(payload.Length, 80));
}

/// <summary>A message handed to a device's firmware: a command (with its name and id) or another downlink (fire state).</summary>
public sealed record DeviceDelivery(TimeSpan At, long RealTimestamp, string Device, string Topic, string Channel, string? Command, string? CommandId);

/// <summary>A message a device sent that the broker took; <see cref="Raw"/> for bytes a publish-raw step injected.</summary>
public sealed record DeviceReport(TimeSpan At, long RealTimestamp, string Device, string Topic, string Channel, string? EventName, JsonElement? Body, bool Raw);

/// <summary>An output reaching a level.</summary>
public sealed record OutputChange(TimeSpan At, long RealTimestamp, bool Energised);
