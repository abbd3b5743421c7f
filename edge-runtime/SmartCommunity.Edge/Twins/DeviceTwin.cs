namespace SmartCommunity.Edge.Twins;

using System;
using SmartCommunity.Edge.Ingest;
using SmartCommunity.Edge.Layout;

/// <summary>
/// The edge's picture of one device: online or not, last state, where its sequence numbers stand, and how many
/// messages went missing or came twice (hardware-docs/protocol.md §3). Updated only by <see cref="TwinRegistry"/>.
/// </summary>
public sealed class DeviceTwin(DeviceDefinition definition)
{
    internal readonly object Gate = new();

    public DeviceDefinition Definition { get; internal set; } = definition;

    public bool Online { get; internal set; }

    public long Boot { get; internal set; }

    public long LastSequence { get; internal set; }

    /// <summary>Device uptime in its last message, and when (edge time) that message arrived: the command expiry base.</summary>
    public long LastUptimeMs { get; internal set; }

    public DateTimeOffset? LastSeen { get; internal set; }

    public DateTimeOffset? LastEventAt { get; internal set; }

    public long Gaps { get; internal set; }

    public long Duplicates { get; internal set; }

    public string? LastState { get; internal set; }

    public string? FirmwareVersion { get; internal set; }

    /// <summary>Why the twin is offline: "will" (the broker said so), "silent" (no message within its heartbeat allowance), or null.</summary>
    public string? OfflineReason { get; internal set; }

    /// <summary>Doors: the allow-list version the edge wants this controller to hold (set by access control); null when it has none.</summary>
    public long? ListTarget { get; internal set; }

    /// <summary>
    /// How long the device may stay quiet before the edge calls it silent: three of its heartbeats (parameter
    /// heartbeatMs, default 30 s) and a margin for a slow network.
    /// </summary>
    public TimeSpan SilentAfter => TimeSpan.FromMilliseconds((3 * Definition.Parameter("heartbeatMs", 30_000)) + 5_000);

    public TwinSnapshot Snapshot()
    {
        lock (Gate)
        {
            return new TwinSnapshot(Definition.Id, Definition.Kind, Definition.Role, Definition.Building, Definition.Floor, Definition.Zone,
                Online, Boot, LastSequence, Gaps, Duplicates, LastSeen, LastEventAt, FirmwareVersion, LastState, OfflineReason,
                ReportedListVersion(LastState), ListTarget);
        }
    }

    // A door's state carries the allow-list version it holds ("listVersion", hardware-docs/access-control.md).
    private static long? ReportedListVersion(string? state)
    {
        if (state is null || !state.Contains("\"listVersion\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(state);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("listVersion", out var version)
                && version.ValueKind == System.Text.Json.JsonValueKind.Number && version.TryGetInt64(out long value)
                ? value
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

public sealed record TwinSnapshot(
    string Id,
    string Kind,
    string Role,
    string Building,
    string Floor,
    string Zone,
    bool Online,
    long Boot,
    long LastSequence,
    long Gaps,
    long Duplicates,
    DateTimeOffset? LastSeen,
    DateTimeOffset? LastEventAt,
    string? FirmwareVersion,
    string? LastState,
    string? OfflineReason = null,
    long? ListVersion = null,
    long? ListTarget = null);

/// <summary>What the registry concluded about one message's place in its device's sequence.</summary>
public enum SequenceVerdict
{
    InOrder,
    AfterGap,
    Duplicate,
    NewBoot,
    Will,
}
