namespace SmartCommunity.Simulator.Scenarios.Expectations;

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>
/// A kind of expectation a scenario step can state (<c>expect: - output: { devices: ..., is: released, within: 2s }</c>).
/// The loader handles the timing keys every kind shares (<c>within</c>, <c>by</c>, <c>for</c>, <c>realTime</c>); the kind
/// reads its own keys and says what it checks. Device issues add theirs to <see cref="ExpectationRegistry"/>.
/// </summary>
public interface IExpectationKind
{
    /// <summary>The key under <c>expect:</c>, e.g. <c>output</c>.</summary>
    string Name { get; }

    string Summary { get; }

    /// <summary>Whether it may be awaited (<c>within</c>/<c>by</c>), must hold over a window (<c>for</c>), or both.</summary>
    ExpectationModes Modes { get; }

    /// <summary>Its own keys (the timing keys come on top).</summary>
    IReadOnlyList<string> Keys { get; }

    IExpectationCheck Bind(ScenarioArguments arguments);
}

/// <summary>A bound expectation: what it checks. Stateless, so a scenario can run twice; each run gets an evaluator.</summary>
public interface IExpectationCheck
{
    /// <summary>What must be true, for people: "b1-lobby-entrance, b1-stair-door: output released".</summary>
    string Describe();

    /// <summary>Called when the step starts, before its stimuli; the evaluator keeps whatever this run needs (a baseline).</summary>
    IExpectationEvaluator Begin(ScenarioWorld world, ExpectationWindow window);
}

/// <summary>Looks at the world once per tick, after it settled.</summary>
public interface IExpectationEvaluator
{
    ValueTask<Observation> CheckAsync(ScenarioWorld world, TimeSpan now, CancellationToken cancel);
}

/// <summary>An evaluator made of a delegate.</summary>
public sealed class Evaluator(Func<ScenarioWorld, TimeSpan, Observation> check) : IExpectationEvaluator
{
    public ValueTask<Observation> CheckAsync(ScenarioWorld world, TimeSpan now, CancellationToken cancel) => ValueTask.FromResult(check(world, now));
}

/// <summary>
/// Whether the condition holds now and what was seen (the failure message shows it); <see cref="RealTimestamp"/> is
/// when it became true on <see cref="System.Diagnostics.Stopwatch"/>, where the check knows it (a door's output change,
/// a command's arrival), for real-time deadlines.
/// </summary>
public readonly record struct Observation(bool Holds, string What, long? RealTimestamp = null);

/// <summary>Where the expectation's step starts: virtual time since the scenario began, and the edge's wall clock then.</summary>
public sealed record ExpectationWindow(TimeSpan Start, DateTimeOffset StartWall);

[Flags]
public enum ExpectationModes
{
    Eventually = 1,
    Throughout = 2,
    Both = Eventually | Throughout,
}

public enum ExpectationMode
{
    /// <summary>Must become true by the deadline (<c>within</c> or <c>by</c>).</summary>
    Eventually,

    /// <summary>Must be true at every tick of the window (<c>for</c>).</summary>
    Throughout,
}

/// <summary>
/// A real-time deadline: from the step's stimuli (or from a device's event leaving it) to the moment the condition was
/// seen, on the machine's clock; for what must be fast, such as alarm to release.
/// </summary>
public sealed record RealTimeLimit(TimeSpan Within, string? FromDevice, string? FromEvent)
{
    public string Describe() => FromDevice is null
        ? $"real time <= {ScenarioTime.Format(Within)}"
        : $"real time <= {ScenarioTime.Format(Within)} from {FromDevice}'s {FromEvent}";
}

/// <summary>One expectation of a step, as loaded: kind, check, timing, and where the file states it.</summary>
public sealed record ExpectationDefinition(
    string Kind,
    IExpectationCheck Check,
    ExpectationMode Mode,
    TimeSpan Start,
    TimeSpan Until,
    RealTimeLimit? RealTime,
    long Line,
    long Column)
{
    public string Describe()
    {
        string timing = Mode == ExpectationMode.Throughout
            ? $"throughout {ScenarioTime.Format(Start)}..{ScenarioTime.Format(Until)}"
            : $"by {ScenarioTime.Format(Until)}";
        return RealTime is null ? $"{Kind}: {Check.Describe()} ({timing})" : $"{Kind}: {Check.Describe()} ({timing}, {RealTime.Describe()})";
    }
}
