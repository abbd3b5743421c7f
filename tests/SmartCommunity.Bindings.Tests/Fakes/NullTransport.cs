namespace SmartCommunity.Bindings.Tests.Fakes;

using SmartCommunity.Firmware.Hal;

/// <summary>A connected transport that accepts and counts every publish; the integration tests look at pins, not messages.</summary>
public sealed class NullTransport : IMessageTransport
{
    public bool IsConnected => true;

    public int Sessions => 1;

    public int Published { get; private set; }

    public bool Publish(string topic, byte[] payload, int length, int qos, bool retain)
    {
        Published++;
        return true;
    }
}
