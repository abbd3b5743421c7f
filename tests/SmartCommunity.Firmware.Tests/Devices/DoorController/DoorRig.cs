namespace SmartCommunity.Firmware.Tests.Devices.DoorController;

using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>A door controller wired to simulated hardware, driven in virtual time.</summary>
internal sealed class DoorRig : DeviceRig
{
    public const long Boot = 7;

    public DoorRig(DoorSettings? settings = null, bool withDoorContact = true, long startMs = 0, bool keepMessages = true)
        : base(DoorController.Kind, "door-1", "1.2.3", keepMessages, startMs)
    {
        Settings = settings ?? new DoorSettings();
        DoorContact = withDoorContact ? new SimulatedInput(active: true) : null;
        Controller = new DoorController(Identity, Settings, Output, FireInput, DoorContact, Clock, Transport, Boot);
    }

    public DoorSettings Settings { get; }

    public SimulatedInput FireInput { get; } = new SimulatedInput();

    /// <summary>Active = door closed; starts closed.</summary>
    public SimulatedInput? DoorContact { get; }

    public SimulatedOutput Output { get; } = new SimulatedOutput();

    public DoorController Controller { get; }

    protected override IFirmwareDevice Device => Controller;

    /// <summary>The 20 ms loop of the allocation test's traffic.</summary>
    protected override long LoopMs => 20;

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

    public void Command(string id, string name, string extraFields) =>
        Deliver(Identity.CommandTopic, CommandPayload(id, name, extraFields));
}
