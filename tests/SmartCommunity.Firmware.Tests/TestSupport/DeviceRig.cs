namespace SmartCommunity.Firmware.Tests.TestSupport;

using System.Collections.Generic;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// What every device test rig shares: a manual clock, a recording transport, the device's identity in building
/// "b1" of "site-1", stepping in virtual time, command delivery and reading back what the device published.
/// A rig adds its simulated hardware, its settings and the device under test as a typed property.
/// </summary>
internal abstract class DeviceRig
{
    protected DeviceRig(string kind, string deviceId, string firmwareVersion, bool keepMessages, long startMs = 0)
    {
        Clock = new ManualClock(startMs);
        Transport.KeepMessages = keepMessages;
        Identity = new DeviceIdentity("site-1", "b1", kind, deviceId, firmwareVersion);
    }

    public ManualClock Clock { get; }

    public RecordingTransport Transport { get; } = new RecordingTransport();

    public DeviceIdentity Identity { get; }

    public long Now => Clock.UptimeMs;

    /// <summary>The device under test, as the rig's typed property holds it.</summary>
    protected abstract IFirmwareDevice Device { get; }

    /// <summary>The loop period <see cref="Run"/> steps at.</summary>
    protected abstract long LoopMs { get; }

    /// <summary>A command payload as the edge sends it; <paramref name="extraFields"/> starts with a comma.</summary>
    public static byte[] CommandPayload(string id, string name, string extraFields = "") =>
        Published.Bytes("{\"v\":1,\"id\":\"" + id + "\",\"cmd\":\"" + name + "\"" + extraFields + "}");

    /// <summary>Moves the clock on by <paramref name="advanceMs"/>, then steps the device.</summary>
    public void Step(long advanceMs = 0)
    {
        Clock.Advance(advanceMs);
        OnTimePassed(advanceMs);
        Device.Step(Clock.UptimeMs);
        CheckInvariants();
    }

    /// <summary>Steps every <see cref="LoopMs"/> for <paramref name="durationMs"/>.</summary>
    public void Run(long durationMs)
    {
        for (long elapsed = 0; elapsed < durationMs; elapsed += LoopMs)
        {
            Step(LoopMs);
        }
    }

    /// <summary>Contact bounce: <paramref name="input"/> active for one loop period, then inactive for one, <paramref name="times"/> times.</summary>
    public void Bounce(SimulatedInput input, int times)
    {
        for (int i = 0; i < times; i++)
        {
            input.Active = true;
            Step(LoopMs);
            input.Active = false;
            Step(LoopMs);
        }
    }

    public void Command(string id, string name) => Deliver(Identity.CommandTopic, CommandPayload(id, name));

    public void Command(string id, string name, string extraFields) => Deliver(Identity.CommandTopic, CommandPayload(id, name, extraFields));

    public void Deliver(string topic, string json) => Deliver(topic, Published.Bytes(json));

    /// <summary>Hands <paramref name="payload"/> to the device at the current time; allocation-free.</summary>
    public void Deliver(string topic, byte[] payload)
    {
        Device.HandleMessage(topic, payload, payload.Length, Clock.UptimeMs);
        CheckInvariants();
    }

    public List<string> Events() => Published.EventNames(Transport, Identity.EventTopic);

    public List<JsonElement> EventPayloads() => Published.On(Transport, Identity.EventTopic);

    public List<JsonElement> States() => Published.On(Transport, Identity.StateTopic);

    public JsonElement LastState()
    {
        List<JsonElement> states = States();
        Assert.IsNotEmpty(states, "no state message");
        return states[states.Count - 1];
    }

    public List<JsonElement> Acks() => Published.On(Transport, Identity.AckTopic);

    public JsonElement LastAck()
    {
        List<JsonElement> acks = Acks();
        Assert.IsNotEmpty(acks, "no ack");
        return acks[acks.Count - 1];
    }

    /// <summary>Called after the clock moves and before the device steps: simulated hardware that moves in time.</summary>
    protected virtual void OnTimePassed(long advanceMs)
    {
    }

    /// <summary>Called after every call into the device: what must hold in every test.</summary>
    protected virtual void CheckInvariants()
    {
    }
}
