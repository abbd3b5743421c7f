namespace SmartCommunity.Edge.Tests.Metering;

using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Edge.Metering;
using SmartCommunity.Edge.Tests.TestSupport;
using SmartCommunity.Simulation.Hardware;

/// <summary>
/// An M-Bus master on a real serial port (System.IO.Ports) opened on a pseudo-terminal, virtual meters answering on
/// the other side, a fault injector between master and port, and a real meter book (edge.db) with alerts; the
/// schedule runs on a fake clock, the serial timeouts on real time (kept short, never asserted).
/// </summary>
internal sealed class MBusMasterRig : EdgeCore
{
    public const string BusPort = "/dev/ttyMBUS0";

    /// <summary>Short timings so a silent meter costs little real time; ample for a pseudo-terminal on a busy machine.</summary>
    public static readonly MBusTimings TestTimings = new(TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(60), 3);

    public static new readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private VirtualMBusBus? _bus;

    /// <param name="meters">The meters: block of the layout, indented as list items under metering.</param>
    public MBusMasterRig(string meters)
        : base(data => LayoutLoader.Load(WriteLayout(data, meters)), Start)
    {
        Book = new MeterBook(Layout, Log, Database, Time, NullLogger.Instance) { Alerts = Alerts };
    }

    public MeterBook Book { get; }

    public MBusMaster? Master { get; private set; }

    public MBusFaultLine? Line { get; private set; }

    /// <summary>How often the master tried to open its port.</summary>
    public int Opens { get; private set; }

    /// <summary>When set, opening the port fails this many more times (a converter not plugged in yet).</summary>
    public int FailOpens { get; set; }

    public static void RequirePseudoTerminals()
    {
        if (!PseudoTerminal.IsSupported(out string? why))
        {
            if (Environment.GetEnvironmentVariable("SMARTCOMMUNITY_NO_SKIP") == "1")
            {
                Assert.Fail(why + " and SMARTCOMMUNITY_NO_SKIP=1 forbids skipping");
            }

            Assert.Inconclusive(why ?? "no pseudo-terminals");
        }
    }

    public static string Meter(string id, string mbus, string medium = "water", string measuredIn = "m3") => $$"""
                - id: {{id}}
                  medium: {{medium}}
                  measuredIn: {{measuredIn}}
                  mbus: { bus: mbus1, {{mbus}} }
        """;

    /// <summary>Serves <paramref name="meters"/> on a pseudo-terminal and starts the master on it.</summary>
    public MBusMaster StartMaster(IEnumerable<VirtualMBusMeter> meters, int alertAfter = 3)
    {
        _bus = new VirtualMBusBus(meters);
        MbusBus bus = Layout.Buildings[0].Metering.Buses[0];
        Master = new MBusMaster(bus, "b1", Layout.Buildings[0].Metering.Meters, Book, Open, Time, NullLogger.Instance,
            new MBusMasterOptions(TestTimings, alertAfter)) { Alerts = Alerts };
        Master.Start();
        return Master;
    }

    public MBusMeterStatus Status(string meter) => Master!.Status(meter)!;

    /// <summary>Moves the fake clock on by <paramref name="by"/> and waits until <paramref name="done"/>.</summary>
    public async Task AdvanceAsync(TimeSpan by, Func<bool> done, string what)
    {
        Time.Advance(by);
        await WaitAsync(done, what);
    }

    /// <summary>Like <see cref="Eventually"/>, and on failure says what the master saw.</summary>
    public Task WaitAsync(Func<bool> done, string what) =>
        Eventually.WaitUntilAsync(done, what, () => $"bus status: {System.Text.Json.JsonSerializer.Serialize(Master?.Status())}");

    public override async ValueTask DisposeAsync()
    {
        if (Master is not null)
        {
            await Master.DisposeAsync();
        }

        _bus?.Dispose();
        await Book.DisposeAsync();
        await base.DisposeAsync();
    }

    private static string WriteLayout(TempFolder folder, string meters)
    {
        string path = folder.File("layout.yaml");
        File.WriteAllText(path, $"""
            schema: 1
            site:
              id: riverside
            buildings:
              - id: b1
                floors:
                  - id: basement
                    zones:
                      - id: meters
                        devices: []
                metering:
                  buses:
                    - id: mbus1
                      port: {BusPort}
                  meters:
            {meters}
            """);
        return path;
    }

    private IMBusLine Open(MbusBus bus)
    {
        Opens++;
        if (FailOpens > 0)
        {
            FailOpens--;
            throw new FileNotFoundException($"no serial device {bus.Port}");
        }

        Line = new MBusFaultLine(SerialMBusLine.Open(_bus!.DevicePath, bus.Baud));
        return Line;
    }
}
