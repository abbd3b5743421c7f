namespace SmartCommunity.Firmware.Tests.Devices.EmergencyCallPoint;

using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using SmartCommunity.Firmware.Devices.EmergencyCallPoint;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>An emergency call point wired to simulated buttons, presence sensor, indicators and sounder, in virtual time.</summary>
internal sealed class EmergencyCallPointRig
{
    public const long Boot = 9;
    public const long TickMs = 10;

    public EmergencyCallPointRig(
        EmergencyCallPointSettings? settings = null,
        bool withMotion = true,
        bool withHandledIndicator = true,
        long boot = Boot,
        bool keepMessages = true)
    {
        Settings = settings ?? new EmergencyCallPointSettings();
        Transport.KeepMessages = keepMessages;
        Motion = withMotion ? new SimulatedInput() : null;
        HandledIndicator = withHandledIndicator ? new SimulatedOutput() : null;
        Identity = new DeviceIdentity("site-1", "b1", EmergencyCallPoint.Kind, "ecp-1", "1.0.0");
        Point = new EmergencyCallPoint(
            Identity, Settings, CallButton, CancelButton, Motion, ReceivedIndicator, HandledIndicator, Sounder, Clock, Transport, boot);
    }

    public EmergencyCallPointSettings Settings { get; }

    public ManualClock Clock { get; } = new ManualClock();

    public SimulatedInput CallButton { get; } = new SimulatedInput();

    public SimulatedInput CancelButton { get; } = new SimulatedInput();

    public SimulatedInput? Motion { get; }

    public SimulatedOutput ReceivedIndicator { get; } = new SimulatedOutput();

    public SimulatedOutput? HandledIndicator { get; }

    public SimulatedOutput Sounder { get; } = new SimulatedOutput();

    public RecordingTransport Transport { get; } = new RecordingTransport();

    public DeviceIdentity Identity { get; }

    public EmergencyCallPoint Point { get; }

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

    /// <summary>A press of 200 ms and release, then 200 ms more: a person's press, well past the debounce.</summary>
    public void Press(SimulatedInput button)
    {
        button.Active = true;
        Run(200);
        button.Active = false;
        Run(200);
    }

    public void PressCall() => Press(CallButton);

    public void PressCancel() => Press(CancelButton);

    /// <summary>A burst of movement in front of the presence sensor.</summary>
    public void Move()
    {
        Motion!.Active = true;
        Run(100);
        Motion.Active = false;
        Step(TickMs);
    }

    public void Command(string id, string name, string? call = null)
    {
        string json = "{\"v\":1,\"id\":\"" + id + "\",\"cmd\":\"" + name + "\"" + (call == null ? "" : ",\"call\":\"" + call + "\"") + "}";
        byte[] payload = Published.Bytes(json);
        Point.HandleMessage(Identity.CommandTopic, payload, payload.Length, Clock.UptimeMs);
    }

    public List<string> Events() => Published.EventNames(Transport, Identity.EventTopic);

    public List<JsonElement> EventPayloads() => Published.On(Transport, Identity.EventTopic);

    public List<JsonElement> EventsNamed(string name) =>
        EventPayloads().Where(e => e.GetProperty("event").GetString() == name).ToList();

    public List<JsonElement> States() => Published.On(Transport, Identity.StateTopic);

    public JsonElement LastState() => States()[^1];

    public List<JsonElement> Acks() => Published.On(Transport, Identity.AckTopic);

    public JsonElement LastAck() => Acks()[^1];
}
