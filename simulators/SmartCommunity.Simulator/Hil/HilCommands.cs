namespace SmartCommunity.Simulator.Hil;

using Spectre.Console.Cli;

/// <summary>The <c>sc-sim hil</c> branch: hardware-in-the-loop commands for a bench board with real GPIO lines.</summary>
public static class HilCommands
{
    public static void Configure(IConfigurator<CommandSettings> hil)
    {
        hil.SetDescription("Hardware in the loop: a Linux board's GPIO lines wired to a real device under test (hardware-docs/hil.md).");
        hil.AddCommand<HilCheckCommand>("check")
            .WithDescription("Check the bench wiring with loopback jumpers: toggles each drive line and reports every jumper (ok, stuck low, stuck high, crossed).")
            .WithExample("hil", "check", "--pins", "bench.pins.yaml")
            .WithExample("hil", "check", "--pins", "bench.pins.yaml", "--chip", "4");
        hil.AddCommand<HilProbeCommand>("probe")
            .WithDescription("Hold a device under test's inputs at given levels and print its outputs and every change, for a while.")
            .WithExample("hil", "probe", "--pins", "bench.pins.yaml", "--set", "fire=inactive", "--seconds", "30");
    }
}
