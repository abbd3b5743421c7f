namespace SmartCommunity.Firmware.Tests.Devices.SmokeDetector;

using System.Collections.Generic;
using System.Text.Json;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// A smoke detector wired to a simulated head, sounder, hush and test buttons and low-battery input, driven in
/// virtual time. With <c>fitted: false</c> it uses the head-only constructor.
/// </summary>
internal sealed class SmokeRig : DeviceRig
{
    public const long Boot = 3;
    public const int CleanAir = 300;
    public const int Smoke = 700;

    /// <summary>Smoke that a hush may silence (below the default dense-smoke level).</summary>
    public const int LightSmoke = 650;

    public SmokeRig(SmokeDetectorSettings? settings = null, bool keepMessages = true, bool fitted = true, bool batteryLowAtBoot = false, bool buttonsHeldAtBoot = false)
        : base(SmokeDetector.Kind, "smoke-1", "2.0.0", keepMessages)
    {
        Settings = settings ?? new SmokeDetectorSettings();
        Battery.Active = batteryLowAtBoot;
        HushButton.Active = buttonsHeldAtBoot;
        TestButton.Active = buttonsHeldAtBoot;
        Detector = fitted
            ? new SmokeDetector(Identity, Settings, Head, Sounder, HushButton, TestButton, Battery, Clock, Transport, Boot)
            : new SmokeDetector(Identity, Settings, Head, Clock, Transport, Boot);
    }

    public SmokeDetectorSettings Settings { get; }

    public SimulatedAnalogInput Head { get; } = new SimulatedAnalogInput(CleanAir);

    public SimulatedOutput Sounder { get; } = new SimulatedOutput();

    public SimulatedInput HushButton { get; } = new SimulatedInput();

    public SimulatedInput TestButton { get; } = new SimulatedInput();

    /// <summary>Active = battery low.</summary>
    public SimulatedInput Battery { get; } = new SimulatedInput();

    public SmokeDetector Detector { get; }

    protected override IFirmwareDevice Device => Detector;

    /// <summary><see cref="DeviceRig.Run"/> steps once per sample interval.</summary>
    protected override long LoopMs => Settings.SampleIntervalMs;

    /// <summary>Presses a button and releases it, each level held for the debounce time (200 ms in all).</summary>
    public void Press(SimulatedInput button)
    {
        button.Active = true;
        Step(Settings.ButtonDebounceMs);
        Step(Settings.ButtonDebounceMs);
        button.Active = false;
        Step(Settings.ButtonDebounceMs);
        Step(Settings.ButtonDebounceMs);
    }

    /// <summary>Steps every <paramref name="stepMs"/> for <paramref name="durationMs"/>; returns how long the sounder was on.</summary>
    public long SounderOnTime(long durationMs, long stepMs, out int starts)
    {
        long on = 0;
        starts = 0;
        bool was = Sounder.Energised;
        for (long elapsed = 0; elapsed < durationMs; elapsed += stepMs)
        {
            if (Sounder.Energised)
            {
                on += stepMs;
            }

            Step(stepMs);
            if (Sounder.Energised && !was)
            {
                starts++;
            }

            was = Sounder.Energised;
        }

        return on;
    }

    public JsonElement Event(string name) => EventPayloads().Find(e => e.GetProperty("event").GetString() == name);

    public List<JsonElement> Telemetry() => Published.On(Transport, Identity.TelemetryTopic);
}
