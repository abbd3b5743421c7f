using SmartCommunity.Simulator;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("sc-sim");
    config.AddCommand<DemoCommand>("demo")
        .WithDescription("Run the end-to-end demo: edge + virtual community, smoke alarm in building 1, doors released, operator reset.");
});
return await app.RunAsync(args);
