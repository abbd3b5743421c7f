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
    config.AddBranch("log", log =>
    {
        log.SetDescription("Work with the event log.");
        log.AddCommand<LogVerifyCommand>("verify").WithDescription("Check the event log's hash chain and report the first broken link.")
            .WithExample("log", "verify", "--data", "/var/lib/sc-edge");
    });
    config.AddBranch("mbus", mbus =>
    {
        mbus.SetDescription("M-Bus meter frames, wired and wireless (hardware-docs/mbus.md, wireless-mbus.md).");
        mbus.AddCommand<MBusDecodeCommand>("decode").WithDescription("Decode one M-Bus frame (or, with --wireless, a wireless telegram) written as hex text and print it as JSON.")
            .WithExample("mbus", "decode", "frame.hex");
    });
    config.AddBranch("ca", ca =>
    {
        ca.SetDescription("The building CA devices trust for the broker's TLS listener.");
        ca.AddCommand<CaExportCommand>("export").WithDescription("Print (or write) the building CA certificate, PEM, for devices' configuration.")
            .WithExample("ca", "export", "--data", "/var/lib/sc-edge", "--out", "building-ca.pem");
    });
    config.AddBranch("operator", op =>
    {
        op.SetDescription("Who may use the HTTP API: one bearer token per named operator.");
        op.AddCommand<OperatorAddCommand>("add").WithDescription("Issue a token for a new operator and print it (once).")
            .WithExample("operator", "add", "alice", "--data", "/var/lib/sc-edge");
        op.AddCommand<OperatorListCommand>("list").WithDescription("List operators and whether their token is live or revoked.");
        op.AddCommand<OperatorRevokeCommand>("revoke").WithDescription("Revoke an operator's token.");
    });
});
return await app.RunAsync(MBusDecodeCommand.MarkStandardInput(args));
