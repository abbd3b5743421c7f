using SmartCommunity.Simulator;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("sc-sim");
    config.AddCommand<DemoCommand>("demo")
        .WithDescription("Run the end-to-end demo: edge + virtual community, smoke alarm in building 1, doors released, operator reset.");
    config.AddCommand<SmartCommunity.Simulator.Scenarios.ScenarioCommand>("scenario").WithDescription("Run scenario files in virtual time: timed stimuli and faults, expectations with deadlines, JUnit XML.");
    config.AddBranch("hil", SmartCommunity.Simulator.Hil.HilCommands.Configure);
    config.AddCommand<SmartCommunity.Simulator.Load.LoadCommand>("load").WithDescription("Load an edge: N devices at a total telemetry rate, alarms at intervals; alarm-to-release latency, achieved rate, losses, the edge's memory and CPU.");
});
return await app.RunAsync(args);
