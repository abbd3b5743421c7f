namespace SmartCommunity.Simulator.Scenarios.Stimuli;

/// <summary>
/// The edge as a whole: stopped and started again in-process on the same data folder and ports, so the devices
/// reconnect to it as they would after a crash and a systemd restart.
/// </summary>
public static class EdgeStimuli
{
    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("restart-edge", "restart-edge: {} stops the edge and starts it again (same data folder and ports)", a =>
        {
            a.AllowOnly();
            return new ScenarioAction("restart the edge", (world, _, cancel) => world.RestartEdgeAsync(cancel), plan => plan.NeedsEdge("restart-edge"));
        }));
        registry.Add(new Stimulus("stop-edge", "stop-edge: {} stops the edge (devices lose their broker) until start-edge", a =>
        {
            a.AllowOnly();
            return new ScenarioAction("stop the edge", (world, _, cancel) => world.StopEdgeAsync(cancel), plan => plan.StopEdge());
        }));
        registry.Add(new Stimulus("start-edge", "start-edge: {} starts the stopped edge again", a =>
        {
            a.AllowOnly();
            return new ScenarioAction("start the edge", (world, _, cancel) => world.StartEdgeAsync(cancel), plan => plan.StartEdge());
        }));
    }
}
