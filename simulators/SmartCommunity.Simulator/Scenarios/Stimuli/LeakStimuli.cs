namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using SmartCommunity.Edge.Layout;

/// <summary>Stimuli of leak sensor-valves and valves (hardware-docs/leak-valve.md): water at the probe, a seized valve.</summary>
public static class LeakStimuli
{
    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("leak", "leak: { device, wet: true|false } water at a sensor-valve's probe (true) or the floor dried (false)", a =>
        {
            a.AllowOnly("device", "wet");
            DeviceDefinition sensor = a.Device("device", d => d.Kind != DeviceKinds.Leak ? "is not a leak device"
                : d.Role == DeviceKinds.RoleSensorValve ? null : "is a valve without a probe; water is sensed by a sensor-valve");
            bool wet = a.Boolean("wet");
            return ScenarioAction.Set($"{(wet ? "water at" : "dry at")} the probe of {sensor.Id}", world => world.Device(sensor.Id).DigitalInputs["probe"].Active = wet);
        }));
        registry.Add(new Stimulus("valve-seize", "valve-seize: { device, seized: true|false } the valve's ball is seized (the motor turns nothing) or free again", a =>
        {
            a.AllowOnly("device", "seized");
            DeviceDefinition valve = a.Device("device", d => d.Kind == DeviceKinds.Leak ? null : "has no valve");
            bool seized = a.Boolean("seized");
            return ScenarioAction.Set($"the valve of {valve.Id} {(seized ? "seizes" : "turns freely again")}", world => world.Device(valve.Id).Valve!.Seized = seized);
        }));
    }
}
