using SmartCommunity.Edge.Cli;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("sc-edge");
    config.AddCommand<RunCommand>("run")
        .WithDescription("Run the building's edge: embedded MQTT server, fire rule, event log, HTTP API.")
        .WithExample("run", "--layout", "simulators/layouts/demo.yaml", "--data", "data");
    config.AddBranch("layout", layout =>
    {
        layout.SetDescription("Work with building layout files.");
        layout.AddCommand<LayoutCheckCommand>("check").WithDescription("Validate a layout file and list its devices.");
    });
});
return await app.RunAsync(args);
