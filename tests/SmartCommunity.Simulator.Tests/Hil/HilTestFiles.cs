namespace SmartCommunity.Simulator.Tests.Hil;

using System;
using System.Device.Gpio;
using System.IO;
using SmartCommunity.Simulator.Hil;

/// <summary>Pin maps, GPIO directories and consoles for the HIL tests; each test gets its own temp folder.</summary>
internal sealed class HilTestFiles : IDisposable
{
    /// <summary>
    /// The reference bench (hardware-docs/hil.md): fire on 17, doorClosed on 27 (active-low), lock on 22; loopback
    /// jumpers 17→22, 27→23, 5→6.
    /// </summary>
    public const string BenchMap = """
        schema: 1
        chip: 0
        devices:
          - id: b1-lobby-entrance
            kind: door
            pins:
              fire: 17
              doorClosed: { line: 27, activeLow: true }
              lock: { line: 22 }
        loopback:
          - { drive: 17, read: 22 }
          - { drive: 27, read: 23 }
          - { drive: 5, read: 6 }
        """;

    public HilTestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "sc-hil-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        DeviceDirectory = Path.Combine(Root, "dev");
        Directory.CreateDirectory(DeviceDirectory);
    }

    public string Root { get; }

    public string DeviceDirectory { get; }

    /// <summary>The bench's jumpers, all good.</summary>
    public static JumperedGpioDriver GoodBench() => new JumperedGpioDriver().Wire(17, 22).Wire(27, 23).Wire(5, 6);

    public string Write(string name, string text)
    {
        string path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Makes /dev/gpiochipN appear in the test's device folder.</summary>
    public void AddChip(int chip) => File.WriteAllText(Path.Combine(DeviceDirectory, $"gpiochip{chip}"), string.Empty);

    public GpioAccess Access(GpioDriver driver, Action<int>? opened = null) => new(DeviceDirectory, chip =>
    {
        opened?.Invoke(chip);
        return driver;
    });

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>A console that records what a command writes, wide enough that tables do not wrap.</summary>
internal sealed class RecordingConsole
{
    private readonly StringWriter _writer = new();

    public RecordingConsole()
    {
        Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
            Interactive = Spectre.Console.InteractionSupport.No,
            Out = new Spectre.Console.AnsiConsoleOutput(_writer),
        });
        Console.Profile.Width = 240;
    }

    public Spectre.Console.IAnsiConsole Console { get; }

    public string Text => _writer.ToString();
}
