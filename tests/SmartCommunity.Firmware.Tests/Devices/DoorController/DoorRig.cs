namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using System.Collections.Generic;
using System.Text.Json;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// A door controller wired to simulated hardware (lock output, fire input, door contact, request-to-exit button,
/// card reader, non-volatile store), driven in virtual time. <see cref="Reboot"/> builds a new controller on the
/// same hardware and store, as a power cycle would (the rig's clock runs on; the logic only uses differences).
/// After every call into the controller the rig checks the safety invariant: never secured while the fire input is active.
/// </summary>
internal sealed class DoorRig : DeviceRig
{
    public const long Boot = 7;

    /// <summary>The edge's wall clock the tests' allow-list commands carry (2025-11-28T08:53:20Z).</summary>
    public const long EdgeNow = 1764320000;

    public DoorRig(
        DoorSettings? settings = null,
        bool withDoorContact = true,
        long startMs = 0,
        bool keepMessages = true,
        INonVolatileStore? store = null)
        : base(DoorController.Kind, "door-1", "1.2.3", keepMessages, startMs)
    {
        Settings = settings ?? new DoorSettings();
        DoorContact = withDoorContact ? new SimulatedInput(active: true) : null;
        Store = store ?? new MemoryStore();
        BootNumber = Boot;
        Controller = Build();
    }

    public DoorSettings Settings { get; }

    public SimulatedInput FireInput { get; } = new SimulatedInput();

    /// <summary>Active = door closed; starts closed.</summary>
    public SimulatedInput? DoorContact { get; }

    /// <summary>Active = request-to-exit pressed.</summary>
    public SimulatedInput Rex { get; } = new SimulatedInput();

    public FakeCardReader Reader { get; } = new FakeCardReader();

    public INonVolatileStore Store { get; }

    public SimulatedOutput Output { get; } = new SimulatedOutput();

    public long BootNumber { get; private set; }

    public DoorController Controller { get; private set; }

    protected override IFirmwareDevice Device => Controller;

    /// <summary>The board's main loop period.</summary>
    protected override long LoopMs => 10;

    /// <summary>A power cycle: a new controller on the same hardware and store, with the next boot number.</summary>
    public void Reboot()
    {
        BootNumber++;
        Controller = Build();
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

    /// <summary>An allow-list command; <paramref name="fields"/> start with a comma.</summary>
    public void AllowList(string id, string fields) => Command(id, "allow-list", fields);

    /// <summary>A whole list in one part, at the edge time <see cref="EdgeNow"/> plus <paramref name="nowOffsetS"/>.</summary>
    public void SyncFull(string id, long version, string add, long nowOffsetS = 0) =>
        AllowList(id, ",\"op\":\"full\",\"ver\":" + version + ",\"part\":1,\"parts\":1,\"now\":" + (EdgeNow + nowOffsetS) + ",\"add\":\"" + add + "\"");

    /// <summary>Presents a card to the reader and steps once, so the controller takes it.</summary>
    public void Present(ulong card, int bits = 26, ReaderKind reader = ReaderKind.Wiegand)
    {
        Reader.Present(card, bits, reader);
        Step(10);
    }

    /// <summary>Opens (false) or closes (true) the door and steps past the contact debounce.</summary>
    public void SetDoorClosed(bool closed)
    {
        DoorContact!.Active = closed;
        Step(10);
        Step(Settings.DoorContactDebounceMs);
    }

    /// <summary>Presses the request-to-exit button past its debounce, then lets go.</summary>
    public void PressRex()
    {
        Rex.Active = true;
        Step(10);
        Step(Settings.RexDebounceMs);
        Rex.Active = false;
        Step(10);
    }

    /// <summary>The payloads of the events named <paramref name="name"/>, in order.</summary>
    public List<JsonElement> EventsNamed(string name) =>
        EventPayloads().FindAll(e => e.GetProperty("event").GetString() == name);

    public List<JsonElement> Accesses() => EventsNamed("access");

    public JsonElement LastAccess()
    {
        List<JsonElement> accesses = Accesses();
        Assert.IsNotEmpty(accesses, "no access event");
        return accesses[accesses.Count - 1];
    }

    /// <summary>Publishes a state now (a heartbeat) and returns it.</summary>
    public JsonElement FreshState()
    {
        Step(Settings.HeartbeatMs);
        return LastState();
    }

    protected override void CheckInvariants()
    {
        Assert.AreEqual(Output.Energised, Controller.IsEnergised, "the output pin and the controller disagree");
        if (FireInput.Active && Controller.IsSecured)
        {
            Assert.Fail("secured while the fire input is active");
        }
    }

    private DoorController Build() =>
        new DoorController(Identity, Settings, Output, FireInput, DoorContact, Rex, Reader, Store, Clock, Transport, BootNumber);
}
