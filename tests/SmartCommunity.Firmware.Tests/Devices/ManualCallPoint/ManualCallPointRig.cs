namespace SmartCommunity.Firmware.Tests.Devices.ManualCallPoint;

using System.Collections.Generic;
using System.Text.Json;
using SmartCommunity.Firmware.Devices.ManualCallPoint;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>A manual call point wired to simulated contacts, driven in virtual time.</summary>
internal sealed class ManualCallPointRig
{
    public const long Boot = 4;

    /// <summary>Loop period of the rig, shorter than the contact debounce as on the board.</summary>
    public const long TickMs = 10;

    public ManualCallPointRig(ManualCallPointSettings? settings = null, bool withLineMonitoring = true, bool keepMessages = true)
    {
        Settings = settings ?? new ManualCallPointSettings();
        LineFault = withLineMonitoring ? new SimulatedInput() : null;
        Transport.KeepMessages = keepMessages;
        Identity = new DeviceIdentity("site-1", "b1", ManualCallPoint.Kind, "mcp-1", "1.0.0");
        Point = new ManualCallPoint(Identity, Settings, Glass, LineFault, Clock, Transport, Boot);
    }

    public ManualCallPointSettings Settings { get; }

    public ManualClock Clock { get; } = new ManualClock();

    /// <summary>Active = the element is operated (glass broken / pushed in).</summary>
    public SimulatedInput Glass { get; } = new SimulatedInput();

    public SimulatedInput? LineFault { get; }

    public RecordingTransport Transport { get; } = new RecordingTransport();

    public DeviceIdentity Identity { get; }

    public ManualCallPoint Point { get; }

    public void Step(long advanceMs = 0)
    {
        Clock.Advance(advanceMs);
        Point.Step(Clock.UptimeMs);
    }

    /// <summary>Steps every <see cref="TickMs"/> for <paramref name="durationMs"/>.</summary>
    public void Run(long durationMs)
    {
        for (long elapsed = 0; elapsed < durationMs; elapsed += TickMs)
        {
            Step(TickMs);
        }
    }

    public void Command(string id, string name)
    {
        byte[] payload = Published.Bytes("{\"v\":1,\"id\":\"" + id + "\",\"cmd\":\"" + name + "\"}");
        Point.HandleMessage(Identity.CommandTopic, payload, payload.Length, Clock.UptimeMs);
    }

    public List<string> Events() => Published.EventNames(Transport, Identity.EventTopic);

    public List<JsonElement> EventPayloads() => Published.On(Transport, Identity.EventTopic);

    public List<JsonElement> States() => Published.On(Transport, Identity.StateTopic);

    public JsonElement LastState() => States()[^1];

    public List<JsonElement> Acks() => Published.On(Transport, Identity.AckTopic);
}
