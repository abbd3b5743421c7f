namespace SmartCommunity.Firmware.Hal;

/// <summary>
/// The device's MQTT session, as the device logic sees it. The adapter (M2Mqtt on the device, MQTTnet in the
/// simulator) owns connecting, the Last Will, subscriptions and reconnecting; it must never block the loop.
/// Incoming messages are handed to the device's HandleMessage on the loop's own thread.
/// </summary>
public interface IMessageTransport
{
    bool IsConnected { get; }

    /// <summary>Sessions established since boot; a change tells the device to announce itself again.</summary>
    int Sessions { get; }

    /// <summary>
    /// Queues a message; returns false when it cannot be queued (offline, queue full).
    /// The transport copies the payload before returning, so the caller may reuse its buffer.
    /// </summary>
    bool Publish(string topic, byte[] payload, int length, int qos, bool retain);
}
