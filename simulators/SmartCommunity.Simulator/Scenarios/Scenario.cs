namespace SmartCommunity.Simulator.Scenarios;

using System;
using System.Collections.Generic;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Simulator.Scenarios.Expectations;
using SmartCommunity.Simulator.Scenarios.Stimuli;

/// <summary>
/// A scenario as loaded and checked by <see cref="ScenarioLoader"/>: every device, pin and stimulus it names exists,
/// and its timeline is possible. Immutable, so one scenario can be run several times (the determinism test does).
/// </summary>
public sealed class Scenario
{
    public required string Name { get; init; }

    public required string File { get; init; }

    public string? Description { get; init; }

    public required string LayoutPath { get; init; }

    public required BuildingLayout Layout { get; init; }

    /// <summary>The edge's rules file (hardware-docs/rules.md); null = the built-in fire rule only.</summary>
    public string? RulesPath { get; init; }

    /// <summary>A webhook backend the runner starts, with a relay to it; null = no relaying.</summary>
    public UpstreamDefinition? Upstream { get; init; }

    /// <summary>How the edge dispatches and escalates emergency calls (the relays file's <c>calls</c>); null = its defaults.</summary>
    public CallsDefinition? Calls { get; init; }

    public ScenarioTiming Timing { get; init; } = new();

    /// <summary>The run goes on at least this long, even when every expectation is decided earlier.</summary>
    public TimeSpan End { get; init; }

    /// <summary>
    /// "signedCommands: true": the edge's registry issues every device a command key at the start and each virtual
    /// device holds it, so every command goes signed and is checked (hardware-docs/protocol.md §4.5).
    /// </summary>
    public bool SignedCommands { get; init; }

    public required IReadOnlyList<ScenarioStep> Steps { get; init; }
}

/// <summary>How the runner moves virtual time (simulators/README.md, "Virtual time").</summary>
public sealed record ScenarioTiming
{
    /// <summary>The device loop period in virtual time while anything happens.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest tick: after a tick in which nothing happened, the next one doubles, up to this.</summary>
    public TimeSpan IdleTick { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest real time the runner waits for the system to go quiet after one tick.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>The upstream backend: a webhook receiver on loopback and the edge's relay to it.</summary>
public sealed record UpstreamDefinition(string Name, TimeSpan BackoffInitial, TimeSpan BackoffMax);

/// <summary>
/// The edge's call dispatch for a scenario (hardware-docs/emergency-calls.md): the relays a call goes to in order (only
/// the scenario's upstream webhook exists), and the escalation times; a time left out keeps the edge's default.
/// </summary>
public sealed record CallsDefinition(IReadOnlyList<string> Chain, TimeSpan? AckTimeout, TimeSpan? OperatorAfter, TimeSpan? SounderAfter);

/// <summary>One step of the timeline: at a virtual time, stimuli in order, then the expectations that start there.</summary>
public sealed class ScenarioStep
{
    public required TimeSpan At { get; init; }

    public required long Line { get; init; }

    public string? Note { get; init; }

    public required IReadOnlyList<BoundStimulus> Actions { get; init; }

    public required IReadOnlyList<ExpectationDefinition> Expectations { get; init; }
}
