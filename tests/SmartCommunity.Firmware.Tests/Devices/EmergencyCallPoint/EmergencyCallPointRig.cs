namespace SmartCommunity.Firmware.Tests.Devices.EmergencyCallPoint;

using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using SmartCommunity.Firmware.Devices.EmergencyCallPoint;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>An emergency call point wired to simulated buttons, presence sensor, indicators and sounder, in virtual time.</summary>
internal sealed class EmergencyCallPointRig : DeviceRig
{
    public const long Boot = 9;
    public const long TickMs = 10;

    public EmergencyCallPointRig(
        EmergencyCallPointSettings? settings = null,
        bool withMotion = true,
        bool withHandledIndicator = true,
        long boot = Boot,
        bool keepMessages = true)
        : base(EmergencyCallPoint.Kind, "ecp-1", "1.0.0", keepMessages)
    {
        Settings = settings ?? new EmergencyCallPointSettings();
        Motion = withMotion ? new SimulatedInput() : null;
        HandledIndicator = withHandledIndicator ? new SimulatedOutput() : null;
        Point = new EmergencyCallPoint(
            Identity, Settings, CallButton, CancelButton, Motion, ReceivedIndicator, HandledIndicator, Sounder, Clock, Transport, boot);
    }

    public EmergencyCallPointSettings Settings { get; }

    public SimulatedInput CallButton { get; } = new SimulatedInput();

    public SimulatedInput CancelButton { get; } = new SimulatedInput();

    public SimulatedInput? Motion { get; }

    public SimulatedOutput ReceivedIndicator { get; } = new SimulatedOutput();

    public SimulatedOutput? HandledIndicator { get; }

    public SimulatedOutput Sounder { get; } = new SimulatedOutput();

    public EmergencyCallPoint Point { get; }

    protected override IFirmwareDevice Device => Point;

    protected override long LoopMs => TickMs;

    /// <summary>The <c>"call"</c> field naming call <paramref name="call"/>, for a command payload.</summary>
    public static string CallField(string call) => ",\"call\":\"" + call + "\"";

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

    public void CallCommand(string id, string name, string call) => Deliver(Identity.CommandTopic, CommandPayload(id, name, CallField(call)));

    public List<JsonElement> EventsNamed(string name) =>
        EventPayloads().Where(e => e.GetProperty("event").GetString() == name).ToList();
}
