namespace SmartCommunity.Firmware.Messaging;

using SmartCommunity.Protocol;

/// <summary>Who the device is and the topics that follow from it, built once at boot (hardware-docs/protocol.md §1).</summary>
public sealed class DeviceIdentity
{
    public DeviceIdentity(string site, string building, string kind, string deviceId, string firmwareVersion)
    {
        Site = site;
        Building = building;
        Kind = kind;
        DeviceId = deviceId;
        FirmwareVersion = firmwareVersion;
        TelemetryTopic = Topics.Device(site, building, kind, deviceId, Channel.Telemetry);
        EventTopic = Topics.Device(site, building, kind, deviceId, Channel.Event);
        StateTopic = Topics.Device(site, building, kind, deviceId, Channel.State);
        StatusTopic = Topics.Device(site, building, kind, deviceId, Channel.Status);
        CommandTopic = Topics.Device(site, building, kind, deviceId, Channel.Command);
        AckTopic = Topics.Device(site, building, kind, deviceId, Channel.Ack);
        FireStateTopic = Topics.FireState(site, building);
    }

    public string Site { get; }
    public string Building { get; }
    public string Kind { get; }
    public string DeviceId { get; }
    public string FirmwareVersion { get; }
    public string TelemetryTopic { get; }
    public string EventTopic { get; }
    public string StateTopic { get; }
    public string StatusTopic { get; }
    public string CommandTopic { get; }
    public string AckTopic { get; }
    public string FireStateTopic { get; }
}
