namespace SmartCommunity.Simulator.Scenarios.Expectations;

using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>The expectations a scenario may state, by name; device issues add theirs next to these.</summary>
public sealed class ExpectationRegistry
{
    private readonly Dictionary<string, IExpectationKind> _kinds = new(StringComparer.Ordinal);

    public IReadOnlyList<IExpectationKind> All => _kinds.Values.OrderBy(k => k.Name, StringComparer.Ordinal).ToList();

    public static ExpectationRegistry CreateDefault()
    {
        var registry = new ExpectationRegistry();
        DeviceExpectations.AddTo(registry);
        EdgeExpectations.AddTo(registry);
        CallExpectations.AddTo(registry);
        AccessExpectations.AddTo(registry);
        UpstreamExpectations.AddTo(registry);
        BarrierExpectations.AddTo(registry);
        ParkingExpectations.AddTo(registry);
        MeterExpectations.AddTo(registry);
        return registry;
    }

    public void Add(IExpectationKind kind)
    {
        if (!_kinds.TryAdd(kind.Name, kind))
        {
            throw new ArgumentException($"an expectation named '{kind.Name}' is registered already", nameof(kind));
        }
    }

    public bool TryGet(string name, out IExpectationKind kind) => _kinds.TryGetValue(name, out kind!);
}

/// <summary>An expectation kind made of its parts; most kinds need no class of their own.</summary>
public sealed class ExpectationKind(string name, string summary, ExpectationModes modes, string[] keys, Func<ScenarioArguments, IExpectationCheck> bind)
    : IExpectationKind
{
    public string Name => name;

    public string Summary => summary;

    public ExpectationModes Modes => modes;

    public IReadOnlyList<string> Keys => keys;

    public IExpectationCheck Bind(ScenarioArguments arguments) => bind(arguments);
}

/// <summary>A check made of a description and a factory for its per-run evaluator.</summary>
public sealed class ExpectationCheck(string description, Func<Running.ScenarioWorld, ExpectationWindow, IExpectationEvaluator> begin) : IExpectationCheck
{
    public string Describe() => description;

    public IExpectationEvaluator Begin(Running.ScenarioWorld world, ExpectationWindow window) => begin(world, window);

    /// <summary>A check with no per-run state.</summary>
    public static ExpectationCheck Stateless(string description, Func<Running.ScenarioWorld, ExpectationWindow, TimeSpan, Observation> check) =>
        new(description, (_, window) => new Evaluator((world, now) => check(world, window, now)));
}
