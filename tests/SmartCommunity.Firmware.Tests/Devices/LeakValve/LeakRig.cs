namespace SmartCommunity.Firmware.Tests.Devices.LeakValve;

using System.Collections.Generic;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.LeakValve;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>Where the simulated valve stands when the controller boots.</summary>
internal enum ValveStart
{
    Open,
    Closed,
    Middle,
}

/// <summary>A leak valve controller wired to a simulated probe, button and valve, driven in virtual time.</summary>
internal sealed class LeakRig
{
    public const long Boot = 4;
    public const long StepMs = 50;

    /// <summary>The simulated valve's full travel; well inside the controller's default travel time.</summary>
    public const long ValveTravelMs = 6000;

    public LeakRig(
        LeakValveSettings? settings = null,
        bool withProbe = true,
        bool withButton = true,
        ValveStart start = ValveStart.Open,
        bool keepMessages = true,
        long switchZoneMs = 300,
        bool buttonHeldAtBoot = false,
        bool outputsEnergisedAtBoot = false,
        int openSwitchForced = 0,
        int closedSwitchForced = 0)
    {
        Settings = settings ?? new LeakValveSettings();
        long position = start == ValveStart.Open ? ValveTravelMs : start == ValveStart.Closed ? 0 : ValveTravelMs / 2;
        Valve = new SimulatedValve(ValveTravelMs, switchZoneMs, position)
        {
            OpenSwitchForced = openSwitchForced,
            ClosedSwitchForced = closedSwitchForced,
        };
        if (outputsEnergisedAtBoot)
        {
            Valve.DriveOpen.Write(true);
            Valve.DriveClose.Write(true);
        }

        Probe = withProbe ? new SimulatedInput() : null;
        Button = withButton ? new SimulatedInput(buttonHeldAtBoot) : null;
        Transport.KeepMessages = keepMessages;
        Identity = new DeviceIdentity("site-1", "b1", LeakValveController.Kind, "leak-1", "1.0.0");
        Controller = new LeakValveController(
            Identity, Settings, Probe, Valve.DriveOpen, Valve.DriveClose, Valve.OpenSwitch, Valve.ClosedSwitch, Button,
            Clock, Transport, Boot);
    }

    public LeakValveSettings Settings { get; }

    public ManualClock Clock { get; } = new ManualClock();

    public SimulatedValve Valve { get; }

    /// <summary>Active = water. Null for the role "valve".</summary>
    public SimulatedInput? Probe { get; }

    public SimulatedInput? Button { get; }

    public RecordingTransport Transport { get; } = new RecordingTransport();

    public DeviceIdentity Identity { get; }

    public LeakValveController Controller { get; }

    public long Now => Clock.UptimeMs;

    /// <summary>Moves time on: the valve travels under the drive set before, then the controller steps.</summary>
    public void Step(long advanceMs = 0)
    {
        Clock.Advance(advanceMs);
        Valve.Advance(advanceMs);
        Controller.Step(Clock.UptimeMs);
        AssertInterlock();
    }

    /// <summary>Steps every <see cref="StepMs"/> for <paramref name="durationMs"/>.</summary>
    public void Run(long durationMs)
    {
        for (long elapsed = 0; elapsed < durationMs; elapsed += StepMs)
        {
            Step(StepMs);
        }
    }

    /// <summary>Steps until <paramref name="state"/> is reached; fails after <paramref name="limitMs"/>.</summary>
    public void RunUntil(ValveState state, long limitMs = 120_000)
    {
        for (long elapsed = 0; Controller.State != state; elapsed += StepMs)
        {
            if (elapsed > limitMs)
            {
                Assert.Fail("valve never reached " + state + "; it is " + Controller.State);
            }

            Step(StepMs);
        }
    }

    public void PressButton(long holdMs = 200)
    {
        Button!.Active = true;
        Run(holdMs);
        Button.Active = false;
        Run(holdMs);
    }

    /// <summary>Wet probe for the confirmation time and then until the valve has closed.</summary>
    public void LeakAndClose()
    {
        Probe!.Active = true;
        RunUntil(ValveState.Closed);
    }

    public void Command(string id, string name) => Deliver(Identity.CommandTopic, "{\"v\":1,\"id\":\"" + id + "\",\"cmd\":\"" + name + "\"}");

    public void Deliver(string topic, string json)
    {
        byte[] payload = Published.Bytes(json);
        Controller.HandleMessage(topic, payload, payload.Length, Clock.UptimeMs);
        AssertInterlock();
    }

    public List<string> Events() => Published.EventNames(Transport, Identity.EventTopic);

    public List<JsonElement> EventPayloads() => Published.On(Transport, Identity.EventTopic);

    public JsonElement LastEvent(string name)
    {
        List<JsonElement> events = EventPayloads();
        for (int i = events.Count - 1; i >= 0; i--)
        {
            if (events[i].GetProperty("event").GetString() == name)
            {
                return events[i];
            }
        }

        Assert.Fail("no event " + name + "; events: " + string.Join(", ", Events()));
        return default;
    }

    public int Count(string eventName) => Events().FindAll(e => e == eventName).Count;

    public List<JsonElement> States() => Published.On(Transport, Identity.StateTopic);

    public JsonElement LastState()
    {
        List<JsonElement> states = States();
        Assert.IsNotEmpty(states, "no state message");
        return states[states.Count - 1];
    }

    public JsonElement LastAck()
    {
        List<JsonElement> acks = Published.On(Transport, Identity.AckTopic);
        Assert.IsNotEmpty(acks, "no ack");
        return acks[acks.Count - 1];
    }

    // The motor interlock holds after every call into the controller, in every test.
    private void AssertInterlock()
    {
        if (Valve.DriveOpen.Energised && Valve.DriveClose.Energised)
        {
            Assert.Fail("both motor outputs energised at " + Clock.UptimeMs + " ms");
        }
    }
}
