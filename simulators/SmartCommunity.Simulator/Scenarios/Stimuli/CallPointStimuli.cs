namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using SmartCommunity.Edge.Layout;

/// <summary>
/// Stimuli of the call points (hardware-docs/call-points.md): the fire manual call point's break-glass element and the
/// emergency call point's presence sensor. The emergency call point's buttons are pressed with <c>press</c>
/// (<c>button: call</c> or <c>button: cancel</c>).
/// </summary>
public static class CallPointStimuli
{
    /// <summary>How long a presence sensor's output stays active for one movement (a PIR module's typical hold).</summary>
    public static readonly TimeSpan DefaultMotionHold = TimeSpan.FromSeconds(2);

    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("call-point",
            "call-point: { device, operated: true|false } a fire manual call point: the glass is broken (true) or the point is reset with its key (false)", a =>
        {
            a.AllowOnly("device", "operated");
            DeviceDefinition point = a.Device("device", d => d.Kind == DeviceKinds.ManualCallPoint ? null : "is not a fire manual call point");
            bool operated = a.Boolean("operated");
            return ScenarioAction.Set(
                operated ? $"{point.Id} operated (glass broken)" : $"{point.Id} reset at the point",
                world => world.Device(point.Id).DigitalInputs["glass"].Active = operated);
        }));
        registry.Add(new Stimulus("motion",
            $"motion: {{ device, hold?: {ScenarioTime.Format(DefaultMotionHold)} }} the resident moves in front of an emergency call point's presence sensor", a =>
        {
            a.AllowOnly("device", "hold");
            DeviceDefinition point = a.Device("device", d => d.Kind != DeviceKinds.EmergencyCallPoint ? "is not an emergency call point"
                : d.Pins.ContainsKey("motion") ? null : "has no presence sensor (wire 'motion' in the layout's pins)");
            TimeSpan hold = a.OptionalDuration("hold") ?? DefaultMotionHold;
            if (hold <= TimeSpan.Zero)
            {
                throw a.Error("hold", "a movement of no time is not seen; give e.g. hold: 2s");
            }

            return DeviceStimuli.Press($"movement at {point.Id}", point.Id, "motion", hold);
        }));
    }
}
