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
internal sealed class LeakRig : DeviceRig
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
        : base(LeakValveController.Kind, "leak-1", "1.0.0", keepMessages)
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
        Controller = new LeakValveController(
            Identity, Settings, Probe, Valve.DriveOpen, Valve.DriveClose, Valve.OpenSwitch, Valve.ClosedSwitch, Button,
            Clock, Transport, Boot);
    }

    public LeakValveSettings Settings { get; }

    public SimulatedValve Valve { get; }

    /// <summary>Active = water. Null for the role "valve".</summary>
    public SimulatedInput? Probe { get; }

    public SimulatedInput? Button { get; }

    public LeakValveController Controller { get; }

    protected override IFirmwareDevice Device => Controller;

    protected override long LoopMs => StepMs;

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

    /// <summary>The valve travels under the drive set before the controller steps again.</summary>
    protected override void OnTimePassed(long advanceMs) => Valve.Advance(advanceMs);

    /// <summary>The motor interlock holds after every call into the controller, in every test.</summary>
    protected override void CheckInvariants()
    {
        if (Valve.DriveOpen.Energised && Valve.DriveClose.Energised)
        {
            Assert.Fail("both motor outputs energised at " + Clock.UptimeMs + " ms");
        }
    }
}
