namespace SmartCommunity.Simulator.Scenarios.Running;

using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>How one scenario run went: each expectation (and each checked stimulus) with its verdict.</summary>
public sealed record ScenarioResult(
    string Name,
    string File,
    IReadOnlyList<ExpectationResult> Expectations,
    TimeSpan VirtualDuration,
    TimeSpan RealDuration,
    long Ticks,
    IReadOnlyList<string> SettleTimeouts,
    string? Error)
{
    public bool Passed => Error is null && Expectations.All(e => e.Held);

    public int Failures => Expectations.Count(e => !e.Held);
}

/// <summary>
/// One expectation's verdict. <see cref="DecidedAt"/> is the virtual time it was met (held) or broken (failed);
/// <see cref="RealTime"/> how long it took in real time where the step asked for a real-time deadline.
/// </summary>
public sealed record ExpectationResult(
    long Line,
    TimeSpan StepAt,
    string Kind,
    string Description,
    bool Held,
    TimeSpan? DecidedAt,
    string Detail,
    TimeSpan? RealTime = null);
