namespace SmartCommunity.Simulator.Hil;

using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Device.Gpio;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Spectre.Console;
using Spectre.Console.Cli;

/// <summary>
/// <c>sc-sim hil probe --pins FILE [--device ID] [--set PIN=active|inactive]... [--seconds N]</c>: holds the device
/// under test's inputs at the given levels and prints its outputs, then every change, for a while. The manual way
/// to exercise a real DUT (hardware-docs/hil.md, "Running it on a real board") until scenarios drive the bench.
/// </summary>
public sealed class HilProbeCommand : Command<HilProbeCommand.Settings>
{
    /// <summary>Where the chips come from; tests set one over a fake driver.</summary>
    public GpioAccess Gpio { get; init; } = new();

    /// <summary>How the poll interval is waited; null for a real sleep. Tests pass one that plays the DUT.</summary>
    public Action<TimeSpan>? Wait { get; init; }

    public sealed class Settings : HilSettings
    {
        [CommandOption("-d|--device <ID>")]
        [Description("Which device of the pin map; may be left out when the map has one.")]
        public string? Device { get; init; }

        [CommandOption("-s|--set <PIN=STATE>")]
        [Description("Set a device input after the start levels: fire=inactive, doorClosed=active, ... Repeatable; applied in order.")]
        public string[] Set { get; init; } = [];

        [CommandOption("--seconds <N>")]
        [Description("How long to watch the device's outputs, 0-3600 s.")]
        [DefaultValue(10)]
        public int Seconds { get; init; } = 10;

        [CommandOption("--poll-ms <MS>")]
        [Description("How often the outputs are read, 1-1000 ms.")]
        [DefaultValue(10)]
        public int PollMs { get; init; } = 10;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Ctrl-C ends the watch early but still through Dispose, so the bench presents fire again before it lets the
        // lines go; killing the process would leave them at whatever the kernel does with released lines.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return Run(settings, AnsiConsole.Console, stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    public int Run(Settings settings, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(settings.Pins))
        {
            return CannotRun(console, "options", "--pins FILE is required (hardware-docs/hil.md)");
        }

        if (settings.Seconds is < 0 or > 3600 || settings.PollMs is < 1 or > 1000 || settings.Chip is < 0)
        {
            return CannotRun(console, "options", "--seconds must be 0-3600, --poll-ms 1-1000 and --chip 0 or more");
        }

        HilPinMap map;
        try
        {
            map = HilPinMapLoader.Load(settings.Pins);
        }
        catch (PinMapException ex)
        {
            return CannotRun(console, "pin map error", ex.Message);
        }

        HilDevice? device = settings.Device is null
            ? (map.Devices.Count == 1 ? map.Devices[0] : null)
            : map.Devices.FirstOrDefault(d => d.Id == settings.Device);
        if (device is null)
        {
            string ids = map.Devices.Count == 0 ? "none" : string.Join(", ", map.Devices.Select(d => d.Id));
            return CannotRun(console, "options", settings.Device is null
                ? $"--device ID is needed: the pin map lists {ids}"
                : $"the pin map has no device '{settings.Device}'; it lists {ids}");
        }

        var sets = new List<(string Pin, bool Active)>();
        foreach (string set in settings.Set)
        {
            string[] parts = set.Split('=', 2);
            HilPin? pin = parts.Length == 2 ? device.Pins.FirstOrDefault(p => p.Name == parts[0] && p.Direction == HilDirection.BenchDrives) : null;
            bool? active = parts.Length == 2 ? parts[1] switch { "active" => true, "inactive" => false, _ => null } : null;
            if (pin is null || active is null)
            {
                string drivable = string.Join(", ", device.Pins.Where(p => p.Direction == HilDirection.BenchDrives).Select(p => p.Name));
                return CannotRun(console, "options", $"--set '{set}': use PIN=active or PIN=inactive with a pin the bench drives ({drivable})");
            }

            sets.Add((pin.Name, active.Value));
        }

        int chip = settings.Chip ?? map.Chip;
        GpioController controller;
        try
        {
            controller = Gpio.Open(chip);
        }
        catch (GpioUnavailableException ex)
        {
            return CannotRun(console, "cannot use GPIO", ex.Message);
        }

        try
        {
            using (controller)
            using (HilBench bench = HilBench.Open(device, controller))
            {
                Watch(console, bench, sets, settings, chip, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException)
        {
            return CannotRun(console, "GPIO error", ex.Message);
        }

        return HilExitCodes.Ok;
    }

    private static int CannotRun(IAnsiConsole console, string what, string message)
    {
        console.MarkupLineInterpolated($"[red]{what}:[/] {message}");
        console.WriteLine("hil probe: NOT RUN");
        return HilExitCodes.CannotRun;
    }

    private static string State(string pin, bool active) => pin == "lock"
        ? (active ? "energised" : "released")
        : (active ? "active" : "inactive");

    private void Watch(IAnsiConsole console, HilBench bench, List<(string Pin, bool Active)> sets, Settings settings, int chip, CancellationToken cancellationToken)
    {
        HilDevice device = bench.Device;
        string start = string.Join(", ", device.Pins.Where(p => p.Direction == HilDirection.BenchDrives).Select(p => $"{p.Name}={State(p.Name, p.InitiallyActive)}"));
        console.WriteLine($"hil probe: {device.Id} on gpiochip{chip}; start levels {start}; watching for {settings.Seconds} s");
        var clock = Stopwatch.StartNew();
        foreach ((string pin, bool active) in sets)
        {
            bench.Drive(pin, active);
            console.WriteLine($"+{clock.ElapsedMilliseconds} ms  {pin} set {State(pin, active)}");
        }

        string[] outputs = device.Pins.Where(p => p.Direction == HilDirection.BenchReads).Select(p => p.Name).ToArray();
        var last = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (string pin in outputs)
        {
            last[pin] = bench.Read(pin);
            console.WriteLine($"+{clock.ElapsedMilliseconds} ms  {pin} {State(pin, last[pin])}");
        }

        TimeSpan poll = TimeSpan.FromMilliseconds(settings.PollMs);
        long polls = (long)settings.Seconds * 1000 / settings.PollMs;
        Action<TimeSpan> wait = Wait ?? Thread.Sleep;
        for (long n = 0; n < polls && !cancellationToken.IsCancellationRequested; n++)
        {
            wait(poll);
            foreach (string pin in outputs)
            {
                bool now = bench.Read(pin);
                if (now != last[pin])
                {
                    last[pin] = now;
                    console.WriteLine($"+{clock.ElapsedMilliseconds} ms  {pin} {State(pin, now)}");
                }
            }
        }

        string errors = bench.ReadErrors == 0 ? string.Empty : $", {bench.ReadErrors} failed reads (shown as energised)";
        console.WriteLine($"hil probe: done after {clock.Elapsed.TotalSeconds:F1} s{errors}; device inputs back to their start levels");
    }
}
