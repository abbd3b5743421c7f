namespace SmartCommunity.Simulator.Scenarios.Expectations;

using System.Linq;
using SmartCommunity.Edge.Storage;
using SmartCommunity.Simulator.Scenarios.Running;

/// <summary>Expectations on the upstream backend the runner starts (<c>upstream:</c>).</summary>
public static class UpstreamExpectations
{
    public static void AddTo(ExpectationRegistry registry)
    {
        registry.Add(new ExpectationKind("delivered",
            "delivered: { source?, channel?, name?, atLeast?: 1 } every such entry of the event log (the whole run's) has reached the upstream backend",
            ExpectationModes.Eventually, ["source", "channel", "name", "atLeast"], Bind));
    }

    private static IExpectationCheck Bind(ScenarioArguments a)
    {
        Stimuli.UpstreamStimuli.RequireUpstream(a);
        string? source = a.Has("source") ? EdgeExpectations.Source(a, "source") : null;
        string? channel = EdgeExpectations.LogChannel(a, "channel");
        string? name = a.OptionalText("name");
        int atLeast = (int)(a.OptionalInteger("atLeast", 1, 10_000) ?? 1);
        string filter = string.Join(" ", new[] { source is null ? null : $"from {source}", channel is null ? null : $"on {channel}", name is null ? null : $"named {name}" }
            .Where(p => p is not null));
        return ExpectationCheck.Stateless($"every event-log entry {filter} (at least {atLeast}) reaches the upstream backend", (world, _, _) =>
        {
            if (world.Edge is not { } edge)
            {
                return new Observation(false, EdgeLogEvaluator.EdgeStopped);
            }

            StoredEvent[] rows = edge.EventLog.ReadRecent(10_000, source)
                .Where(e => (channel is null || e.Channel == channel) && (name is null || e.Name == name)).ToArray();
            long[] missing = rows.Where(r => !world.Upstream!.HasAccepted(r.Id)).Select(r => r.Id).OrderBy(id => id).ToArray();
            if (rows.Length < atLeast)
            {
                return new Observation(false, $"the event log holds {rows.Length} such entries, fewer than {atLeast}");
            }

            return missing.Length == 0
                ? new Observation(true, $"all {rows.Length} arrived")
                : new Observation(false, $"{rows.Length - missing.Length} of {rows.Length} arrived; missing event ids {string.Join(", ", missing.Take(10))}");
        });
    }
}
