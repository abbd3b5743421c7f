namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using SmartCommunity.Edge.Layout;

/// <summary>Stimuli of smoke detectors (hardware-docs/smoke-detector.md).</summary>
public static class SmokeStimuli
{
    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("smoke", "smoke: { device, level } the detector head's reading (clean air 100; the demo layout alarms at 600)", a =>
        {
            a.AllowOnly("device", "level");
            DeviceDefinition detector = a.Device("device", d => d.Kind == DeviceKinds.Smoke ? null : "is not a smoke detector");
            int level = (int)a.Integer("level", 0, 1023);
            return ScenarioAction.Set($"smoke level {level} at {detector.Id}", world => world.Device(detector.Id).SmokeHead!.Value = level);
        }));
    }
}
