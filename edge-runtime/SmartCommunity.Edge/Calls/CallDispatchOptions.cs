namespace SmartCommunity.Edge.Calls;

using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>
/// Where an emergency or welfare call goes and when it escalates (the relays file's optional <c>calls</c> section;
/// hardware-docs/emergency-calls.md, "Escalation"). Every time is measured from the moment the call's escalation
/// starts: its opening, or for a welfare call held in quiet hours, the end of those hours.
/// </summary>
public sealed class CallDispatchOptions
{
    public static readonly TimeSpan DefaultAckTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultOperatorAfter = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan DefaultSounderAfter = TimeSpan.FromSeconds(180);

    /// <summary>The longest any of the times may be: a call nobody answers for an hour has long needed a person.</summary>
    public static readonly TimeSpan MaxTime = TimeSpan.FromHours(1);

    /// <summary>
    /// Relays (by name) the call is sent to, one after the other: the first at once, each next one
    /// <see cref="AckTimeout"/> after the one before while nobody acknowledges. Empty = no backend takes calls.
    /// </summary>
    public IReadOnlyList<string> Chain { get; init; } = [];

    public TimeSpan AckTimeout { get; init; } = DefaultAckTimeout;

    /// <summary>
    /// When a Critical operator alert is raised. With an empty <see cref="Chain"/> it is raised at once instead:
    /// no backend was told, so waiting would only delay the one person who can act.
    /// </summary>
    public TimeSpan OperatorAfter { get; init; } = DefaultOperatorAfter;

    /// <summary>When the call point is told to sound its local sounder.</summary>
    public TimeSpan SounderAfter { get; init; } = DefaultSounderAfter;

    /// <summary>
    /// The edge's API as a backend reaches it (through a reverse proxy: the API itself listens on loopback), e.g.
    /// https://riverside-edge.example.net. When set, a dispatched call carries the full callback URL; otherwise only
    /// the path.
    /// </summary>
    public Uri? CallbackBase { get; init; }

    /// <summary>The escalation steps in the order they are due; ties keep relays, then the operator, then the sounder.</summary>
    public IReadOnlyList<EscalationStep> Schedule()
    {
        var steps = new List<EscalationStep>();
        for (int i = 0; i < Chain.Count; i++)
        {
            steps.Add(new EscalationStep(AckTimeout * i, i == 0 ? EscalationStage.Dispatched : EscalationStage.Escalated, Chain[i]));
        }

        steps.Add(new EscalationStep(Chain.Count == 0 ? TimeSpan.Zero : OperatorAfter, EscalationStage.OperatorAlert, null));
        steps.Add(new EscalationStep(SounderAfter, EscalationStage.Sounder, null));
        return steps.Select((s, i) => (s, i)).OrderBy(p => p.s.After).ThenBy(p => p.i).Select(p => p.s).ToList();
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first problem; the relays file loader reports them with a position instead.</summary>
    public void Validate(IEnumerable<string> relayNames)
    {
        var known = new HashSet<string>(relayNames, StringComparer.Ordinal);
        foreach (string name in Chain)
        {
            if (!known.Contains(name))
            {
                throw new ArgumentException($"the calls chain names relay '{name}', which is not configured; configured relays: {(known.Count == 0 ? "none" : string.Join(", ", known.Order(StringComparer.Ordinal)))}");
            }
        }

        if (Chain.Distinct(StringComparer.Ordinal).Count() != Chain.Count)
        {
            throw new ArgumentException("the calls chain names a relay twice; each relay gets the call once");
        }

        if (AckTimeout <= TimeSpan.Zero || AckTimeout > MaxTime || OperatorAfter < TimeSpan.Zero || OperatorAfter > MaxTime
            || SounderAfter < TimeSpan.Zero || SounderAfter > MaxTime)
        {
            throw new ArgumentException($"call escalation times must lie within 0-{MaxTime.TotalSeconds:F0} s (ackTimeoutS at least 1 s)");
        }

        if (SounderAfter < OperatorAfter)
        {
            throw new ArgumentException($"sounderAfterS ({SounderAfter.TotalSeconds:F0}) is before operatorAfterS ({OperatorAfter.TotalSeconds:F0}); the sounder is the last resort, after the operator");
        }
    }
}

/// <summary>What happens at one step of a call's escalation.</summary>
public enum EscalationStage
{
    /// <summary>The call goes to the first relay of the chain (record "call-dispatched", addressed to it).</summary>
    Dispatched,

    /// <summary>The call goes to a later relay of the chain (record "call-escalated", addressed to it).</summary>
    Escalated,

    /// <summary>A Critical alert for the building's operators, naming the unit.</summary>
    OperatorAlert,

    /// <summary>The command "sound" to the call point: the resident and the neighbours hear that nobody has answered.</summary>
    Sounder,
}

/// <param name="After">How long after the start of escalation the step is due.</param>
/// <param name="Relay">The relay the call goes to, for the relay stages.</param>
public sealed record EscalationStep(TimeSpan After, EscalationStage Stage, string? Relay)
{
    /// <summary>Identifies the step among a call's steps done, also across a restart with a changed chain.</summary>
    public string Key => Relay is null ? CallStep.NameOf(Stage) : "relay:" + Relay;
}
