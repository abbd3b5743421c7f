namespace SmartCommunity.Edge.Relays;

using System;
using System.Collections.Generic;

/// <summary>The edge's relays, as read from the relays file by <see cref="RelayConfigLoader"/>. No relays = relaying off.</summary>
public sealed class RelayConfiguration
{
    /// <summary>This edge's id in every idempotency key and upstream topic; a topic level (1-32 of a-z, 0-9, '-', '_').</summary>
    public required string EdgeId { get; init; }

    public IReadOnlyList<RelayDefinition> Relays { get; init; } = [];

    /// <summary>Where emergency and welfare calls go and when they escalate (the file's optional <c>calls</c> section).</summary>
    public Calls.CallDispatchOptions Calls { get; init; } = new();

    /// <summary>Where the MQTT relays of the calls chain hand the backend's acknowledgement messages; the edge attaches its call desk.</summary>
    public Calls.CallAckInbox CallAcks { get; init; } = new();
}

public enum RelayKind
{
    Mqtt,
    Webhook,
}

/// <summary>One configured relay: where it goes and how it delivers.</summary>
public sealed class RelayDefinition
{
    public required string Name { get; init; }

    public required RelayKind Kind { get; init; }

    public RelayDeliveryOptions Delivery { get; init; } = new();

    public MqttRelayOptions? Mqtt { get; init; }

    public WebhookRelayOptions? Webhook { get; init; }
}

/// <summary>How the engine drives one relay; the same for every kind.</summary>
public sealed class RelayDeliveryOptions
{
    /// <summary>Messages per delivery attempt.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>First pause after a failed attempt; it doubles (with jitter) up to <see cref="BackoffMax"/>.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>One attempt (connect and deliver a batch) that takes longer fails and is retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A message not accepted in this many attempts in which the backend accepted other messages is dead-lettered.</summary>
    public int DeadLetterAfter { get; init; } = 5;
}

public sealed class MqttRelayOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 1883;

    public bool Tls { get; init; }

    /// <summary>"5" (default) or "3.1.1". MQTT 5 lets the broker refuse one message with a reason code.</summary>
    public string Protocol { get; init; } = "5";

    /// <summary>Topics are {TopicPrefix}/{edge}/{site}/{building}/{source}/{channel}.</summary>
    public string TopicPrefix { get; init; } = "sc-up/v1";

    /// <summary>Default: sc-edge-{edge}-{relay name}.</summary>
    public string? ClientId { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>
    /// Treat MQTT 5's "no matching subscribers" PUBACK as not delivered. For a broker that keeps nothing for absent
    /// consumers: messages wait in the edge's outbox until a consumer has subscribed.
    /// </summary>
    public bool RequireSubscriber { get; init; }

    /// <summary>QoS 1 publishes awaiting their PUBACK at once (keep it below the broker's receive maximum; Mosquitto's is 20).</summary>
    public int InFlight { get; init; } = 16;

    /// <summary>
    /// Set for a relay of the calls chain: it subscribes to {TopicPrefix}/{edge}/acks on its broker and hands the
    /// backend's call acknowledgements here (hardware-docs/emergency-calls.md). Null: no subscription.
    /// </summary>
    public Calls.CallAckInbox? CallAcks { get; init; }
}

public sealed class WebhookRelayOptions
{
    public required Uri Url { get; init; }

    /// <summary>Sent as "Authorization: Bearer {token}" when set.</summary>
    public string? Token { get; init; }
}
