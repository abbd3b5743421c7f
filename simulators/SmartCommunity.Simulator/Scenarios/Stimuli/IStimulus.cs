namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// A kind of stimulus a scenario step can apply (<c>do: - smoke: { device: b1-lobby-smoke, level: 800 }</c>). It reads
/// and checks its own arguments before anything starts and returns the bound action. Device issues add theirs (a
/// card swipe, a vehicle on a loop) to <see cref="StimulusRegistry"/> without touching the runner.
/// </summary>
public interface IStimulus
{
    /// <summary>The key under <c>do:</c>, e.g. <c>smoke</c>.</summary>
    string Name { get; }

    /// <summary>One line for people: its arguments and what it does (sc-sim scenario --list, the README).</summary>
    string Summary { get; }

    /// <summary>Checks the arguments against the layout; every problem is a <see cref="ScenarioException"/> with its line.</summary>
    IScenarioAction Bind(ScenarioArguments arguments);
}

/// <summary>A stimulus with its arguments checked, ready to apply at its step's virtual time.</summary>
public interface IScenarioAction
{
    /// <summary>What it does, for the run's log, e.g. "smoke level 800 at b1-lobby-smoke".</summary>
    string Describe();

    /// <summary>
    /// Checks that the action is possible at this point of the timeline (a restore needs a cut before it) and
    /// records its effect on <paramref name="plan"/>; returns why not, or null.
    /// </summary>
    string? Plan(TimelinePlan plan) => null;

    /// <summary>Applies it: the runner has advanced virtual time to the step and the system is quiet.</summary>
    Task ApplyAsync(ScenarioWorld world, StimulusContext context, CancellationToken cancel);
}

/// <summary>A bound stimulus and where the file names it.</summary>
public sealed record BoundStimulus(string Name, IScenarioAction Action, long Line, long Column);

/// <summary>A stimulus made of a name, a summary and its binding; most stimuli need no class of their own.</summary>
public sealed class Stimulus(string name, string summary, Func<ScenarioArguments, IScenarioAction> bind) : IStimulus
{
    public string Name => name;

    public string Summary => summary;

    public IScenarioAction Bind(ScenarioArguments arguments) => bind(arguments);
}

/// <summary>An action made of delegates.</summary>
public sealed class ScenarioAction(string description, Func<ScenarioWorld, StimulusContext, CancellationToken, Task> apply, Func<TimelinePlan, string?>? plan = null)
    : IScenarioAction
{
    public string Describe() => description;

    public string? Plan(TimelinePlan timeline) => plan?.Invoke(timeline);

    public Task ApplyAsync(ScenarioWorld world, StimulusContext context, CancellationToken cancel) => apply(world, context, cancel);

    /// <summary>An action that only sets something on the simulated hardware.</summary>
    public static ScenarioAction Set(string description, Action<ScenarioWorld> set, Func<TimelinePlan, string?>? plan = null) =>
        new(description, (world, _, _) =>
        {
            set(world);
            return Task.CompletedTask;
        }, plan);
}
