namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Simulation.Devices;

/// <summary>
/// Stimuli of parking barriers (hardware-docs/parking-barrier.md) on the simulated lane (Hardware/BarrierLane.cs):
/// vehicles and rush hours, the photo-eye, the safety sensor's monitoring, the hold-to-run button, a jammed arm and the
/// open input.
/// </summary>
public static class BarrierStimuli
{
    /// <summary>How long a ticket machine or attendant's button holds the open input.</summary>
    public static readonly TimeSpan DefaultPulse = TimeSpan.FromMilliseconds(500);

    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("vehicle",
            "vehicle: { device, direction?: in|out, stopUnder?, card?, openInput?, after? } a vehicle queues for the barrier, says what it came for at the stop line (card at the reader, or the open input pulsed; neither = it waits for the arm), and drives through once the arm is up",
            BindVehicle));
        registry.Add(new Stimulus("rush",
            "rush: { device, in?: N, out?: N, every: 4s, stopUnder? } a rush hour: N vehicles in and N out, one arriving every 'every' (in and out alternating), each pulsing the open input at the stop line",
            BindRush));
        registry.Add(new Stimulus("beam", "beam: { device, blocked: true|false } something other than a vehicle breaks the barrier's photo-eye (a person), or clears it", a =>
        {
            a.AllowOnly("device", "blocked");
            DeviceDefinition barrier = a.Device("device", IsBarrier);
            bool blocked = a.Boolean("blocked");
            return ScenarioAction.Set($"the photo-eye of {barrier.Id} {(blocked ? "is blocked" : "is clear")}", world => world.Device(barrier.Id).Lane!.BeamBlocked = blocked);
        }));
        registry.Add(new Stimulus("safety-sensor", "safety-sensor: { device, ok: true|false } the safety sensor's monitoring contact (sensorOk) reports a fault (false) or health (true)", a =>
        {
            a.AllowOnly("device", "ok");
            DeviceDefinition barrier = a.Device("device", IsBarrier);
            bool ok = a.Boolean("ok");
            return ScenarioAction.Set($"the safety sensor of {barrier.Id} {(ok ? "is healthy" : "fails")}", world => world.Device(barrier.Id).Lane!.SensorOk.Active = ok);
        }));
        registry.Add(new Stimulus("hold-close", "hold-close: { device, hold } a person holds the barrier's local close button for 'hold' (hold-to-run while the sensor is faulty) and lets go", a =>
        {
            a.AllowOnly("device", "hold");
            DeviceDefinition barrier = a.Device("device", IsBarrier);
            TimeSpan hold = Positive(a, "hold", a.Duration("hold"));
            return DeviceStimuli.Press($"close button of {barrier.Id} held for {ScenarioTime.Format(hold)}", barrier.Id, "closeButton", hold);
        }));
        registry.Add(new Stimulus("jam", "jam: { device, jammed: true|false } the barrier's arm is jammed (the drive runs, nothing moves) or free again", a =>
        {
            a.AllowOnly("device", "jammed");
            DeviceDefinition barrier = a.Device("device", IsBarrier);
            bool jammed = a.Boolean("jammed");
            return ScenarioAction.Set($"the arm of {barrier.Id} {(jammed ? "jams" : "is free again")}", world => world.Device(barrier.Id).Lane!.Jammed = jammed);
        }));
        registry.Add(new Stimulus("open-input",
            $"open-input: {{ device, hold?: {ScenarioTime.Format(DefaultPulse)} }} pulses the barrier's open input (ticket machine, attendant's button, exit loop relay)", a =>
        {
            a.AllowOnly("device", "hold");
            DeviceDefinition barrier = a.Device("device", IsBarrier);
            TimeSpan hold = Positive(a, "hold", a.OptionalDuration("hold") ?? DefaultPulse);
            return DeviceStimuli.Press($"open input of {barrier.Id} pulsed", barrier.Id, "openInput", hold);
        }));
    }

    internal static string? IsBarrier(DeviceDefinition device) => device.Kind == DeviceKinds.Barrier ? null : "is not a barrier";

    private static TimeSpan Positive(ScenarioArguments a, string key, TimeSpan value) =>
        value > TimeSpan.Zero ? value : throw a.Error(key, "a press of no time presses nothing; give e.g. 3s");

    private static bool Inbound(ScenarioArguments a) => (a.OptionalOneOf("direction", "in", "out") ?? "in") == "in";

    private static IScenarioAction BindVehicle(ScenarioArguments a)
    {
        a.AllowOnly("device", "direction", "stopUnder", "card", "openInput", "after");
        DeviceDefinition barrier = a.Device("device", IsBarrier);
        bool inbound = Inbound(a);
        TimeSpan stopUnder = a.OptionalDuration("stopUnder") ?? TimeSpan.Zero;
        TimeSpan after = a.OptionalDuration("after") ?? TimeSpan.Zero;
        long? card = a.Has("card") ? a.Integer("card", 0, AccessStimuli.Max34) : null;
        if (card is not null && !VirtualDevice.HasWiegandReader(barrier))
        {
            throw a.Error("card", $"{barrier.Id} has no card reader (wire '{VirtualDevice.WiegandD0Pin}' and '{VirtualDevice.WiegandD1Pin}' in the layout's pins)");
        }

        bool pulse = a.OptionalBoolean("openInput") ?? card is null;
        string how = card is { } c ? $"card {c}" : pulse ? "the open input" : "nothing (it waits for the arm)";
        string stop = stopUnder > TimeSpan.Zero ? $", stopping {ScenarioTime.Format(stopUnder)} under the arm" : "";
        return ScenarioAction.Set($"a vehicle {(inbound ? "in" : "out")} at {barrier.Id} with {how}{stop}",
            world => world.Device(barrier.Id).Lane!.AddVehicle(inbound, after, stopUnder, card, pulse));
    }

    private static IScenarioAction BindRush(ScenarioArguments a)
    {
        a.AllowOnly("device", "in", "out", "every", "stopUnder");
        DeviceDefinition barrier = a.Device("device", IsBarrier);
        int inbound = (int)(a.OptionalInteger("in", 0, 1000) ?? 0);
        int outbound = (int)(a.OptionalInteger("out", 0, 1000) ?? 0);
        if (inbound + outbound == 0)
        {
            throw a.Error("a rush needs vehicles: give in: N and/or out: N");
        }

        TimeSpan every = a.Duration("every");
        TimeSpan stopUnder = a.OptionalDuration("stopUnder") ?? TimeSpan.Zero;
        return ScenarioAction.Set($"rush at {barrier.Id}: {inbound} in and {outbound} out, one every {ScenarioTime.Format(every)}", world =>
        {
            var lane = world.Device(barrier.Id).Lane!;
            int i = 0, o = 0;
            for (int n = 0; i < inbound || o < outbound; n++)
            {
                // Alternate while both directions have vehicles left, so the lane carries both ways.
                bool goingIn = o >= outbound || (i < inbound && (n % 2 == 0));
                lane.AddVehicle(goingIn, every * n, stopUnder, null, pulseOpenInput: true);
                if (goingIn)
                {
                    i++;
                }
                else
                {
                    o++;
                }
            }
        });
    }
}
