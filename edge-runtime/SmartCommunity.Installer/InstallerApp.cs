namespace SmartCommunity.Installer;

using System;
using System.Threading.Tasks;
using SmartCommunity.Installer.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary>sc-installer's commands (hardware-docs/installer-guide.md); each is a thin layer over the classes that do the work.</summary>
public static class InstallerApp
{
    public static Task<int> RunAsync(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("sc-installer");
            config.AddCommand<ProvisionCommand>("provision")
                .WithDescription("Register a device of the layout with the edge, issue its credentials and write its configuration bundle.")
                .WithExample("provision", "--layout", "layout.yaml", "--device", "b1-lobby-entrance", "--edge", "http://192.168.10.2:8080", "--mqtt-host", "192.168.10.2");
            config.AddCommand<LabelCommand>("label")
                .WithDescription("Write a PNG label with the device's QR code and id.")
                .WithExample("label", "--layout", "layout.yaml", "--device", "b1-lobby-entrance", "--out", "b1-lobby-entrance.png");
            config.AddCommand<FlashCommand>("flash")
                .WithDescription("Write firmware, application and configuration bundle to a board through nanoFramework's nanoff.")
                .WithExample("flash", "--bundle", "bundles/b1-lobby-entrance.bundle.json", "--port", "/dev/ttyUSB0", "--update", "--image", "SmartCommunity.DoorNode.bin");
            config.AddCommand<CommissionCommand>("commission")
                .WithDescription("Check that an installed device is online, passes its self-test and reads sanely; append to the building's report.")
                .WithExample("commission", "--edge", "http://192.168.10.2:8080", "--device", "b1-lobby-entrance", "--report", "reports");
        });
        return app.RunAsync(args);
    }

    /// <summary>Runs a step; a problem is printed as what is wrong and how to fix it, and its exit code returned.</summary>
    internal static async Task<int> StepAsync(string step, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (InstallerProblem problem)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{step} failed:[/] {problem.What}");
            AnsiConsole.MarkupLineInterpolated($"  [yellow]how to fix:[/] {problem.Fix}");
            return problem.ExitCode;
        }
    }
}
