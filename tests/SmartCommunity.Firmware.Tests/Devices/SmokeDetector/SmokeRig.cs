namespace SmartCommunity.Firmware.Tests.Devices.SmokeDetector;

using System.Collections.Generic;
using System.Text.Json;
using SmartCommunity.Firmware.Devices.SmokeDetector;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Firmware.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>A smoke detector wired to a simulated head, driven in virtual time.</summary>
internal sealed class SmokeRig
{
    public const long Boot = 3;
    public const int CleanAir = 300;
    public const int Smoke = 700;

    public SmokeRig(SmokeDetectorSettings? settings = null, bool keepMessages = true)
    {
        Settings = settings ?? new SmokeDetectorSettings();
        Transport.KeepMessages = keepMessages;
        Identity = new DeviceIdentity("site-1", "b1", SmokeDetector.Kind, "smoke-1", "2.0.0");
        Detector = new SmokeDetector(Identity, Settings, Head, Clock, Transport, Boot);
    }

    public SmokeDetectorSettings Settings { get; }

    public ManualClock Clock { get; } = new ManualClock();

    public SimulatedAnalogInput Head { get; } = new SimulatedAnalogInput(CleanAir);

    public RecordingTransport Transport { get; } = new RecordingTransport();

    public DeviceIdentity Identity { get; }

    public SmokeDetector Detector { get; }

    public void Step(long advanceMs = 0)
    {
        Clock.Advance(advanceMs);
        Detector.Step(Clock.UptimeMs);
    }

    /// <summary>Steps once per sample interval for <paramref name="durationMs"/>.</summary>
    public void Run(long durationMs)
    {
        for (long elapsed = 0; elapsed < durationMs; elapsed += Settings.SampleIntervalMs)
        {
            Step(Settings.SampleIntervalMs);
        }
    }

    public void Command(string id, string name)
    {
        byte[] payload = Published.Bytes("{\"v\":1,\"id\":\"" + id + "\",\"cmd\":\"" + name + "\"}");
        Detector.HandleMessage(Identity.CommandTopic, payload, payload.Length, Clock.UptimeMs);
    }

    public List<string> Events() => Published.EventNames(Transport, Identity.EventTopic);

    public List<JsonElement> EventPayloads() => Published.On(Transport, Identity.EventTopic);

    public List<JsonElement> Telemetry() => Published.On(Transport, Identity.TelemetryTopic);

    public List<JsonElement> Acks() => Published.On(Transport, Identity.AckTopic);
}
