namespace SmartCommunity.Simulator.Scenarios.Expectations;

using System;
using SmartCommunity.Edge;

/// <summary>
/// An evaluator that reads the edge's stores (a query: the event log, the access or parking trail) and looks again
/// only when the event log committed something since its last look; while the edge is stopped it does not hold.
/// </summary>
internal static class EdgeLogEvaluator
{
    internal const string EdgeStopped = "the edge is not running";

    /// <summary>Each run gets its own evaluator (its own last look), so a check stays stateless.</summary>
    internal static Evaluator WhenCommitted(Func<EdgeHost, Observation> look)
    {
        (EdgeHost? Edge, long Committed, Observation Seen) last = (null, -1, default);
        return new Evaluator((world, _) =>
        {
            if (world.Edge is not { } edge)
            {
                return new Observation(false, EdgeStopped);
            }

            if (ReferenceEquals(last.Edge, edge) && last.Committed == edge.EventLog.Committed)
            {
                return last.Seen;
            }

            // Read the count first: what commits during the look is seen on the next one.
            long committed = edge.EventLog.Committed;
            Observation seen = look(edge);
            last = (edge, committed, seen);
            return seen;
        });
    }
}
