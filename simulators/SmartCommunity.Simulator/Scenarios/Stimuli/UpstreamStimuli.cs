namespace SmartCommunity.Simulator.Scenarios.Stimuli;

/// <summary>The upstream backend the runner starts (<c>upstream:</c>): an outage is a switch on it.</summary>
public static class UpstreamStimuli
{
    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("block-upstream", "block-upstream: {} the backend answers 503 to every delivery until unblock-upstream", a =>
        {
            a.AllowOnly();
            RequireUpstream(a);
            return ScenarioAction.Set("block the upstream backend", world => world.Upstream!.Blocked = true, plan => plan.Block());
        }));
        registry.Add(new Stimulus("unblock-upstream", "unblock-upstream: {} the backend accepts deliveries again", a =>
        {
            a.AllowOnly();
            RequireUpstream(a);
            return ScenarioAction.Set("unblock the upstream backend", world => world.Upstream!.Blocked = false, plan => plan.Unblock());
        }));
    }

    internal static void RequireUpstream(ScenarioArguments a)
    {
        if (!a.HasUpstream)
        {
            throw a.Error("the scenario has no upstream backend; declare one at the top, e.g. upstream: { webhook: backend }");
        }
    }
}
