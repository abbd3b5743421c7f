namespace SmartCommunity.Edge.Ingest;

using System;
using System.Buffers;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SmartCommunity.Edge.Commands;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Safety;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Edge.Twins;
using SmartCommunity.Protocol;

/// <summary>
/// What happens to each message a device publishes: decode, check it belongs to the sender, update the twin,
/// run the fire rule, append to the event log. The returned task completes when the message and everything the
/// rule did because of it are committed; the broker holds the PUBACK until then (hardware-docs/protocol.md §8).
/// </summary>
public sealed partial class IngestPipeline(
    BuildingLayout layout,
    TwinRegistry twins,
    FireRule fireRule,
    CommandPublisher commands,
    EventLog log,
    EdgeCounters counters,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>The rules of the rules file (hardware-docs/rules.md); they run beside the fire rule, never instead of it.</summary>
    public Rules.RuleEngine? Rules { get; init; }

    /// <summary>Emergency and welfare calls (hardware-docs/emergency-calls.md); the call point hears call-received only once its call is stored.</summary>
    public Calls.CallDesk? Calls { get; init; }

    /// <summary>Access control (hardware-docs/access-control.md): doors' access requests, decisions, allow-list versions and acks.</summary>
    public Access.AccessControl? Access { get; init; }

    /// <summary>Car parks (hardware-docs/parking.md): barriers' passages and entry requests.</summary>
    public Parking.ParkingControl? Parking { get; init; }

    /// <summary>Metering (hardware-docs/metering.md): pulse meter devices' readings, stored before the PUBACK.</summary>
    public Metering.MeterBook? Meters { get; init; }

    /// <summary>The outcome the broker acts on: accept (PUBACK after commit) or refuse (not forwarded).</summary>
    public async Task<IngestResult> AcceptAsync(string clientId, string topic, ReadOnlySequence<byte> payload)
    {
        if (!DeviceMessageDecoder.TryDecode(topic, payload, out DeviceMessage? message, out string reason))
        {
            return Refuse("malformed", clientId, topic, reason);
        }

        if (!layout.DevicesById.TryGetValue(message!.DeviceId, out DeviceDefinition? device) || twins.Find(device.Id) is not { } twin)
        {
            return Refuse("unknown-device", clientId, topic, $"device '{message.DeviceId}' is not in the layout; add it to the layout file or fix the device's configuration bundle");
        }

        if (clientId != device.Id)
        {
            return Refuse("not-own-topic", clientId, topic, $"client '{clientId}' may only publish under its own device topics");
        }

        if (message.Site != device.Site || message.Building != device.Building || message.Kind != device.Kind)
        {
            return Refuse("wrong-topic", clientId, topic,
                $"device '{device.Id}' is {device.Site}/{device.Building}/{device.Kind} in the layout, not {message.Site}/{message.Building}/{message.Kind}");
        }

        SequenceVerdict verdict = twins.Apply(twin, message, time.GetUtcNow());
        if (verdict == SequenceVerdict.Duplicate)
        {
            // Already accepted once (a QoS 1 redelivery): acknowledge again, record nothing twice.
            counters.CountDuplicate();
            return IngestResult.Accepted;
        }

        if (message.Channel == Channel.Ack)
        {
            commands.OnAck(message);
        }

        Task rule = fireRule.OnMessageAsync(message, device);
        Task rules = Rules?.OnMessageAsync(message, device) ?? Task.CompletedTask;
        Task calls = Calls?.OnMessageAsync(message, device) ?? Task.CompletedTask;
        Task access = Access?.OnMessageAsync(message, device) ?? Task.CompletedTask;
        Task parking = Parking?.OnMessageAsync(message, device) ?? Task.CompletedTask;
        Task meters = Meters?.OnMessageAsync(message, device) ?? Task.CompletedTask;
        Task logged = log.AppendAsync(new EventRecord(time.GetUtcNow(), device.Site, device.Building, device.Id, message.Channel,
            message.EventName ?? (message.Channel == Channel.Ack ? message.StringField("result") : null), message.Sequence, message.Boot, message.Payload,
            message.Channel is Channel.Event or Channel.Ack ? EventLane.Priority : EventLane.Bulk));
        try
        {
            await logged.ConfigureAwait(false);
        }
        catch
        {
            // Not committed, so not acknowledged: the device sends it again, and that resend must not be taken for
            // a duplicate of a message the log never got.
            twins.Forget(twin, message);
            throw;
        }

        await Task.WhenAll(rule, rules, calls, access, parking, meters).ConfigureAwait(false);
        counters.CountAccepted();
        return IngestResult.Accepted;
    }

    private IngestResult Refuse(string category, string clientId, string topic, string reason)
    {
        counters.CountRefused(category);
        LogRefused(logger, clientId, topic, reason);
        return IngestResult.Refused;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a message from client {ClientId} on {Topic}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string clientId, string topic, string reason);
}

public enum IngestResult
{
    Accepted,
    Refused,
}
