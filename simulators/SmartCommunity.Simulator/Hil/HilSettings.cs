namespace SmartCommunity.Simulator.Hil;

using System.ComponentModel;
using Spectre.Console.Cli;

/// <summary>The options every <c>sc-sim hil</c> verb takes: which pin map, which GPIO chip.</summary>
public abstract class HilSettings : CommandSettings
{
    [CommandOption("-p|--pins <FILE>")]
    [Description("The pin map (YAML); schema in hardware-docs/hil.md.")]
    public string? Pins { get; init; }

    [CommandOption("-c|--chip <N>")]
    [Description("GPIO chip number (/dev/gpiochipN); overrides 'chip:' in the pin map.")]
    public int? Chip { get; init; }
}
