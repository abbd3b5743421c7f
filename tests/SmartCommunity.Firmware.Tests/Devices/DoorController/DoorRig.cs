namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Collections.Generic;
using System.Text.Json;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>A door controller wired to simulated hardware, driven in virtual time.</summary>
internal sealed class DoorRig
{
    public const long Boot = 7;

    public DoorRig(DoorSettings? settings = null, bool withDoorContact = true, long startMs = 0, bool keepMessages = true)
    {
        Settings = settings ?? new DoorSettings();
        Clock = new ManualClock(startMs);
        DoorContact = withDoorContact ? new SimulatedInput(active: true) : null;
        Transport.KeepMessages = keepMessages;
        Identity = new DeviceIdentity("site-1", "b1", DoorController.Kind, "door-1", "1.2.3");
        Controller = new DoorController(Identity, Settings, Output, FireInput, DoorContact, Clock, Transport, Boot);
    }

    public DoorSettings Settings { get; }

    public ManualClock Clock { get; }

    public SimulatedInput FireInput { get; } = new SimulatedInput();

    /// <summary>Active = door closed; starts closed.</summary>
    public SimulatedInput? DoorContact { get; }

    public SimulatedOutput Output { get; } = new SimulatedOutput();

    public RecordingTransport Transport { get; } = new RecordingTransport();

    public DeviceIdentity Identity { get; }

    public DoorController Controller { get; }

    public void Step(long advanceMs = 0)
    {
        Clock.Advance(advanceMs);
        Controller.Step(Clock.UptimeMs);
    }

    /// <summary>
    /// Boots into normal operation: the fire input reads clear for the whole clear time and the edge's retained
    /// "clear" arrives. The order works whether or not the controller also applies the clear time at boot.
    /// </summary>
    public void MakeReady()
    {
        Step();
        Step(Settings.FireInputClearMs);
        FireState("clear");
    }

    public void FireState(string state) => Deliver(Identity.FireStateTopic, "{\"v\":1,\"state\":\"" + state + "\"}");

    public void Command(string id, string name, string extraFields = "") =>
        Deliver(Identity.CommandTopic, "{\"v\":1,\"id\":\"" + id + "\",\"cmd\":\"" + name + "\"" + extraFields + "}");

    public void Deliver(string topic, string json)
    {
        byte[] payload = Published.Bytes(json);
        Controller.HandleMessage(topic, payload, payload.Length, Clock.UptimeMs);
    }

    public List<string> Events() => Published.EventNames(Transport, Identity.EventTopic);

    public List<JsonElement> EventPayloads() => Published.On(Transport, Identity.EventTopic);

    public List<JsonElement> States() => Published.On(Transport, Identity.StateTopic);

    public List<JsonElement> Acks() => Published.On(Transport, Identity.AckTopic);

    public JsonElement LastAck()
    {
        List<JsonElement> acks = Acks();
        return acks[acks.Count - 1];
    }

    public JsonElement LastState()
    {
        List<JsonElement> states = States();
        return states[states.Count - 1];
    }
}
