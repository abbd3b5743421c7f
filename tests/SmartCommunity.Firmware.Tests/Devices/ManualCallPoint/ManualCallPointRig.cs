namespace SmartCommunity.Firmware.Tests.Devices.ManualCallPoint;

using SmartCommunity.Firmware.Devices.ManualCallPoint;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>A manual call point wired to simulated contacts, driven in virtual time.</summary>
internal sealed class ManualCallPointRig : DeviceRig
{
    public const long Boot = 4;

    /// <summary>Loop period of the rig, shorter than the contact debounce as on the board.</summary>
    public const long TickMs = 10;

    public ManualCallPointRig(ManualCallPointSettings? settings = null, bool withLineMonitoring = true, bool keepMessages = true)
        : base(ManualCallPoint.Kind, "mcp-1", "1.0.0", keepMessages)
    {
        Settings = settings ?? new ManualCallPointSettings();
        LineFault = withLineMonitoring ? new SimulatedInput() : null;
        Point = new ManualCallPoint(Identity, Settings, Glass, LineFault, Clock, Transport, Boot);
    }

    public ManualCallPointSettings Settings { get; }

    /// <summary>Active = the element is operated (glass broken / pushed in).</summary>
    public SimulatedInput Glass { get; } = new SimulatedInput();

    public SimulatedInput? LineFault { get; }

    public ManualCallPoint Point { get; }

    protected override IFirmwareDevice Device => Point;

    protected override long LoopMs => TickMs;
}
