namespace SmartCommunity.Firmware.Messaging;

/// <summary>
/// What the board's main loop (or the simulator) drives: one <see cref="Step"/> per loop iteration, and every
/// incoming message handed over on the same thread. Nothing else calls into a device.
/// </summary>
public interface IFirmwareDevice
{
    DeviceIdentity Identity { get; }

    /// <summary>Topics the transport subscribes to for this device (QoS 1).</summary>
    string[] Subscriptions { get; }

    /// <summary>The device's command handling, e.g. to give it its command key at boot (hardware-docs/protocol.md §4.5).</summary>
    CommandHandler Commands { get; }

    void Step(long nowMs);

    void HandleMessage(string topic, byte[] payload, int length, long nowMs);
}
