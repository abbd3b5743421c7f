namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>
/// The stimuli a scenario may use, by name. <see cref="CreateDefault"/> holds those of this issue; a device issue adds
/// its own with one <c>AddTo(registry)</c> call next to the others (card swipes, vehicles), and the runner and loader
/// need no change.
/// </summary>
public sealed class StimulusRegistry
{
    private readonly Dictionary<string, IStimulus> _stimuli = new(StringComparer.Ordinal);

    public IReadOnlyList<IStimulus> All => _stimuli.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    public static StimulusRegistry CreateDefault()
    {
        var registry = new StimulusRegistry();
        DeviceStimuli.AddTo(registry);
        DoorStimuli.AddTo(registry);
        SmokeStimuli.AddTo(registry);
        CallPointStimuli.AddTo(registry);
        LeakStimuli.AddTo(registry);
        AccessStimuli.AddTo(registry);
        EdgeStimuli.AddTo(registry);
        UpstreamStimuli.AddTo(registry);
        OperatorStimuli.AddTo(registry);
        CallStimuli.AddTo(registry);
        BarrierStimuli.AddTo(registry);
        ParkingStimuli.AddTo(registry);
        MeterStimuli.AddTo(registry);
        return registry;
    }

    public void Add(IStimulus stimulus)
    {
        if (!_stimuli.TryAdd(stimulus.Name, stimulus))
        {
            throw new ArgumentException($"a stimulus named '{stimulus.Name}' is registered already", nameof(stimulus));
        }
    }

    public bool TryGet(string name, out IStimulus stimulus) => _stimuli.TryGetValue(name, out stimulus!);
}
