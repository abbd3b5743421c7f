namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using System;
using System.Collections.Generic;

/// <summary>
/// What a stimulus may report while it is applied: an operator action whose answer was not the expected one, a
/// fault that could not be injected. Each becomes a line of the report (and a JUnit test case) like an expectation.
/// </summary>
public sealed class StimulusContext(ScenarioStep step, BoundStimulus stimulus)
{
    private readonly List<StimulusCheck> _checks = [];

    public ScenarioStep Step => step;

    public BoundStimulus Stimulus => stimulus;

    public IReadOnlyList<StimulusCheck> Checks => _checks;

    public void Check(string what, bool held, string detail) => _checks.Add(new StimulusCheck(what, held, detail));
}

public sealed record StimulusCheck(string What, bool Held, string Detail);

/// <summary>
/// The state of the simulated world along the timeline, as the loader walks it before anything runs: which device
/// links are cut, which devices hang, whether the edge runs and the upstream is blocked. It turns "restore a link that
/// was never cut" into an error with a line instead of a puzzling run.
/// </summary>
public sealed class TimelinePlan
{
    private readonly HashSet<string> _cut = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hung = new(StringComparer.Ordinal);

    public TimeSpan At { get; internal set; }

    public bool EdgeStopped { get; private set; }

    public bool UpstreamBlocked { get; private set; }

    public string? Cut(string device) => _cut.Add(device) ? null : $"the network of {device} is already cut at this point";

    public string? Restore(string device) => _cut.Remove(device) ? null : $"the network of {device} is not cut at this point; cut-network it first";

    public string? Hang(string device) => _hung.Add(device) ? null : $"{device} already hangs at this point";

    public string? Resume(string device) => _hung.Remove(device) ? null : $"{device} does not hang at this point; hang it first";

    /// <summary>A reboot ends a hang (the board's watchdog); the cable stays as it was.</summary>
    public string? Reboot(string device)
    {
        _hung.Remove(device);
        return null;
    }

    public string? StopEdge()
    {
        if (EdgeStopped)
        {
            return "the edge is already stopped at this point";
        }

        EdgeStopped = true;
        return null;
    }

    public string? StartEdge()
    {
        if (!EdgeStopped)
        {
            return "the edge is running at this point; stop-edge it first (or use restart-edge)";
        }

        EdgeStopped = false;
        return null;
    }

    public string? NeedsEdge(string what) => EdgeStopped ? $"{what} needs the edge, which is stopped at this point; start-edge it first" : null;

    public string? Block()
    {
        if (UpstreamBlocked)
        {
            return "the upstream is already blocked at this point";
        }

        UpstreamBlocked = true;
        return null;
    }

    public string? Unblock()
    {
        if (!UpstreamBlocked)
        {
            return "the upstream is not blocked at this point; block-upstream it first";
        }

        UpstreamBlocked = false;
        return null;
    }
}
